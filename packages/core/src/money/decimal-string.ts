// The one schema for a decimal amount typed by a person (the dashboard's forms, the API, a headless config
// file): plain notation with ASCII digits only, bounded in size, so every bad value is a field error and none
// reaches `new Decimal()`, which throws on full-width digits ("１0000") and other input it cannot read.
import { z } from "zod";
import { Decimal } from "./decimal";

/** Optional sign, ASCII digits, at most one point: "10000", "0.5", ".5", "-3". No exponent, no grouping. */
export const PLAIN_DECIMAL = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

export interface DecimalStringOptions {
  /** Zero and below are refused (the default); false allows zero, never a negative amount. */
  positive?: boolean;
  /** The largest accepted value, as a decimal string; default 1e15. */
  max?: string;
  /** At most this many digits after the point; default 18. */
  maxDecimals?: number;
  /** One message for every failure, for a form that explains the format once. */
  message?: string;
}

export const DEFAULT_DECIMAL_MAX = "1000000000000000";
const MAX_LENGTH = 64;

/** A decimal string (kept as the string the person typed) that is syntactically and numerically in bounds. */
export function decimalString(options: DecimalStringOptions = {}) {
  const positive = options.positive ?? true;
  const max = new Decimal(options.max ?? DEFAULT_DECIMAL_MAX);
  const maxDecimals = options.maxDecimals ?? 18;
  return z.string({ error: options.message ?? 'must be a decimal string such as "10000"' }).check((ctx) => {
    const fail = (message: string): void => {
      ctx.issues.push({ code: "custom", input: ctx.value, message: options.message ?? message });
    };
    const text = ctx.value;
    if (text.length > MAX_LENGTH) return fail(`must be at most ${max.toFixed()}`);
    if (!PLAIN_DECIMAL.test(text)) return fail('must be a decimal string such as "10000" (digits 0-9 and at most one point)');
    const value = new Decimal(text);
    if (positive ? !value.gt(0) : value.isNegative()) return fail(positive ? "must be greater than 0" : "must not be negative");
    if (value.gt(max)) return fail(`must be at most ${max.toFixed()}`);
    const decimals = text.split(".")[1]?.length ?? 0;
    if (decimals > maxDecimals) return fail(`must have at most ${maxDecimals} decimals`);
  });
}
