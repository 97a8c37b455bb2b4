import { describe, expect, it } from "vitest";
import { defaultBotConfig } from "../src/config";
import { dec } from "../src/money";
import { PriceMoveWindow, SlidingCounter, evaluateRisk, mostSevere, riskDecision, type RiskSnapshot } from "../src/risk";

const limits = { ...defaultBotConfig.risk, maxBasePosition: "1", maxQuotePosition: "50000" };

function snapshot(overrides: Partial<RiskSnapshot> = {}): RiskSnapshot {
  return {
    base: { free: dec("2"), locked: dec("0.16") },
    quote: { free: dec("100000"), locked: dec("10500") },
    startBase: dec("2.16"),
    startQuote: dec("110500"),
    requiredQuote: dec("10500"),
    requiredBase: dec("0.16103"),
    priceMove: 0,
    openOrders: 2,
    feedStale: null,
    consecutiveApiErrors: 0,
    ...overrides,
  };
}

describe("evaluateRisk", () => {
  it("is all clear in normal conditions", () => {
    expect(evaluateRisk(snapshot(), limits)).toEqual([]);
  });

  it.each<[string, Partial<RiskSnapshot>, string[]]>([
    ["too little quote for a bid", { quote: { free: dec("10000"), locked: dec("10500") }, startQuote: dec("20500") }, ["PAUSE_SIDE BUY BALANCE"]],
    ["too little base for an ask", { base: { free: dec("0.1"), locked: dec("0.16") }, startBase: dec("0.26") }, ["PAUSE_SIDE SELL BALANCE"]],
    ["long beyond the base limit", { base: { free: dec("3.2"), locked: dec("0") } }, ["PAUSE_SIDE BUY BASE_POSITION"]],
    ["short beyond the base limit", { base: { free: dec("1"), locked: dec("0.1") } }, ["PAUSE_SIDE SELL BASE_POSITION"]],
    ["near the base limit", { base: { free: dec("3"), locked: dec("0") } }, ["WARN BASE_POSITION"]],
    ["quote grown beyond its limit", { quote: { free: dec("170000"), locked: dec("0") } }, ["PAUSE_SIDE SELL QUOTE_POSITION"]],
    ["a price move of half the limit", { priceMove: 0.012 }, ["WIDEN PRICE_MOVE"]],
    ["a price move at the limit", { priceMove: 0.02 }, ["PAUSE PRICE_MOVE"]],
    ["too many open orders", { openOrders: 11 }, ["PAUSE OPEN_ORDERS"]],
    ["a dead market-data feed", { feedStale: "market-data connection down for 12 s" }, ["PAUSE MARKET_DATA"]],
    ["API errors in a row", { consecutiveApiErrors: 5 }, ["PAUSE API_ERRORS"]],
    ["a storm of API errors", { consecutiveApiErrors: 20 }, ["EMERGENCY_STOP API_ERRORS"]],
  ])("acts on %s", (_name, overrides, expected) => {
    const actions = evaluateRisk(snapshot(overrides), limits);
    expect(actions.map((a) => [a.kind, a.kind === "PAUSE_SIDE" ? a.side : null, a.rule].filter(Boolean).join(" "))).toEqual(expected);
    for (const a of actions) expect(a.reason.length).toBeGreaterThan(0);
  });
});

describe("riskDecision", () => {
  it("maps actions to named quote states and widening", () => {
    const actions = evaluateRisk(snapshot({ quote: { free: dec("0"), locked: dec("0") }, startQuote: dec("0"), priceMove: 0.015 }), limits);
    const decision = riskDecision(actions, defaultBotConfig.band);
    expect(decision.restrictions.blocked?.BUY?.state).toBe("INSUFFICIENT_BALANCE");
    expect(decision.restrictions.blocked?.SELL).toBeUndefined();
    expect(decision.restrictions.extraWiden).toBe(0.004);
    expect(decision.emergencyStop).toBe(false);
    expect(mostSevere(actions)?.kind).toBe("PAUSE_SIDE");
  });

  it.each([
    [{ feedStale: "depth resync failing" }, "STALE_MARKET_DATA", false],
    [{ consecutiveApiErrors: 30 }, "RISK_PAUSED", true],
  ])("pauses both sides for %o", (overrides, state, emergency) => {
    const decision = riskDecision(evaluateRisk(snapshot(overrides), limits), defaultBotConfig.band);
    expect(decision.restrictions.blocked?.BUY?.state).toBe(state);
    expect(decision.restrictions.blocked?.SELL?.state).toBe(state);
    expect(decision.emergencyStop).toBe(emergency);
  });
});


describe("risk windows", () => {
  it("counts events in a sliding window", () => {
    const c = new SlidingCounter(10_000);
    for (const t of [0, 1_000, 9_000]) c.record(t);
    expect(c.count(9_000)).toBe(3);
    expect(c.count(10_000)).toBe(2);
    expect(c.count(19_000)).toBe(0);
  });

  it("measures the largest move in a sliding window", () => {
    const w = new PriceMoveWindow(60_000);
    w.record(0, dec("100"));
    w.record(10_000, dec("102"));
    w.record(20_000, dec("101"));
    expect(w.move(20_000)).toBeCloseTo(0.02, 12);
    // At 60 000 the 100 has left: max 102, min 101.
    expect(w.move(60_000)).toBeCloseTo(1 / 101, 12);
    expect(w.move(200_000)).toBe(0);
  });
});

describe("PriceMoveWindow against a brute force", () => {
  it("matches (max - min) / min over the window on a long monotone run", () => {
    const w = new PriceMoveWindow(1_000);
    const seen: { t: number; p: number }[] = [];
    for (let t = 0; t < 5_000; t += 7) {
      const p = 100 + t / 1_000 + (t % 3);
      w.record(t, dec(String(p)));
      seen.push({ t, p });
      const inside = seen.filter((x) => x.t > t - 1_000).map((x) => x.p);
      const expected = (Math.max(...inside) - Math.min(...inside)) / Math.min(...inside);
      expect(w.move(t)).toBeCloseTo(expected, 12);
    }
  });
});
