// The KPI export (definitions in docs/kpis.md): one row per period with the raw milliseconds and counts an auditor can
// re-add, and the ratios computed from them, then a TOTAL row over the whole export.
import { type KpiMinuteBucket, summariseKpis } from "@bandkeeper/core/kpi";

export const KPI_CSV_COLUMNS = [
  "period_start_utc",
  "running_ms",
  "spread_compliant_ms",
  "spread_compliance",
  "two_sided_ms",
  "two_sided",
  "depth_ms",
  "depth_compliance",
  "orders_placed",
  "orders_depth_ok",
  "depth_order_share",
  "orders_filled",
  "passive_fill_rate",
  "fills_per_hour",
  "placed_notional",
  "filled_notional",
  "filled_notional_rate",
  "episode_count",
  "episode_total_ms",
  "episode_p50_ms",
  "episode_p99_ms",
  "episode_max_ms",
] as const;

// Ratios at full precision: a report to an exchange must not round 99.7996% up to a pass.
const ratio = (value: number | null) => (value === null ? "" : String(value));
const number = (value: number | null) => (value === null ? "" : String(value));

function row(label: string, buckets: readonly KpiMinuteBucket[]): string[] {
  const s = summariseKpis(buckets);
  const sum = (field: "spreadCompliantMs" | "twoSidedMs" | "depthMs" | "ordersDepthOk") =>
    buckets.reduce((total, bucket) => total + bucket[field], 0);
  return [
    label,
    String(s.runningMs),
    String(sum("spreadCompliantMs")),
    ratio(s.spreadCompliance),
    String(sum("twoSidedMs")),
    ratio(s.twoSided),
    String(sum("depthMs")),
    ratio(s.depthCompliance),
    String(s.ordersPlaced),
    String(sum("ordersDepthOk")),
    ratio(s.depthOrderShare),
    String(s.ordersFilled),
    ratio(s.passiveFillRate),
    number(s.fillsPerHour),
    s.placedNotional,
    s.filledNotional,
    ratio(s.filledNotionalRate),
    String(s.responseLatencyMs.count),
    String(s.responseLatencyMs.totalMs),
    number(s.responseLatencyMs.p50),
    number(s.responseLatencyMs.p99),
    number(s.responseLatencyMs.max),
  ];
}

/** Buckets in period order; every field is a number or an ISO time, so nothing needs quoting. */
export function kpiCsv(buckets: readonly KpiMinuteBucket[]): string {
  const lines = [KPI_CSV_COLUMNS.join(",")];
  for (const bucket of buckets) lines.push(row(new Date(bucket.minute).toISOString(), [bucket]).join(","));
  lines.push(row("TOTAL", buckets).join(","));
  return lines.join("\r\n") + "\r\n";
}
