// The KPI rows of a change request's replay, base vs proposed, as the page shows them (docs/kpis.md names them).
import { formatMs, formatPercent } from "~/lib/format";
import type { ReplayReportView } from "~/server/routers/changes/change-replay";

export interface ReplayKpiRow {
  readonly label: string;
  readonly base: string;
  readonly proposed: string;
}

const HOUR_MS = 3_600_000;

/** Orders the exchange acknowledged per running hour; null before any running time. */
export function ordersPerHour(report: ReplayReportView): number | null {
  return report.runningMs > 0 ? (report.ordersPlaced * HOUR_MS) / report.runningMs : null;
}

const perHour = (value: number | null) => (value === null ? "—" : value.toFixed(1));

const KPIS: readonly { label: string; show: (report: ReplayReportView) => string }[] = [
  { label: "Spread compliance", show: (r) => formatPercent(r.spreadCompliance) },
  { label: "Two-sided", show: (r) => formatPercent(r.twoSided) },
  { label: "Depth compliance", show: (r) => formatPercent(r.depthCompliance) },
  { label: "Episode latency p50", show: (r) => formatMs(r.responseLatencyMs.p50) },
  { label: "Episode latency p99", show: (r) => formatMs(r.responseLatencyMs.p99) },
  { label: "Fills per hour", show: (r) => perHour(r.fillsPerHour) },
  { label: "Orders per hour", show: (r) => perHour(ordersPerHour(r)) },
];

export function replayKpiRows(base: ReplayReportView, proposed: ReplayReportView): ReplayKpiRow[] {
  return KPIS.map(({ label, show }) => ({ label, base: show(base), proposed: show(proposed) }));
}
