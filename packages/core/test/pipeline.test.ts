import { describe, expect, it } from "vitest";
import {
  FillSignals,
  KpiTracker,
  ManualClock,
  OrderLedger,
  QuotePolicy,
  ReferencePriceEngine,
  SequentialIdGenerator,
  defaultBotConfig,
  dec,
  kpiSettingsFrom,
  planRequotes,
  summariseKpis,
  type BookTop,
  type Decimal,
  type Side,
} from "../src";
import { btcusdt } from "./support/instruments";

/** Deterministic pseudo-random walk (LCG), so the test needs no randomness from core. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

describe("the pieces wired as the engine wires them", () => {
  it("follows a moving market inside the band, two-sided, never crossing", () => {
    const config = defaultBotConfig;
    const instrument = btcusdt();
    const clock = new ManualClock(1_700_000_000_000);
    const ids = new SequentialIdGenerator("t-");
    const reference = new ReferencePriceEngine(config.reference);
    const signals = new FillSignals(config.fillAvoidance);
    const policy = new QuotePolicy(instrument, config);
    const ledger = new OrderLedger();
    const kpi = new KpiTracker("BTCUSDT@test", kpiSettingsFrom(config));
    const random = lcg(42);
    let mid = 65_000;
    let book: BookTop | null = null;
    const crossings: string[] = [];

    const place = (side: Side, price: Decimal, qty: Decimal) => {
      const clientOrderId = ids.next();
      ledger.submit({ clientOrderId, symbol: "BTCUSDT", side, price, qty, time: clock.now() });
      if (book && (side === "BUY" ? price.gte(book.askPrice) : price.lte(book.bidPrice))) crossings.push(`${side} ${price.toFixed()}`);
      clock.advance(2);
      ledger.apply(clientOrderId, { type: "ACKNOWLEDGED", time: clock.now(), exchangeOrderId: clientOrderId });
      kpi.record({ type: "ORDER_ACKED", time: clock.now(), clientOrderId, side, price, qty });
    };
    const cancel = (clientOrderId: string) => {
      ledger.apply(clientOrderId, { type: "CANCEL_REQUESTED", time: clock.now() });
      clock.advance(2);
      ledger.apply(clientOrderId, { type: "CANCELED", time: clock.now() });
      kpi.record({ type: "ORDER_CANCELED", time: clock.now(), clientOrderId });
    };

    for (let step = 0; step < 3_000; step++) {
      clock.advance(5 + Math.floor(random() * 40));
      mid *= 1 + (random() - 0.5) * 0.0004;
      const bid = dec(mid.toFixed(2));
      book = { bidPrice: bid, bidQty: dec("1"), askPrice: bid.plus("0.01"), askQty: dec("1"), time: clock.now() };
      reference.onBookTop(book);
      const trade = { price: random() < 0.5 ? book.bidPrice : book.askPrice, qty: dec("0.01"), time: clock.now(), isBuyerMaker: random() < 0.5 };
      reference.onTrade(trade);
      signals.onTrade(trade);

      const ref = reference.reference(clock.now());
      const { volatility, sweep } = signals.at(clock.now());
      const desired = policy.desiredQuotes({ reference: ref, book, volatility, sweep });
      const targets = {
        BUY: desired.bid.quoted ? desired.bid.levels.map((l) => l.price) : [],
        SELL: desired.ask.quoted ? desired.ask.levels.map((l) => l.price) : [],
      };
      // Running from the first market data, as a bot that starts with its market: the start is one round of places.
      if (step === 0) kpi.record({ type: "RUNNING", time: clock.now(), running: true });
      kpi.record({ type: "REFERENCE", time: clock.now(), price: ref.ok ? ref.price : null, targets });
      kpi.record({ type: "MARKET_EVENT", time: clock.now() });
      for (const action of planRequotes(desired, ledger.workingViews(), config)) {
        switch (action.kind) {
          case "place":
            place(action.side, action.price, action.qty);
            break;
          case "replace":
            place(action.side, action.price, action.qty);
            cancel(action.clientOrderId);
            break;
          case "cancel":
            cancel(action.clientOrderId);
            break;
        }
      }
    }
    const report = summariseKpis(kpi.drainAll(clock.now()));
    expect(crossings).toEqual([]);
    expect(report.spreadCompliance).toBeGreaterThan(0.99);
    expect(report.twoSided).toBeGreaterThan(0.99);
    expect(report.depthCompliance).toBeGreaterThan(0.99);
    expect(report.depthOrderShare).toBe(1);
    expect(report.responseLatencyMs.count).toBeGreaterThan(0);
    // Every breach episode, the start included, ends within one round of actions: both places (2 ms acks each),
    // then both cancels.
    expect(report.responseLatencyMs.max).toBeLessThanOrEqual(8);
    expect(ledger.working().length).toBe(2);
  });
});
