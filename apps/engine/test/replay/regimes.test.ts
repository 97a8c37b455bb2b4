// The regime benchmark's judgement of a row: issue #10's targets, and event-driven against the periodic baseline.
import { describe, expect, it } from "vitest";
import { regimeTable } from "../../bench/regimes/markdown";
import { REGIMES, shortfallsOf, type RegimeRow } from "../../bench/regimes/regimes";

const row = (overrides: Partial<RegimeRow> = {}): RegimeRow => ({
  spreadCompliance: 0.9995,
  twoSided: 0.9995,
  depthTime: 0.9995,
  latencyP50Ms: 20,
  latencyP99Ms: 25,
  latencyMaxMs: 40,
  episodes: 10,
  fillsPerHour: 0.5,
  ordersPerHour: 400,
  hours: 8,
  finalState: "QUOTING",
  seconds: 1,
  cpuSeconds: 1,
  ...overrides,
});
const baseline = row({ spreadCompliance: 0.9, twoSided: 0.9, depthTime: 0.9, latencyP50Ms: 100, latencyP99Ms: 800, latencyMaxMs: 1_000, fillsPerHour: 2, ordersPerHour: 6_000 });
const regime = (name: string) => {
  const found = REGIMES.find((r) => r.name === name);
  if (!found) throw new Error(`no regime ${name}`);
  return found;
};

describe("shortfallsOf", () => {
  it("finds none in a row that meets every target and beats the baseline everywhere", () => {
    expect(shortfallsOf(regime("synthetic-thin"), row(), baseline)).toEqual([]);
  });

  it("names each target missed: 99.9% (99.8% at 200 ms), p99 within 2 x latency + 5 ms, 1 fill an hour on thin tapes", () => {
    const slow = row({ spreadCompliance: 0.9985, twoSided: 0.9979, latencyP99Ms: 26, fillsPerHour: 1.5 });
    expect(shortfallsOf(regime("thinned-1pct"), slow, baseline)).toEqual(["spread compliance < 99.9%", "two-sided < 99.9%", "episode p99 > 25 ms", "more than 1 fill per hour"]);
    // At 200 ms one-way the floor is 99.8% and the p99 cap 405 ms; a liquid tape has no fill target.
    expect(shortfallsOf(regime("liquid-200ms"), row({ spreadCompliance: 0.9985, twoSided: 0.9979, latencyP99Ms: 405, fillsPerHour: 3 }), { ...baseline, fillsPerHour: 5 })).toEqual(["two-sided < 99.8%"]);
  });

  it("names each KPI on which event-driven does not beat the periodic baseline", () => {
    const worse = row({ depthTime: 0.85, latencyMaxMs: 1_200, ordersPerHour: 7_000 });
    expect(shortfallsOf(regime("liquid"), worse, baseline)).toEqual(["depthTime worse than periodic", "latencyMaxMs worse than periodic", "ordersPerHour worse than periodic"]);
  });
});

describe("regimeTable", () => {
  it("prints a markdown row per mode, the shortfalls on the event-driven one", () => {
    const table = regimeTable([{ name: "liquid", description: "the capture", latencyMs: 10, event: row({ latencyMaxMs: 1_234 }), periodic: baseline, shortfalls: ["episode p99 > 25 ms"] }]);
    expect(table.split("\n")).toEqual([
      "| regime | latency | mode | spread compliance | two-sided | depth time | episode p50 / p99 / max (ms) | episodes | fills/h | orders/h | falls short on |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
      "| liquid | 10 ms | event | 99.95% | 99.95% | 99.95% | 20 / 25 / 1,234 | 10 | 0.5 | 400 | episode p99 > 25 ms |",
      "|  |  | periodic | 90.00% | 90.00% | 90.00% | 100 / 800 / 1,000 | 10 | 2.0 | 6,000 | (baseline) |",
    ]);
  });
});
