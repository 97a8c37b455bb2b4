// The replay's JSON report: the KPI summary's headline figures, as `npm run replay -- --json` prints them.
import type { KpiSummary } from "@bandkeeper/core";

/** The KPIs as the engine README defines them (fractions 0..1, null without a denominator). */
export interface ReplayReport {
  readonly spreadCompliance: number | null;
  readonly twoSided: number | null;
  readonly depthCompliance: number | null;
  readonly depthOrderShare: number | null;
  readonly passiveFillRate: number | null;
  readonly fillsPerHour: number | null;
  readonly filledNotionalRate: number | null;
  readonly responseLatencyMs: KpiSummary["responseLatencyMs"];
  readonly ordersPlaced: number;
  readonly ordersFilled: number;
  readonly runningMs: number;
}

export function reportOf(summary: KpiSummary): ReplayReport {
  return {
    spreadCompliance: summary.spreadCompliance,
    twoSided: summary.twoSided,
    depthCompliance: summary.depthCompliance,
    depthOrderShare: summary.depthOrderShare,
    passiveFillRate: summary.passiveFillRate,
    fillsPerHour: summary.fillsPerHour,
    filledNotionalRate: summary.filledNotionalRate,
    responseLatencyMs: summary.responseLatencyMs,
    ordersPlaced: summary.ordersPlaced,
    ordersFilled: summary.ordersFilled,
    runningMs: summary.runningMs,
  };
}
