// The statuses an order passes through; the terminal ones end it (see order.ts for when one is reopened).
export const ORDER_STATUSES = [
  "PENDING_NEW",
  "NEW",
  "PARTIALLY_FILLED",
  "PENDING_CANCEL",
  "UNKNOWN",
  "FILLED",
  "CANCELED",
  "REJECTED",
  "EXPIRED",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(["FILLED", "CANCELED", "REJECTED", "EXPIRED"]);

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
