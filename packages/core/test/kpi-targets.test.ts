import { describe, expect, it } from "vitest";
import { KPI_TARGETS, emptyHistogram, kpiValue, latencyBucketIndex, meetsTarget, summariseKpis, type KpiMinuteBucket, type TargetedKpi } from "../src/kpi";

const bucket = (overrides: Partial<KpiMinuteBucket> = {}): KpiMinuteBucket => ({
  botKey: "b",
  minute: 0,
  runningMs: 60_000,
  spreadCompliantMs: 59_950,
  twoSidedMs: 59_990,
  depthMs: 60_000,
  ordersPlaced: 1000,
  ordersDepthOk: 1000,
  ordersFilled: 4,
  placedNotional: "10500000",
  filledNotional: "100",
  latencyCount: 0,
  latencySumMs: 0,
  latencyMaxMs: 0,
  latencyHistogram: emptyHistogram(),
  ...overrides,
});

describe("KPI targets (docs/design.md section 2)", () => {
  it.each<[TargetedKpi, number, boolean]>([
    ["spreadCompliance", 0.9981, true],
    ["spreadCompliance", 0.998, false],
    ["twoSided", 0.9991, true],
    ["twoSided", 0.999, false],
    ["depthCompliance", 0.99951, true],
    ["depthCompliance", 0.9995, false],
    ["latencyP99Ms", 99, true],
    ["latencyP99Ms", 100, false],
    ["passiveFillRate", 0.0049, true],
    ["passiveFillRate", 0.005, false],
  ])("%s = %d meets its target: %s", (kpi, value, expected) => {
    expect(meetsTarget(kpi, value)).toBe(expected);
  });

  it("has nothing to judge without a value", () => {
    expect(meetsTarget("twoSided", null)).toBeNull();
  });

  it("reads each targeted KPI from a summary", () => {
    const histogram = emptyHistogram();
    histogram[latencyBucketIndex(40)] = 100;
    const summary = summariseKpis([bucket({ latencyCount: 100, latencySumMs: 4000, latencyMaxMs: 40, latencyHistogram: histogram })]);
    expect(kpiValue(summary, "spreadCompliance")).toBeCloseTo(59_950 / 60_000);
    expect(kpiValue(summary, "twoSided")).toBeCloseTo(59_990 / 60_000);
    expect(kpiValue(summary, "depthCompliance")).toBe(1);
    expect(kpiValue(summary, "passiveFillRate")).toBeCloseTo(0.004);
    const p99 = kpiValue(summary, "latencyP99Ms");
    expect(p99).not.toBeNull();
    expect(p99!).toBeLessThanOrEqual(40);
    expect(Object.keys(KPI_TARGETS)).toHaveLength(5);
  });
});
