import { Decimal } from "../money/decimal";
import type { InstrumentGrid } from "../money/fixed-point";

/** R ± an offset without rounding: both have at most 20 significant digits, their sum at most 64. */
const Exact = Decimal.clone({ precision: 64 });

/**
 * The band around R: as whole ticks (null: R has too many digits for that, the decimal path decides), and as
 * absolute offsets from R, worked out only when the decimal path or a bound right at a tick needs them.
 */
export class QuoteBand {
  private decimals: BandOffsets | null = null;
  readonly ticks: BandTicks | null;

  constructor(
    readonly reference: Decimal,
    private readonly spreads: { readonly min: Decimal; readonly max: Decimal },
    private readonly fractions: BandFractions,
    grid: InstrumentGrid,
  ) {
    this.ticks = BandTicks.around(grid, reference, fractions, () => this.offsets());
  }

  /** R x minSpread, R x maxSpread and R x (maxSpread - innerMargin), the last how far the touch rule may push a quote. */
  offsets(): BandOffsets {
    this.decimals ??= {
      nearest: this.reference.times(this.spreads.min),
      farthest: this.reference.times(this.spreads.max),
      innerFarthest: this.reference.times(this.fractions.innerFarthest),
    };
    return this.decimals;
  }
}

/** The band as fractions of R (the config's numbers) and as decimal offsets from R (R x each, as decimal.js has it). */
export interface BandFractions {
  readonly nearest: number;
  readonly farthest: number;
  readonly innerFarthest: number;
}

export interface BandOffsets {
  readonly nearest: Decimal;
  readonly farthest: Decimal;
  readonly innerFarthest: Decimal;
}

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

  /**
   * The bounds from R and the band's fractions. Each is first worked out in doubles: the double result is within
   * 1e-15 of the exact (R - R x f) / tick (R and f rounded once each, a few operations, R x f at most half of R),
   * so when it lies more than 1e-13 of itself away from a whole number its floor and ceil are the exact ones.
   * Otherwise (a bound within that of a tick: about one R in a million on BTCUSDT) the bound is computed from the
   * decimal offsets, R ± offset without rounding.
   */
  static around(grid: InstrumentGrid, reference: Decimal, fractions: BandFractions, offsets: () => BandOffsets): BandTicks | null {
    if (!reference.gt(0) || !exactDifferences(reference, grid.priceDecimals)) return null;
    const r = reference.toNumber();
    const tick = grid.tickSize.toNumber();
    let exact: Decimal | null = null;
    const bound = (fraction: number, sign: -1 | 1, pick: (o: BandOffsets) => Decimal, rounding: "down" | "up"): number => {
      const estimate = (r + sign * r * fraction) / tick;
      const nearestWhole = Math.round(estimate);
      if (Math.abs(estimate - nearestWhole) > Math.abs(estimate) * 1e-13 + 1e-9) {
        return rounding === "down" ? Math.floor(estimate) : Math.ceil(estimate);
      }
      exact ??= new Exact(reference);
      const offset = pick(offsets());
      // The grid reads a value's digits and exponent only, so this 64-digit result needs no copy into a Decimal.
      return grid.ticks(sign < 0 ? exact.minus(offset) : exact.plus(offset), rounding);
    };
    return new BandTicks(
      bound(fractions.nearest, -1, (o) => o.nearest, "down"),
      bound(fractions.nearest, 1, (o) => o.nearest, "up"),
      bound(fractions.farthest, -1, (o) => o.farthest, "up"),
      bound(fractions.farthest, 1, (o) => o.farthest, "down"),
      bound(fractions.innerFarthest, -1, (o) => o.innerFarthest, "up"),
      bound(fractions.innerFarthest, 1, (o) => o.innerFarthest, "down"),
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
