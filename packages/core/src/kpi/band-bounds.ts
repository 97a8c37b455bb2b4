// The band and the drift threshold as price intervals around R, shared by KPI trackers with equal settings.
import type { Decimal } from "../money/decimal";
import type { Side } from "../side";
import type { KpiSettings } from "./kpi-tracker";

/**
 * The band and the drift threshold as absolute offsets from R, so each order is checked without a division. Equal
 * settings share one instance that keeps the offsets of the last R: trackers of bots reading one market view see
 * the same R object per event, and only the first computes them.
 */
export class BandBounds {
  private last: { reference: Decimal; bounds: BandAt } | null = null;

  constructor(private readonly settings: KpiSettings) {}

  at(reference: Decimal): BandAt {
    if (this.last?.reference !== reference) {
      const { band, driftThreshold } = this.settings;
      this.last = { reference, bounds: new BandAt(reference, band.minSpread, band.maxSpread, reference.times(driftThreshold)) };
    }
    return this.last.bounds;
  }
}

/** The band around one R as price intervals: a price is in band when |p - R| lies in [R x minSpread, R x maxSpread]. */
class BandAt {
  private readonly below: readonly [Decimal, Decimal];
  private readonly above: readonly [Decimal, Decimal];

  constructor(
    reference: Decimal,
    minSpread: number,
    maxSpread: number,
    readonly drift: Decimal,
  ) {
    const nearest = reference.times(minSpread);
    const farthest = reference.times(maxSpread);
    this.below = [reference.minus(farthest), reference.minus(nearest)];
    this.above = [reference.plus(nearest), reference.plus(farthest)];
  }

  /** In the band on its own side of R: a bid below R, an ask above it (one on the wrong side would have traded). */
  contains(price: Decimal, side: Side): boolean {
    const [low, high] = side === "BUY" ? this.below : this.above;
    return price.gte(low) && price.lte(high);
  }
}

const boundsBySettings = new WeakMap<KpiSettings, BandBounds>();
const boundsByValues = new Map<string, BandBounds>();

export function boundsFor(settings: KpiSettings): BandBounds {
  let bounds = boundsBySettings.get(settings);
  if (!bounds) {
    const key = `${settings.band.minSpread}|${settings.band.maxSpread}|${settings.driftThreshold}`;
    bounds = boundsByValues.get(key) ?? new BandBounds(settings);
    boundsByValues.set(key, bounds);
    boundsBySettings.set(settings, bounds);
  }
  return bounds;
}
