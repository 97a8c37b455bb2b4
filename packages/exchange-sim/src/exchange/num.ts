import Decimal from "decimal.js";

// A private Decimal class: enough significant digits for price x quantity sums at 8 decimals, and no
// interference with other packages' global Decimal settings.
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

export const ZERO = new Dec(0);

/** Binance prints amounts with a fixed number of decimals ("0.10000000"). */
export function fmt(value: Decimal, decimals = 8): string {
  return value.toFixed(decimals, Decimal.ROUND_DOWN);
}

const DECIMAL_RE = /^([0-9]{1,20})(\.[0-9]{1,20})?$/;

/** True for the decimal strings Binance accepts in a numeric parameter. */
export function isDecimalString(value: string): boolean {
  return DECIMAL_RE.test(value);
}

/** Number of significant decimals of a decimal string, ignoring trailing zeros ("1.2300" -> 2). */
export function significantDecimals(value: string): number {
  const dot = value.indexOf(".");
  if (dot < 0) return 0;
  let end = value.length;
  while (end > dot + 1 && value.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}

/** An integer count of 10^-decimals units as an 8-decimal string (12345, 2 -> "123.45000000"), without Decimal. */
export function formatUnits(units: number, decimals: number): string {
  const digits = String(units).padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  return `${whole}.${frac.padEnd(8, "0")}`;
}

/** k when `value` is exactly 10^-k for 0 <= k <= 8, else undefined. */
export function powerOfTenDecimals(value: Decimal): number | undefined {
  const k = value.decimalPlaces();
  return k <= 8 && value.eq(new Dec(10).pow(-k)) ? k : undefined;
}
