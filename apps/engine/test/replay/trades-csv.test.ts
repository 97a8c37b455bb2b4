// The CSV path: a data.binance.vision trades file has no book, so both the bot and the exchange see a one-level
// book around each print. Fast, and a check that the trade-only input runs the same kernel end to end.
import { resolve } from "node:path";
import { defaultBotConfig } from "@bandkeeper/core";
import { describe, expect, it } from "vitest";
import { loadRecording } from "../../src/replay/recording";
import { simulateReplay } from "../../src/replay/run-replay";
import { FIXTURES } from "./cli-runner";

const SAMPLE = resolve(FIXTURES, "BTCUSDT-trades-2024-08-08-sample.csv");

describe("replay of a data.binance.vision trades CSV", () => {
  it("quotes both sides through the recording and reports the same numbers every run", async () => {
    const recording = await loadRecording([SAMPLE], "BTCUSDT", "0.01");
    expect(recording.format).toBe("trades");
    const trades = recording.botEvents.filter((e) => e.kind === "trade");
    expect(trades).toHaveLength(3_000);

    const first = simulateReplay(recording, { symbol: "BTCUSDT", config: defaultBotConfig });
    const second = simulateReplay(recording, { symbol: "BTCUSDT", config: defaultBotConfig });
    expect(JSON.stringify(second.report)).toBe(JSON.stringify(first.report));
    expect(first.report.runningMs).toBe(Math.floor(recording.end) - Math.floor(recording.start));
    expect(first.report.ordersPlaced).toBeGreaterThanOrEqual(2);
    expect(first.report.twoSided).toBeGreaterThan(0.9);
    expect(first.report.depthCompliance).toBe(1);
  }, 60_000);

  it("refuses to mix captures and CSVs", async () => {
    await expect(loadRecording([SAMPLE, resolve(FIXTURES, "btcusdt_20240808.gz")], "BTCUSDT", "0.01")).rejects.toThrow(/not both/);
  });
});
