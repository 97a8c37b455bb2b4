// The regime transforms on the command line: `npm run replay -- --thin N --mirror --speed K` replays the tape the
// tapes module makes, so any recording can be tried as a thinner, faster or mirrored market.
import { resolve } from "node:path";
import { defaultBotConfig } from "@bandkeeper/core";
import { describe, expect, it } from "vitest";
import { loadRecording } from "../../src/replay/recording";
import { simulateReplay } from "../../src/replay/run-replay";
import { compressTape, mirrorTape, thinTape } from "../../src/replay/tapes/transforms";
import { FIXTURES, runCli } from "./cli-runner";

const SAMPLE = resolve(FIXTURES, "BTCUSDT-trades-2024-08-08-sample.csv");

describe("npm run replay -- --thin --mirror --speed", () => {
  it("reports what the tapes module's thinned, mirrored, sped-up tape gives in-process", async () => {
    const run = await runCli(["--data", SAMPLE, "--symbol", "BTCUSDT", "--thin", "10", "--mirror", "--speed", "4", "--json", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    const recording = await loadRecording([SAMPLE], "BTCUSDT", "0.01");
    const tape = compressTape(mirrorTape(thinTape(recording, 10)), 4);
    const expected = simulateReplay(tape, { symbol: "BTCUSDT", config: defaultBotConfig });
    expect(run.stdout.trim()).toBe(JSON.stringify(expected.report));
    expect(expected.report.runningMs).toBe(Math.floor(tape.end) - Math.floor(tape.start));
    expect(tape.end - tape.start).toBeCloseTo((recording.end - recording.start) / 4, 2);
  }, 60_000);

  it.each([
    [["--thin", "0.5"], "--thin must be a whole number >= 1, got 0.5"],
    [["--speed=0"], "--speed must be a positive number, got 0"],
  ])("refuses %j", async (flags, message) => {
    const run = await runCli(["--data", SAMPLE, "--symbol", "BTCUSDT", ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  }, 30_000);
});
