// The replay report as people read it: one row per KPI with its value and what it measures.
import type { ReplayReport } from "./run-replay";

const percent = (value: number | null): string => (value === null ? "n/a" : `${(value * 100).toFixed(3)}%`);
const ms = (value: number | null): string => (value === null ? "n/a" : `${value} ms`);

export function formatReportTable(report: ReplayReport, context: { symbol: string; latencyMs: number; requoteMode: string }): string {
  const { responseLatencyMs: latency } = report;
  const rows: [string, string, string][] = [
    ["spreadCompliance", percent(report.spreadCompliance), "running time with an open order and every open order inside the band"],
    ["twoSided", percent(report.twoSided), "running time with a valid bid and a valid ask"],
    ["depthCompliance", percent(report.depthCompliance), "placed orders with notional >= minNotional"],
    ["depthTime", percent(report.depthTime), "running time with valid notional >= minNotional on both sides"],
    ["passiveFillRate", percent(report.passiveFillRate), "placed orders that received any fill"],
    ["filledNotionalRate", percent(report.filledNotionalRate), "filled notional / placed notional"],
    ["responseLatency p50", ms(latency.p50), "market event -> ack of the order action that restored the band"],
    ["responseLatency p99", ms(latency.p99), `over ${latency.count} responses (p50/p99 are histogram bucket bounds)`],
    ["responseLatency max", ms(latency.max), ""],
    ["ordersPlaced", String(report.ordersPlaced), "orders the exchange acknowledged"],
    ["ordersFilled", String(report.ordersFilled), "of which received a fill"],
    ["runningMs", String(report.runningMs), `${(report.runningMs / 60_000).toFixed(2)} minutes counted as running`],
  ];
  const width = (i: 0 | 1) => Math.max(...rows.map((r) => r[i].length));
  const lines = rows.map(([name, value, meaning]) => `  ${name.padEnd(width(0))}  ${value.padStart(width(1))}  ${meaning}`.trimEnd());
  return [`Replay of ${context.symbol}, requoteMode ${context.requoteMode}, ${context.latencyMs} ms one-way latency`, ...lines].join("\n");
}
