// The regime table for READMEs: one line per regime and mode, event-driven first, shortfalls named.
import type { RegimeResult, RegimeRow } from "./regimes";

// Rounded down, so that a figure short of 100% never reads 100.00%.
const pct = (value: number | null, digits = 2) => (value === null ? "n/a" : `${(Math.floor(value * 100 * 10 ** digits) / 10 ** digits).toFixed(digits)}%`);
const ms = (value: number | null) => (value === null ? "n/a" : `${value.toLocaleString("en-US")}`);
const rate = (value: number) => (value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1));

export function regimeTable(results: readonly RegimeResult[]): string {
  const header = [
    "| regime | latency | mode | spread compliance | two-sided | depth time | episode p50 / p99 / max (ms) | episodes | fills/h | orders/h | falls short on |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  const line = (result: RegimeResult, mode: "event" | "periodic", row: RegimeRow) =>
    `| ${mode === "event" ? result.name : ""} | ${mode === "event" ? `${result.latencyMs} ms` : ""} | ${mode} | ${pct(row.spreadCompliance)} | ${pct(row.twoSided)} | ${pct(row.depthTime)} | ` +
    `${ms(row.latencyP50Ms)} / ${ms(row.latencyP99Ms)} / ${ms(row.latencyMaxMs)} | ${row.episodes.toLocaleString("en-US")} | ${rate(row.fillsPerHour)} | ${rate(row.ordersPerHour)} | ` +
    `${mode === "event" ? result.shortfalls.join("; ") || "none" : "(baseline)"} |`;
  return [...header, ...results.flatMap((result) => [line(result, "event", result.event), line(result, "periodic", result.periodic)])].join("\n");
}
