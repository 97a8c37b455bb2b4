// The decision histograms: a market-event decision that sent orders counts in bandkeeper_decision_seconds (from the
// event's receive time), a tick's or an order event's in bandkeeper_other_decision_seconds (from its start), one that
// sent nothing in neither.
import { describe, expect, it } from "vitest";
import { EngineMetrics } from "../src/observability/metrics";

async function histogram(metrics: EngineMetrics, name: string): Promise<{ count: number; sum: number; buckets: Map<number, number> }> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name)!;
  const values = metric.values as { metricName?: string; labels: Record<string, string | number>; value: number }[];
  const ofBot = values.filter((v) => v.labels.bot === "b1");
  const buckets = new Map(ofBot.filter((v) => v.metricName === `${name}_bucket`).map((v) => [Number(v.labels.le), v.value]));
  return {
    count: ofBot.find((v) => v.metricName === `${name}_count`)?.value ?? 0,
    sum: ofBot.find((v) => v.metricName === `${name}_sum`)?.value ?? 0,
    buckets,
  };
}

describe("EngineMetrics.decisionRecorder", () => {
  it("keeps market-event decisions apart from the others and leaves out decisions that sent nothing", async () => {
    const metrics = new EngineMetrics();
    const record = metrics.decisionRecorder("b1", "BTCUSDT");
    // Received at 1,000.0 ms, decided 1,000.5-1,000.62: 0.62 ms from the wire's receive time.
    record({ receivedAt: 1_000, startedAt: 1_000.5, finishedAt: 1_000.62, requests: 2 });
    record({ receivedAt: 2_000, startedAt: 2_000, finishedAt: 2_000.3, requests: 0 });
    // A tick: 0.08 ms from its start.
    record({ receivedAt: undefined, startedAt: 3_000, finishedAt: 3_000.08, requests: 1 });

    const market = await histogram(metrics, "bandkeeper_decision_seconds");
    expect(market.count).toBe(1);
    expect(market.sum).toBeCloseTo(0.00062, 9);
    // Fine buckets around a healthy decision: 0.62 ms lands between 0.5 and 0.75 ms.
    expect(market.buckets.get(0.0005)).toBe(0);
    expect(market.buckets.get(0.00075)).toBe(1);

    const other = await histogram(metrics, "bandkeeper_other_decision_seconds");
    expect(other.count).toBe(1);
    expect(other.sum).toBeCloseTo(0.00008, 9);
    expect(other.buckets.get(0.000075)).toBe(0);
    expect(other.buckets.get(0.0001)).toBe(1);
  });
});
