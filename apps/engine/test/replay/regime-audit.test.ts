// The audit holds on the regimes, not just the calm capture: on the thinned capture (event-driven and periodic), the
// mirrored one played 10x faster at 200 ms, and the synthetic thin pair, the auditor's reading of the event log
// equals the report.
import { defaultBotConfig, type BotConfig, type BotLogEntry } from "@bandkeeper/core";
import { beforeAll, describe, expect, it } from "vitest";
import { EVENT_LOG_VERSION, eventLogLine } from "../../src/audit/event-log";
import { loadRecording, type Recording } from "../../src/replay/recording";
import { simulateReplay } from "../../src/replay/run-replay";
import { syntheticThinTape, THIN_SYMBOL } from "../../src/replay/tapes/synthetic-thin";
import { compressTape, mirrorTape, thinTape } from "../../src/replay/tapes/transforms";
import { auditEventLog } from "./audit-checker";
import { CAPTURE } from "./cli-runner";

function auditAgainstReport(recording: Recording, symbol: Parameters<typeof simulateReplay>[1]["symbol"], config: BotConfig, latencyMs: number) {
  const entries: BotLogEntry[] = [];
  const result = simulateReplay(recording, { symbol, config, latencyMs, onLog: (entry) => entries.push(entry) });
  const header = { kind: "run", version: EVENT_LOG_VERSION, source: "replay", botId: "replay", symbol: "replay", config } as const;
  const text = [eventLogLine(header), ...entries.map(eventLogLine), eventLogLine({ kind: "end", time: result.endedAt })].join("");
  const audit = auditEventLog(text);
  const { report } = result;
  expect(audit.runningMs).toBe(report.runningMs);
  expect(audit.spreadCompliance).toBe(report.spreadCompliance);
  expect(audit.twoSided).toBe(report.twoSided);
  expect(audit.ordersAcked).toBe(report.ordersPlaced);
  expect(audit.episodes).toHaveLength(report.responseLatencyMs.count);
  expect(audit.episodes.reduce((sum, [start, end]) => sum + end - start, 0)).toBe(report.responseLatencyMs.totalMs);
  return result;
}

const periodic: BotConfig = { ...defaultBotConfig, requoteMode: "periodic" };

describe("the audit on the regime benchmark's tapes", () => {
  let capture: Recording;
  beforeAll(async () => {
    capture = await loadRecording(CAPTURE, "BTCUSDT", "0.01");
  }, 120_000);

  it("recomputes the report exactly on the capture thinned to 1%, event-driven and periodic", () => {
    const tape = thinTape(capture, 100);
    for (const config of [defaultBotConfig, periodic]) auditAgainstReport(tape, "BTCUSDT", config, 10);
  }, 240_000);

  it("recomputes the report exactly on the mirrored capture played 10x faster at 200 ms one-way", () => {
    auditAgainstReport(compressTape(mirrorTape(capture), 10), "BTCUSDT", defaultBotConfig, 200);
  }, 240_000);

  it("recomputes the report exactly on two hours of the synthetic thin pair", () => {
    const result = auditAgainstReport(syntheticThinTape({ seed: 2, hours: 2 }), THIN_SYMBOL, defaultBotConfig, 10);
    expect(result.report.runningMs).toBe(2 * 3_600_000);
  }, 240_000);
});
