import type { KpiSummary } from "./summary";

/** The KPIs with a target (docs/design.md section 2), and how each is read from a KpiSummary. */
export const KPI_TARGETS = {
  spreadCompliance: { label: "Spread compliance", unit: "ratio", better: "higher", target: 0.998 },
  twoSided: { label: "Two-sided", unit: "ratio", better: "higher", target: 0.999 },
  depthCompliance: { label: "Depth", unit: "ratio", better: "higher", target: 0.9995 },
  latencyP99Ms: { label: "Latency p99", unit: "ms", better: "lower", target: 100 },
  passiveFillRate: { label: "Fill rate", unit: "ratio", better: "lower", target: 0.005 },
} as const satisfies Record<string, { label: string; unit: "ratio" | "ms"; better: "higher" | "lower"; target: number }>;

export type TargetedKpi = keyof typeof KPI_TARGETS;

export const TARGETED_KPIS = Object.keys(KPI_TARGETS) as TargetedKpi[];

/** The value of a targeted KPI in a summary; null when there is nothing to measure (no running time, no orders). */
export function kpiValue(summary: KpiSummary, kpi: TargetedKpi): number | null {
  return kpi === "latencyP99Ms" ? summary.responseLatencyMs.p99 : summary[kpi];
}

/** Targets are strict (docs/design.md section 2: "> 99.8%", "p99 < 100 ms"); null when the value is null. */
export function meetsTarget(kpi: TargetedKpi, value: number | null): boolean | null {
  if (value === null) return null;
  const { better, target } = KPI_TARGETS[kpi];
  return better === "higher" ? value > target : value < target;
}
