import { describe, expect, it } from "vitest";
import { dec } from "../src/money";
import { NO_SWEEP, QuotePolicy, planPeriodicRefresh, planRequotes, type DesiredQuotes, type RequoteAction, type WorkingOrderView } from "../src/quoting";
import { btcusdt } from "./support/instruments";
import { book } from "./support/market";
import { config, referenceAt } from "./support/quoting";

const cfg = config();
// R = 65000: wanted bid 64792.00 x 0.16206, ask 65208.00 x 0.16103.
const desired: DesiredQuotes = new QuotePolicy(btcusdt(), cfg).desiredQuotes({
  reference: referenceAt("65000"),
  book: book("64999.99", "65000.01", 0),
  volatility: 0,
  sweep: NO_SWEEP,
});

let nextId = 1;
function order(side: "BUY" | "SELL", price: string, overrides: Partial<WorkingOrderView> = {}): WorkingOrderView {
  return { clientOrderId: `o${nextId++}`, side, price: dec(price), remainingQty: dec("0.162"), status: "NEW", ...overrides };
}

function summary(actions: RequoteAction[]): string[] {
  return actions.map((a) => {
    switch (a.kind) {
      case "place":
        return `place ${a.side} ${a.price.toFixed(2)} ${a.reason}`;
      case "replace":
        return `replace ${a.clientOrderId} ${a.side} ${a.price.toFixed(2)} ${a.reason}`;
      case "cancel":
        return `cancel ${a.clientOrderId} ${a.reason}`;
    }
  });
}

describe("planRequotes", () => {
  const ask = order("SELL", "65208.00", { clientOrderId: "ask" });
  it.each([
    ["places both sides when nothing rests", [], ["place BUY 64792.00 MISSING_LEVEL", "place SELL 65208.00 MISSING_LEVEL"]],
    ["keeps orders at the wanted prices", [order("BUY", "64792.00"), ask], []],
    ["keeps an order inside the inner band and the drift threshold", [order("BUY", "64825.00"), ask], []],
    ["replaces an order that drifted", [order("BUY", "64835.00", { clientOrderId: "b" }), ask], ["replace b BUY 64792.00 DRIFTED"]],
    ["replaces an order near minSpread", [order("BUY", "64860.00", { clientOrderId: "b" }), ask], ["replace b BUY 64792.00 OUTSIDE_INNER_BAND"]],
    ["replaces an order near maxSpread", [order("BUY", "64750.00", { clientOrderId: "b" }), ask], ["replace b BUY 64792.00 OUTSIDE_INNER_BAND"]],
    [
      "replaces a partly filled order below minNotional",
      [order("BUY", "64792.00", { clientOrderId: "b", remainingQty: dec("0.1") }), ask],
      ["replace b BUY 64792.00 UNDERSIZED"],
    ],
    [
      "cancels the extra order, after keeping the better one",
      [order("BUY", "64790.00", { clientOrderId: "far" }), order("BUY", "64792.00", { clientOrderId: "near" }), ask],
      ["cancel far EXCESS"],
    ],
    ["waits for an order awaiting its ack", [order("BUY", "64700.00", { status: "PENDING_NEW" }), ask], []],
    ["waits for an order of unknown outcome", [order("BUY", "64700.00", { status: "UNKNOWN" }), ask], []],
    ["ignores an order already being cancelled", [order("BUY", "64792.00", { status: "PENDING_CANCEL" }), ask], ["place BUY 64792.00 MISSING_LEVEL"]],
  ])("%s", (_name, orders, expected) => {
    expect(summary(planRequotes(desired, orders, cfg))).toEqual(expected);
  });

  it("sends places and replaces before cancels", () => {
    const orders = [order("BUY", "64700.00", { clientOrderId: "b1" }), order("BUY", "64701.00", { clientOrderId: "b2" })];
    expect(summary(planRequotes(desired, orders, cfg))).toEqual([
      "replace b2 BUY 64792.00 OUTSIDE_INNER_BAND",
      "place SELL 65208.00 MISSING_LEVEL",
      "cancel b1 OUTSIDE_INNER_BAND",
    ]);
  });

  const blocked: DesiredQuotes = {
    reference: null,
    bid: { side: "BUY", quoted: false, state: "STALE_MARKET_DATA", reason: "no book update for 6000 ms" },
    ask: { side: "SELL", quoted: false, state: "RISK_PAUSED", reason: "price moved 2%" },
  };
  it.each([
    ["PULL", ["cancel b STALE_MARKET_DATA", "cancel a RISK_PAUSED"]],
    ["HOLD", ["cancel a RISK_PAUSED"]],
  ] as const)("pulls blocked sides, holding stale ones only with onStale %s", (onStale, expected) => {
    const orders = [order("BUY", "64792.00", { clientOrderId: "b" }), order("SELL", "65208.00", { clientOrderId: "a" })];
    expect(summary(planRequotes(blocked, orders, { ...cfg, reference: { ...cfg.reference, onStale } }))).toEqual(expected);
  });
});

