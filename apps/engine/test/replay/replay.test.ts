// The shared 10.8-minute BTCUSDT capture replayed with the default config and 10 ms one-way latency, twice: once
// through the CLI (as users run it, writing the event log) and once in-process, at the same time.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultBotConfig } from "@bandkeeper/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runReplay, type ReplayResult } from "../../src/replay/run-replay";
import { auditEventLog } from "./audit-checker";
import { CAPTURE, runCli, type CliRun } from "./cli-runner";

const REPORT_FIELDS = [
  "spreadCompliance",
  "twoSided",
  "depthCompliance",
  "depthOrderShare",
  "passiveFillRate",
  "fillsPerHour",
  "filledNotionalRate",
  "responseLatencyMs",
  "ordersPlaced",
  "ordersFilled",
  "runningMs",
];

describe("replay of the BTCUSDT capture, default config, 10 ms latency", () => {
  let dir: string;
  let eventsFile: string;
  let cli: CliRun;
  let inProcess: ReplayResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-replay-"));
    eventsFile = join(dir, "events.jsonl");
    const args = CAPTURE.flatMap((file) => ["--data", file]);
    const viaCli = runCli([...args, "--symbol", "BTCUSDT", "--latency-ms", "10", "--json", "--events-out", eventsFile]);
    inProcess = await runReplay(CAPTURE, { symbol: "BTCUSDT", config: defaultBotConfig, latencyMs: 10 });
    cli = await viaCli;
  }, 240_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints exactly one JSON object with the report's fields on stdout", () => {
    expect(cli.code, cli.stderr).toBe(0);
    const lines = cli.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(REPORT_FIELDS);
    expect(Object.keys(report.responseLatencyMs as object)).toEqual(["p50", "p99", "max", "count", "totalMs"]);
  });

  it("is deterministic: the CLI run and the in-process run give the same report", () => {
    expect(cli.stdout.trim()).toBe(JSON.stringify(inProcess.report));
  });

  it("covers the whole capture as running time", () => {
    const { report, startedAt, endedAt } = inProcess;
    expect(endedAt - startedAt).toBeGreaterThan(10.8 * 60_000 - 1_000);
    expect(report.runningMs).toBe(Math.floor(endedAt) - Math.floor(startedAt));
  });

  it("meets the depth, latency and fill targets", () => {
    const { report } = inProcess;
    expect(report.depthCompliance).toBeGreaterThanOrEqual(0.999);
    // Per breach episode (the start and the capture's jumps): one round trip of 20 ms plus decision for most of them.
    expect(report.responseLatencyMs.count).toBeGreaterThanOrEqual(3);
    expect(report.responseLatencyMs.p50).toBeLessThanOrEqual(25);
    expect(report.responseLatencyMs.p99).toBeLessThan(100);
    expect(report.passiveFillRate).toBeLessThan(0.005);
  });

  it("meets the spread-compliance and two-sided targets with the default config", () => {
    const { report } = inProcess;
    expect(report.spreadCompliance).toBeGreaterThanOrEqual(0.998);
    expect(report.twoSided).toBeGreaterThanOrEqual(0.999);
    expect(report.ordersPlaced).toBeGreaterThan(20);
  });

  it("writes an event log from which an auditor recomputes twoSided and spreadCompliance exactly", async () => {
    const text = await readFile(eventsFile, "utf8");
    const header = JSON.parse(text.slice(0, text.indexOf("\n"))) as Record<string, unknown>;
    expect(header).toMatchObject({ kind: "run", source: "replay", symbol: "BTCUSDT", latencyMs: 10, config: defaultBotConfig });
    const audit = auditEventLog(text);
    const { report } = inProcess;
    expect(audit.runningMs).toBe(report.runningMs);
    expect(audit.twoSided).toBe(report.twoSided);
    expect(audit.spreadCompliance).toBe(report.spreadCompliance);
    expect(audit.ordersAcked).toBe(report.ordersPlaced);
    // Every breach episode: the auditor's, the bot's own episode lines and the report agree exactly.
    const lines = text.trim().split("\n").filter((line) => line.includes('"kind":"episode"')).map((line) => JSON.parse(line) as { start: number; end: number });
    expect(audit.episodes).toEqual(lines.map((e) => [e.start, e.end]));
    expect(audit.episodes).toHaveLength(report.responseLatencyMs.count);
    expect(audit.episodes.reduce((sum, [start, end]) => sum + end - start, 0)).toBe(report.responseLatencyMs.totalMs);
    expect(Math.max(...audit.episodes.map(([start, end]) => end - start))).toBe(report.responseLatencyMs.max);
  });
});
