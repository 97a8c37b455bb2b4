import { describe, expect, it } from "vitest";
import { SweepDetector, VolatilityEstimator } from "../src/quoting";
import { trade } from "./support/market";

describe("VolatilityEstimator", () => {
  it("is the root of the summed squared log returns inside the window", () => {
    const v = new VolatilityEstimator(1_000);
    v.onTrade(trade("100", "1", 0));
    v.onTrade(trade("101", "1", 100));
    v.onTrade(trade("100", "1", 200));
    expect(v.volatility(200)).toBeCloseTo(Math.SQRT2 * Math.log(1.01), 12);
    // The first return (at 100) leaves the window at 1100.
    expect(v.volatility(1_100)).toBeCloseTo(Math.log(1.01), 12);
    expect(v.volatility(1_200)).toBe(0);
  });
});

describe("SweepDetector", () => {
  const settings = { windowMs: 1_000, minMove: 0.001, minAggressorShare: 0.8 };
  it.each([
    ["sellers pushing down threaten our bid", [["100", "1", 0, true], ["99.95", "2", 300, true], ["99.85", "1", 600, true]], "BUY"],
    ["buyers pushing up threaten our ask", [["100", "1", 0, false], ["100.2", "5", 500, false]], "SELL"],
    ["a small move is no sweep", [["100", "1", 0, true], ["99.95", "2", 300, true]], null],
    ["two-sided flow is no sweep", [["100", "1", 0, true], ["99.8", "1", 300, false]], null],
  ] as const)("%s", (_name, trades, threatened) => {
    const d = new SweepDetector(settings);
    for (const [p, q, t, m] of trades) d.onTrade(trade(p, q, t, m));
    expect(d.signal(trades.at(-1)![2]).threatenedSide).toBe(threatened);
  });

  it("forgets trades that left the window", () => {
    const d = new SweepDetector(settings);
    d.onTrade(trade("100", "1", 0, true));
    d.onTrade(trade("99.8", "1", 500, true));
    expect(d.signal(500)).toMatchObject({ threatenedSide: "BUY", aggressorShare: 1 });
    expect(d.signal(1_600)).toMatchObject({ threatenedSide: null, move: 0 });
  });
});