describe("planRequotes under fill avoidance", () => {
  // A sweep toward the bid widens it to 0.38% (64753.00); volatility of 0.0001 only to 0.33% (64785.50).
  const quotes = (volatility: number, threatened: boolean) =>
    new QuotePolicy(btcusdt(), cfg).desiredQuotes({
      reference: referenceAt("65000"),
      book: book("64999.99", "65000.01", 0),
      volatility,
      sweep: threatened ? { threatenedSide: "BUY", move: -0.0012, aggressorShare: 0.9 } : NO_SWEEP,
    });
  const resting = [order("BUY", "64792.00", { clientOrderId: "b" }), order("SELL", "65208.00", { clientOrderId: "a" })];

  it("moves a bid away from a sweep although the move equals the drift threshold", () => {
    expect(summary(planRequotes(quotes(0, true), resting, cfg))).toEqual(["replace b BUY 64753.00 WIDENING"]);
  });

  it("leaves volatility widening to the drift threshold, so it does not churn", () => {
    expect(summary(planRequotes(quotes(0.0001, false), resting, cfg))).toEqual([]);
  });
});

describe("planPeriodicRefresh (Hummingbot's loop: cancel all, wait for the cancels, create on the next tick)", () => {
  const orders = [order("BUY", "64792.00", { clientOrderId: "b" }), order("SELL", "65208.00", { clientOrderId: "a" })];

  it("cancels every order once it is refreshMs old, and places nothing while they are working", () => {
    const plan = planPeriodicRefresh(desired, orders, 2_000, 1_000, 1_000);
    expect(plan.placing).toBe(false);
    expect(summary([...plan.actions])).toEqual(["cancel b PERIODIC_REFRESH", "cancel a PERIODIC_REFRESH"]);
  });

  it("waits while a cancel is unconfirmed", () => {
    const leaving = [order("BUY", "64792.00", { clientOrderId: "b", status: "PENDING_CANCEL" })];
    expect(planPeriodicRefresh(desired, leaving, 2_100, 1_000, 1_000)).toEqual({ placing: false, actions: [] });
  });

  it("places every wanted level on the first tick with no working order", () => {
    const plan = planPeriodicRefresh(desired, [], 2_200, 1_000, 1_000);
    expect(plan.placing).toBe(true);
    expect(summary([...plan.actions])).toEqual(["place BUY 64792.00 PERIODIC_REFRESH", "place SELL 65208.00 PERIODIC_REFRESH"]);
  });

  it("does nothing between refreshes, wherever the market went", () => {
    expect(planPeriodicRefresh(desired, orders, 1_999, 1_000, 1_000)).toEqual({ placing: false, actions: [] });
  });
});

describe("planRequotes moving both sides together", () => {
  it("replaces the other side in the same round trip when it has used much of its room", () => {
    // The bid drifted 0.07% (past 0.06%); the ask 24 = 0.037% (within 0.06% alone, past the coupled 0.06% - 0.024%).
    const orders = [order("BUY", "64837.50", { clientOrderId: "b" }), order("SELL", "65184.00", { clientOrderId: "a" })];
    expect(summary(planRequotes(desired, orders, cfg))).toEqual(["replace b BUY 64792.00 DRIFTED", "replace a SELL 65208.00 DRIFTED"]);
  });

  it("leaves the other side alone while it sits near its target", () => {
    const orders = [order("BUY", "64837.50", { clientOrderId: "b" }), order("SELL", "65210.00", { clientOrderId: "a" })];
    expect(summary(planRequotes(desired, orders, cfg))).toEqual(["replace b BUY 64792.00 DRIFTED"]);
  });
});

describe("planRequotes with a response guard", () => {
  it("replaces an order a round trip's move before it drifts past the threshold", () => {
    // The default drift threshold is 0.0006: an order 0.0005 from its target stands without a guard and is
    // replaced with a guard of 0.0002 (it would drift past 0.0006 before a response could land).
    const near = [order("BUY", "64823.50", { clientOrderId: "b" }), order("SELL", "65208.00", { clientOrderId: "a" })];
    expect(summary(planRequotes(desired, near, cfg))).toEqual([]);
    expect(summary(planRequotes(desired, near, cfg, 0.0002))).toEqual(["replace b BUY 64792.00 DRIFTED"]);
  });

  it("narrows the inner band by the whole guard, so an order near the edge is replaced before a jump carries it out", () => {
    // The ask at 0.34% is inside the inner band (0.22%..0.38%) and 0.02% from its target. A guard of 0.05% (a round
    // trip's largest recent move) narrows the inner band to 0.27%..0.33%: past 0.4 x the drift threshold.
    const edge = [order("BUY", "64792.00", { clientOrderId: "b" }), order("SELL", "65221.00", { clientOrderId: "a" })];
    expect(summary(planRequotes(desired, edge, cfg))).toEqual([]);
    expect(summary(planRequotes(desired, edge, cfg, 0.0005))).toEqual(["replace a SELL 65208.00 OUTSIDE_INNER_BAND"]);
  });

  it("keeps the drift threshold's shrink at 0.4 x itself, so small moves do not requote under a large guard", () => {
    // 0.03% from the target: inside 0.06% - 0.024% whatever the guard (and inside the narrowed band).
    const near = [order("BUY", "64811.50", { clientOrderId: "b" }), order("SELL", "65208.00", { clientOrderId: "a" })];
    expect(summary(planRequotes(desired, near, cfg, 0.0005))).toEqual([]);
  });
});
