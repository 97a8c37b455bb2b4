import { Decimal } from "../money/decimal";
import type { InstrumentGrid } from "../money/fixed-point";

/** R ± an offset without rounding: both have at most 20 significant digits, their sum at most 64. */
const Exact = Decimal.clone({ precision: 64 });

/**
 * The quote band around one reference price R as whole ticks, so placing a quote compares integers. A price of t
 * ticks is within [nearest, farthest] of R (|p - R| as decimal.js computes it) exactly when t lies in one of the
 * tick intervals below; they are worked out once per R from R ± each offset, computed without rounding.
 * decimal.js computes p - R at 20 significant digits, which is exact while R's last digit and the tick's are within
 * 20 digits of R's first (for 0 < p < 2R; beyond that every answer is "outside" either way); `around` returns null
 * otherwise, and the caller keeps the decimal path.
 */
export class BandTicks {
  private constructor(
    /** |p - R| >= nearest: t <= nearBelow or t >= nearAbove. */
    private readonly nearBelow: number,
    private readonly nearAbove: number,
    /** |p - R| <= farthest: farLow <= t <= farHigh. */
    readonly farLow: number,
    readonly farHigh: number,
    /** |p - R| <= innerFarthest. */
    private readonly innerLow: number,
    private readonly innerHigh: number,
  ) {}

  static around(grid: InstrumentGrid, reference: Decimal, nearest: Decimal, farthest: Decimal, innerFarthest: Decimal): BandTicks | null {
    if (!reference.gt(0) || !exactDifferences(reference, grid.priceDecimals)) return null;
    const r = new Exact(reference);
    // The grid reads a value's digits and exponent only, so these 64-digit results need no copy into a Decimal.
    const below = (offset: Decimal, rounding: "down" | "up") => grid.ticks(r.minus(offset), rounding);
    const above = (offset: Decimal, rounding: "down" | "up") => grid.ticks(r.plus(offset), rounding);
    return new BandTicks(
      below(nearest, "down"),
      above(nearest, "up"),
      below(farthest, "up"),
      above(farthest, "down"),
      below(innerFarthest, "up"),
      above(innerFarthest, "down"),
    );
  }

  /** |p - R| in [nearest, farthest]. */
  within(ticks: number): boolean {
    return ticks >= this.farLow && ticks <= this.farHigh && (ticks <= this.nearBelow || ticks >= this.nearAbove);
  }

  /** |p - R| in [nearest, innerFarthest]. */
  withinInner(ticks: number): boolean {
    return ticks >= this.innerLow && ticks <= this.innerHigh && (ticks <= this.nearBelow || ticks >= this.nearAbove);
  }
}

/** Whether p - R has at most 20 significant digits for every grid price 0 < p < 2R, so decimal.js computes it exactly. */
function exactDifferences(reference: Decimal, priceDecimals: number): boolean {
  const words = reference.d;
  if (!words) return false;
  const last = words[words.length - 1] as number;
  let trailingZeros = 0;
  for (let w = last; w % 10 === 0 && trailingZeros < 7; w /= 10) trailingZeros++;
  const first = words[0] as number;
  let firstDigits = 1;
  while (firstDigits < 7 && first >= 10 ** firstDigits) firstDigits++;
  // The power of 10 of R's last non-zero digit, and of the tick's.
  const referenceLast = reference.e - (firstDigits + 7 * (words.length - 1) - trailingZeros) + 1;
  const lowest = Math.min(referenceLast, -priceDecimals);
  return reference.e - lowest + 1 <= 20;
}
