export {
  emptyKpiBucket,
  KpiTracker,
  kpiSettingsFrom,
  MINUTE_MS,
  type BreachEpisode,
  type KpiFact,
  type KpiFlags,
  type KpiMinuteBucket,
  type KpiSettings,
} from "./kpi-tracker";
export { summariseKpis, sumBuckets, rollUpBuckets, type KpiSummary } from "./summary";
export { downtimeBuckets } from "./downtime";
export { KPI_TARGETS, TARGETED_KPIS, kpiValue, meetsTarget, type TargetedKpi } from "./targets";
export {
  LATENCY_BUCKET_BOUNDS_MS,
  LATENCY_BUCKET_COUNT,
  emptyHistogram,
  latencyBucketIndex,
  histogramQuantile,
} from "./histogram";
export { serializeKpiFact, parseKpiFact, KpiFactParseError } from "./fact-log";
