// `npm run bench:regimes -w @bandkeeper/engine [-- --markdown] [--only a,b] [--report-dir DIR] [--from FILE]`:
// the default config over every market regime (see regimes/regimes.ts), event-driven and the periodic baseline;
// prints one JSON object (the `regimes` section of `npm run bench`), or the README table with --markdown.
// --from FILE reprints a saved JSON result instead of replaying; --report-dir writes each run's HTML report.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { BotLogEntry } from "@bandkeeper/core";
import { ReportCollector } from "../src/replay/html-report/collector";
import { renderHtmlReport } from "../src/replay/html-report/render";
import { invocationDir } from "../src/replay/env";
import { regimeTable } from "./regimes/markdown";
import { REGIMES, captureLoader, configFor, measure, shortfallsOf, type Mode, type RegimeResult, type RegimeRow } from "./regimes/regimes";

const { values: args } = parseArgs({
  options: {
    markdown: { type: "boolean", default: false },
    only: { type: "string" },
    "report-dir": { type: "string" },
    from: { type: "string" },
  },
});

async function run(): Promise<{ results: RegimeResult[]; seconds: number }> {
  const only = args.only?.split(",").map((name) => name.trim());
  const unknown = only?.filter((name) => !REGIMES.some((regime) => regime.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown regime ${unknown.join(", ")}: the regimes are ${REGIMES.map((r) => r.name).join(", ")}`);
  const reportDir = args["report-dir"] === undefined ? undefined : resolve(invocationDir(), args["report-dir"]);
  if (reportDir) await mkdir(reportDir, { recursive: true });
  const capture = captureLoader();
  const startedAt = performance.now();
  const results: RegimeResult[] = [];
  for (const regime of REGIMES.filter((r) => !only || only.includes(r.name))) {
    const recording = await regime.tape(capture);
    const rows = {} as Record<Mode, RegimeRow>;
    for (const mode of ["event", "periodic"] as const) {
      const collector = reportDir ? new ReportCollector(recording.start, recording.end, configFor(mode)) : undefined;
      const { row, result } = measure(recording, regime, mode, collector && ((entry: BotLogEntry) => collector.add(entry)));
      rows[mode] = row;
      process.stderr.write(`regimes: ${regime.name} ${mode}: ${row.seconds} s (${row.cpuSeconds} s CPU)\n`);
      if (collector && reportDir) {
        const html = renderHtmlReport(collector.finish(result.endedAt), {
          symbol: regime.symbol.symbol,
          latencyMs: regime.latencyMs,
          config: configFor(mode),
          report: result.report,
          data: [],
          title: `${regime.name} (${mode}): ${regime.description}`,
        });
        await writeFile(join(reportDir, `${regime.name}-${mode}.html`), html);
      }
    }
    results.push({ name: regime.name, description: regime.description, latencyMs: regime.latencyMs, ...rows, shortfalls: shortfallsOf(regime, rows.event, rows.periodic) });
  }
  return { results, seconds: Math.round((performance.now() - startedAt) / 100) / 10 };
}

const output = args.from ? (JSON.parse(await readFile(resolve(invocationDir(), args.from), "utf8")) as { results: RegimeResult[]; seconds: number }) : await run();
if (args.markdown) {
  process.stdout.write(`${regimeTable(output.results)}\n\n${output.results.map((r) => `- ${r.name}: ${r.description}`).join("\n")}\n`);
} else {
  process.stdout.write(`${JSON.stringify(output)}\n`);
}
