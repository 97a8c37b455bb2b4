// One change request's replay, run by the engine as a child process (`node --import tsx replay-job.ts JOB.json`)
// so the bots' event loop never waits on it: the tape files are read once, cut to the window, and replayed with
// the base config and then the proposed one. It speaks JSON lines on stdout: `{"progress":0..1}` now and then,
// and at the end `{"result":{...}}` or `{"error":"..."}` (exit code 2).
import { readFile } from "node:fs/promises";
import type { BotLogEntry } from "@bandkeeper/core";
import { botConfigFrom, BotConfigFileError } from "../replay/config-file";
import { ReportCollector } from "../replay/html-report/collector";
import { renderHtmlReport } from "../replay/html-report/render";
import { RecordingError, type Recording } from "../replay/recording";
import { DEFAULT_LATENCY_MS, ReplaySetupError, simulateReplay, type ReplayReport } from "../replay/run-replay";
import { builtInSymbol } from "../replay/symbols";
import { loadLastStretch } from "./tape-window";

export interface ReplayJob {
  readonly files: readonly string[];
  readonly symbol: string;
  readonly windowMs: number;
  readonly baseConfig: unknown;
  readonly proposedConfig: unknown;
}

export interface ReplayJobResult {
  readonly dataFrom: number;
  readonly dataTo: number;
  readonly baseReport: ReplayReport;
  readonly proposedReport: ReplayReport;
  readonly proposedHtml: string;
}

export class ReplayJobError extends Error {
  override name = "ReplayJobError";
}

/** Both replays, in this process; `onProgress` gets the share of simulated time done over the two. */
export async function runReplayJob(job: ReplayJob, onProgress: (share: number) => void = () => undefined): Promise<ReplayJobResult> {
  const info = builtInSymbol(job.symbol);
  if (!info) throw new ReplayJobError(`replay knows the filters of BTCUSDT, ETHUSDT and BNBUSDT only, not ${job.symbol}`);
  const baseConfig = botConfigFrom(job.baseConfig, "the base config");
  const proposedConfig = botConfigFrom(job.proposedConfig, "the proposed config");
  const recording: Recording = await loadLastStretch(job.files, info.symbol, job.windowMs);
  const base = simulateReplay(recording, {
    symbol: info,
    config: baseConfig,
    onProgress: (p) => onProgress(p.totalMs > 0 ? p.doneMs / p.totalMs / 2 : 0.5),
  });
  const collector = new ReportCollector(recording.start, recording.end, proposedConfig);
  const proposed = simulateReplay(recording, {
    symbol: info,
    config: proposedConfig,
    logMarket: true,
    onLog: (entry: BotLogEntry) => collector.add(entry),
    onProgress: (p) => onProgress(0.5 + (p.totalMs > 0 ? p.doneMs / p.totalMs / 2 : 0.5)),
  });
  const proposedHtml = renderHtmlReport(collector.finish(proposed.endedAt), {
    symbol: info.symbol,
    title: `${info.symbol}, the proposed config`,
    latencyMs: DEFAULT_LATENCY_MS,
    config: proposedConfig,
    report: proposed.report,
    data: job.files,
  });
  return { dataFrom: recording.start, dataTo: recording.end, baseReport: base.report, proposedReport: proposed.report, proposedHtml };
}

async function main(jobFile: string | undefined): Promise<number> {
  const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  if (jobFile === undefined) {
    say({ error: "usage: replay-job.ts JOB.json" });
    return 2;
  }
  try {
    const job = JSON.parse(await readFile(jobFile, "utf8")) as ReplayJob;
    let said = -1;
    const result = await runReplayJob(job, (share) => {
      // A line per percent at most: the parent writes progress to the database.
      const percent = Math.floor(share * 100);
      if (percent > said) say({ progress: (said = percent) / 100 });
    });
    say({ result });
    return 0;
  } catch (error) {
    const known = error instanceof ReplayJobError || error instanceof RecordingError || error instanceof ReplaySetupError || error instanceof BotConfigFileError;
    say({ error: known ? error.message : String(error instanceof Error ? (error.stack ?? error.message) : error) });
    return 2;
  }
}

if (process.argv[1] !== undefined && /replay-job\.ts$/.test(process.argv[1])) process.exitCode = await main(process.argv[2]);
