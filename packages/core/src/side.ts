export type Side = "BUY" | "SELL";

export const SIDES: readonly Side[] = ["BUY", "SELL"];

export function oppositeSide(side: Side): Side {
  return side === "BUY" ? "SELL" : "BUY";
}
