import { Decimal } from "../money/decimal";
import { emptyHistogram, histogramQuantile } from "./histogram";
import type { KpiMinuteBucket } from "./kpi-tracker";

/**
 * The report (fractions 0..1; null when the denominator is zero). Field names match the replay's --json output.
 * Definitions: docs/kpis.md.
 */
export interface KpiSummary {
  readonly runningMs: number;
  readonly spreadCompliance: number | null;
  readonly twoSided: number | null;
  /** Depth, the headline: share of running time with in-band notional >= minNotional on both sides. */
  readonly depthCompliance: number | null;
  /** Share of placed orders whose notional was >= minNotional (an order-count figure, not the headline). */
  readonly depthOrderShare: number | null;
  readonly passiveFillRate: number | null;
  /** Orders filled per running hour: churn cannot dilute it the way it dilutes the per-order rate. */
  readonly fillsPerHour: number | null;
  readonly filledNotionalRate: number | null;
  /**
   * Response latency per breach episode (docs/kpis.md): p50/p99 are bucket upper bounds (see histogramQuantile),
   * max, count and the total time spent in episodes are exact.
   */
  readonly responseLatencyMs: {
    readonly p50: number | null;
    readonly p99: number | null;
    readonly max: number | null;
    readonly count: number;
    readonly totalMs: number;
  };
  readonly ordersPlaced: number;
  readonly ordersFilled: number;
  readonly placedNotional: string;
  readonly filledNotional: string;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** Adds buckets into one (of any bot or period); the result's minute is the earliest. */
export function sumBuckets(buckets: readonly KpiMinuteBucket[], botKey = buckets[0]?.botKey ?? ""): KpiMinuteBucket {
  const histogram = emptyHistogram();
  let placed = new Decimal(0);
  let filled = new Decimal(0);
  const total = {
    runningMs: 0,
    spreadCompliantMs: 0,
    twoSidedMs: 0,
    depthMs: 0,
    ordersPlaced: 0,
    ordersDepthOk: 0,
    ordersFilled: 0,
    latencyCount: 0,
    latencySumMs: 0,
    latencyMaxMs: 0,
  };
  let minute = Number.POSITIVE_INFINITY;
  for (const b of buckets) {
    minute = Math.min(minute, b.minute);
    total.runningMs += b.runningMs;
    total.spreadCompliantMs += b.spreadCompliantMs;
    total.twoSidedMs += b.twoSidedMs;
    total.depthMs += b.depthMs;
    total.ordersPlaced += b.ordersPlaced;
    total.ordersDepthOk += b.ordersDepthOk;
    total.ordersFilled += b.ordersFilled;
    total.latencyCount += b.latencyCount;
    total.latencySumMs += b.latencySumMs;
    total.latencyMaxMs = Math.max(total.latencyMaxMs, b.latencyMaxMs);
    placed = placed.plus(b.placedNotional);
    filled = filled.plus(b.filledNotional);
    b.latencyHistogram.forEach((n, i) => (histogram[i] = (histogram[i] ?? 0) + n));
  }
  return {
    botKey,
    minute: Number.isFinite(minute) ? minute : 0,
    ...total,
    placedNotional: placed.toFixed(),
    filledNotional: filled.toFixed(),
    latencyHistogram: histogram,
  };
}

/** Rolls minute buckets up to coarser periods (e.g. 3_600_000 for hours), per bot, sorted by bot and period. */
export function rollUpBuckets(buckets: readonly KpiMinuteBucket[], periodMs: number): KpiMinuteBucket[] {
  const groups = new Map<string, KpiMinuteBucket[]>();
  for (const b of buckets) {
    const period = Math.floor(b.minute / periodMs) * periodMs;
    const key = `${b.botKey}\u0000${period}`;
    const group = groups.get(key) ?? [];
    group.push(b);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => {
      const sum = sumBuckets(group);
      return { ...sum, minute: Math.floor(sum.minute / periodMs) * periodMs };
    })
    .sort((a, b) => a.botKey.localeCompare(b.botKey) || a.minute - b.minute);
}

/** The KPI report (docs/kpis.md) over any set of buckets (one bot or many). */
export function summariseKpis(buckets: readonly KpiMinuteBucket[]): KpiSummary {
  const s = sumBuckets(buckets);
  const placed = new Decimal(s.placedNotional);
  return {
    runningMs: s.runningMs,
    spreadCompliance: ratio(s.spreadCompliantMs, s.runningMs),
    twoSided: ratio(s.twoSidedMs, s.runningMs),
    depthCompliance: ratio(s.depthMs, s.runningMs),
    depthOrderShare: ratio(s.ordersDepthOk, s.ordersPlaced),
    passiveFillRate: ratio(s.ordersFilled, s.ordersPlaced),
    fillsPerHour: ratio(s.ordersFilled * 3_600_000, s.runningMs),
    filledNotionalRate: placed.gt(0) ? new Decimal(s.filledNotional).div(placed).toNumber() : null,
    responseLatencyMs: {
      p50: histogramQuantile(s.latencyHistogram, 0.5, s.latencyMaxMs),
      p99: histogramQuantile(s.latencyHistogram, 0.99, s.latencyMaxMs),
      max: s.latencyCount > 0 ? s.latencyMaxMs : null,
      count: s.latencyCount,
      totalMs: s.latencySumMs,
    },
    ordersPlaced: s.ordersPlaced,
    ordersFilled: s.ordersFilled,
    placedNotional: s.placedNotional,
    filledNotional: s.filledNotional,
  };
}
