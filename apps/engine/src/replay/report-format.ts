// The replay report as people read it: one row per KPI with its value and what it measures.
import type { ReplayReport } from "./run-replay";

const percent = (value: number | null): string => (value === null ? "n/a" : `${(value * 100).toFixed(3)}%`);
const ms = (value: number | null): string => (value === null ? "n/a" : `${value} ms`);

export function formatReportTable(report: ReplayReport, context: { symbol: string; latencyMs: number; requoteMode: string }): string {
  const { responseLatencyMs: latency } = report;
  const rows: [string, string, string][] = [
    ["spreadCompliance", percent(report.spreadCompliance), "running time with an open order and every open order inside the band"],
    ["twoSided", percent(report.twoSided), "running time with a valid bid and a valid ask"],
    ["depthCompliance", percent(report.depthCompliance), "running time with in-band notional >= minNotional on both sides"],
    ["depthOrderShare", percent(report.depthOrderShare), "placed orders with notional >= minNotional"],
    ["passiveFillRate", percent(report.passiveFillRate), "placed orders that received any fill"],
    ["fillsPerHour", report.fillsPerHour === null ? "n/a" : report.fillsPerHour.toFixed(2), "orders filled per running hour"],
    ["filledNotionalRate", percent(report.filledNotionalRate), "filled notional / placed notional"],
    ["responseLatency p50", ms(latency.p50), "per breach episode: first moment a side lacked a valid order or an order needed action -> both valid again"],
    ["responseLatency p99", ms(latency.p99), `over ${latency.count} episodes (p50/p99 are histogram bucket bounds)`],
    ["responseLatency max", ms(latency.max), `${latency.totalMs} ms in episodes in all`],
    ["ordersPlaced", String(report.ordersPlaced), "orders the exchange acknowledged"],
    ["ordersFilled", String(report.ordersFilled), "of which received a fill"],
    ["runningMs", String(report.runningMs), `${(report.runningMs / 60_000).toFixed(2)} minutes counted as running`],
  ];
  const width = (i: 0 | 1) => Math.max(...rows.map((r) => r[i].length));
  const lines = rows.map(([name, value, meaning]) => `  ${name.padEnd(width(0))}  ${value.padStart(width(1))}  ${meaning}`.trimEnd());
  return [`Replay of ${context.symbol}, requoteMode ${context.requoteMode}, ${context.latencyMs} ms one-way latency`, ...lines].join("\n");
}
