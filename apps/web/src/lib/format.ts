// Number and time formatting for the trading views: fixed decimals, tabular digits, no locale surprises.

/** Decimals a market price shows (the tick's, as the exchange prints it), at least 2. */
export function priceDecimals(marketPrice: string | null): number {
  const fraction = marketPrice?.split(".")[1]?.replace(/0+$/, "") ?? "";
  return Math.max(2, fraction.length);
}

/**
 * A decimal string as sent by the server, grouped by thousands, its own decimals kept (trailing zeros cut to 2);
 * with `decimals`, rounded half up to that many first (a computed reference price has dozens).
 */
export function formatPrice(value: string | null | undefined, decimals?: number): string {
  if (value === null || value === undefined) return "—";
  if (decimals !== undefined) value = roundDecimal(value, decimals);
  const [whole = "0", fraction = ""] = value.split(".");
  const negative = whole.startsWith("-");
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const trimmed = fraction.replace(/0+$/, "").padEnd(2, "0");
  return `${negative ? "-" : ""}${grouped}.${trimmed}`;
}

/** A fraction 0..1 as a percentage; ratios near 100% need more digits than the targets' 99.95%. */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return "—";
  return `${(value * 100).toFixed(digits)}%`;
}

/** A signed distance from the reference price (-0.003 → "−0.300%"). */
export function formatDistance(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const percent = (value * 100).toFixed(3);
  return value > 0 ? `+${percent}%` : percent.replace("-", "−") + "%";
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return value >= 10 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

/** How long ago, short: "0.8 s", "12 s", "4 min", "3 h". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

export function formatTime(date: Date): string {
  return date.toISOString().slice(11, 19);
}

export function formatDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)}`;
}

/** Rounds a decimal string half up without passing through a float's binary rounding at the cut. */
function roundDecimal(value: string, decimals: number): string {
  const [whole = "0", fraction = ""] = value.split(".");
  if (fraction.length <= decimals) return value;
  const kept = `${whole}.${fraction.slice(0, decimals)}`;
  if (Number(fraction[decimals]) < 5) return kept;
  const step = 10 ** -decimals;
  const magnitude = Math.abs(Number(kept)) + step;
  return `${value.startsWith("-") ? "-" : ""}${magnitude.toFixed(decimals)}`;
}
