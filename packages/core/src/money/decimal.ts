import Decimal from "decimal.js";

export { Decimal };

/** Strings as the exchange sends them ("0.01000000"): plain decimal notation, optional sign. */
export const DECIMAL_STRING = /^-?(\d+\.?\d*|\.\d+)$/;

/** Parses an exchange decimal string; throws on anything that is not a finite decimal (fail fast). */
export function dec(value: string | Decimal): Decimal {
  if (value instanceof Decimal) return value;
  if (!DECIMAL_STRING.test(value)) throw new RangeError(`not a decimal string: ${JSON.stringify(value)}`);
  return new Decimal(value);
}

/** Canonical text form for storage and JSON: no exponent, no trailing zeros. */
export function decimalToString(value: Decimal): string {
  return value.toFixed();
}
