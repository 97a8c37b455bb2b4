import { describe, expect, it } from "vitest";
import { measureOutage, presenceReport, twoSidedBots, type FaultWindow, type PresenceSample } from "../src/presence";
import type { OpenSnapshot } from "../src/simulator-host";

type Resting = OpenSnapshot["open"][number];
const order = (overrides: Partial<Resting>): Resting => ({
  apiKey: "a",
  symbol: "BTCUSDT",
  side: "BUY",
  price: "60000",
  origQty: "0.2",
  executedQty: "0",
  ...overrides,
});
const bots = [
  { apiKey: "a", symbol: "BTCUSDT" },
  { apiKey: "b", symbol: "BTCUSDT" },
];

describe("twoSidedBots", () => {
  it.each([
    { name: "a bid and an ask of 12,000 USDT each", open: [order({}), order({ side: "SELL" })], expected: [true, false] },
    { name: "only a bid", open: [order({})], expected: [false, false] },
    { name: "an ask filled down to 6,000 USDT left", open: [order({}), order({ side: "SELL", executedQty: "0.1" })], expected: [false, false] },
    { name: "the other account's orders", open: [order({ apiKey: "b" }), order({ apiKey: "b", side: "SELL" })], expected: [false, true] },
    { name: "another symbol's orders", open: [order({ symbol: "ETHUSDT" }), order({ symbol: "ETHUSDT", side: "SELL" })], expected: [false, false] },
  ])("$name", ({ open, expected }) => {
    expect(twoSidedBots({ time: 0, open }, bots, "10000")).toEqual(expected);
  });
});

const samples = (pattern: string[]): PresenceSample[] =>
  pattern.map((bits, second) => ({ atMs: second * 1000, twoSided: [...bits].map((bit) => bit === "1") }));

describe("presenceReport and measureOutage", () => {
  // Seconds 0-9; a fault from 3 s to 5 s with 2 s of recovery allowance: window 3-7 s.
  const window: FaultWindow = { kind: "engineKill", startMs: 3_000, faultEndMs: 5_000, endMs: 7_000 };
  const timeline = samples(["11", "11", "11", "10", "00", "00", "01", "11", "11", "10"]);

  it("splits bot-samples inside and outside the outage windows", () => {
    const report = presenceReport(timeline, [window], 2);
    // Inside: seconds 3-7 -> 10 bot-samples, 4 two-sided. Outside: seconds 0-2, 8, 9 -> 10 bot-samples, 9 two-sided.
    expect(report.insideOutages).toEqual({ samples: 5, twoSided: 0.4 });
    expect(report.outsideOutages).toEqual({ samples: 5, twoSided: 0.9 });
    expect(report.outsidePerBot).toEqual([1, 0.8]);
  });

  it("measures degraded seconds and the recovery after the fault's end", () => {
    expect(measureOutage(timeline, window, 1000)).toEqual({ degradedS: 4, recoveredAfterS: 2 });
    expect(measureOutage(samples(["00", "00", "00", "00", "00", "00", "00", "00"]), window, 1000)).toEqual({ degradedS: 5, recoveredAfterS: null });
  });

  it("has no figure without samples", () => {
    expect(presenceReport([], [window], 2).outsideOutages).toEqual({ samples: 0, twoSided: null });
  });
});
