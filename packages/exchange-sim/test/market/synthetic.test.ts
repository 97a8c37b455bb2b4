import { describe, expect, it } from "vitest";

import { defaultSymbols } from "../../src/exchange/instruments";
import { SimulatedExchange } from "../../src/exchange/simulated-exchange";
import type { MarketEvent } from "../../src/exchange/venue";
import type { MarketStep } from "../../src/market/model";
import { SyntheticMarket } from "../../src/market/synthetic";
import { ManualClock, START } from "../exchange/helpers";

function run(seed: number, ms: number, options: Partial<ConstructorParameters<typeof SyntheticMarket>[0]> = {}): MarketStep[] {
  const market = new SyntheticMarket({ symbol: "BTCUSDT", seed, ...options });
  const steps: MarketStep[] = [];
  // Irregular advance times must not change what the market does.
  for (let t = START; t <= START + ms; t += 37 + (t % 5)) market.advance(t, (s) => steps.push(s));
  market.advance(START + ms, (s) => steps.push(s));
  return steps;
}

describe("SyntheticMarket", () => {
  it("is deterministic for a seed, whatever the advance cadence", () => {
    const a = run(42, 20_000);
    const market = new SyntheticMarket({ symbol: "BTCUSDT", seed: 42 });
    const b: MarketStep[] = [];
    market.advance(START, (s) => b.push(s));
    market.advance(START + 20_000, (s) => b.push(s));
    expect(b).toEqual(a);
    expect(run(43, 20_000)).not.toEqual(a);
  });

  it("moves with realistic defaults: tick-aligned prices, an uncrossed book near the start price, trades both ways", () => {
    const steps = run(7, 60_000, { jumpProbabilityPerSecond: 0 });
    const bids = new Map<string, string>();
    const asks = new Map<string, string>();
    let buys = 0;
    let sells = 0;
    const offTick: string[] = [];
    const crossed: number[] = [];
    for (const step of steps) {
      if (step.reset) {
        bids.clear();
        asks.clear();
      }
      for (const l of step.levels) {
        if (!/^\d+\.\d{2}0{6}$/.test(l.price)) offTick.push(l.price);
        const side = l.side === "bid" ? bids : asks;
        if (Number(l.qty) === 0) side.delete(l.price);
        else side.set(l.price, l.qty);
      }
      for (const t of step.trades) {
        if (t.buyerIsMaker) sells++;
        else buys++;
        if (!(Number(t.qty) > 0)) offTick.push(t.qty);
      }
      const bestBid = Math.max(...[...bids.keys()].map(Number));
      const bestAsk = Math.min(...[...asks.keys()].map(Number));
      if (bestBid >= bestAsk) crossed.push(step.time);
    }
    expect(offTick).toEqual([]);
    expect(crossed).toEqual([]);
    expect(bids.size).toBe(20);
    expect(asks.size).toBe(20);
    expect(buys).toBeGreaterThan(100);
    expect(sells).toBeGreaterThan(100);
    const mid = Math.max(...[...bids.keys()].map(Number));
    expect(mid).toBeGreaterThan(57_000);
    expect(mid).toBeLessThan(63_000);
  });

  it("drives the exchange's public book and trade stream, identically for the same seed", () => {
    const collect = () => {
      const clock = new ManualClock();
      const exchange = new SimulatedExchange({ clock, seed: 5 });
      const events: MarketEvent[] = [];
      exchange.onMarketEvent("ETHUSDT", (e) => events.push(e));
      for (let i = 0; i < 200; i++) {
        clock.advance(25);
        exchange.tick();
      }
      return { events, ticker: exchange.bookTicker("ETHUSDT") };
    };
    const first = collect();
    expect(first.events.filter((e) => e.stream === "trade").length).toBeGreaterThan(10);
    expect(first.events.filter((e) => e.stream === "depth@100ms").length).toBeGreaterThan(40);
    expect(Number(first.ticker.bidPrice)).toBeGreaterThan(2800);
    expect(Number(first.ticker.bidPrice)).toBeLessThan(Number(first.ticker.askPrice));
    expect(collect()).toEqual(first);
  });

  it("a symbol without a model gets a synthetic market on its own tick and step", () => {
    const clock = new ManualClock();
    const symbols = defaultSymbols().map((s) =>
      s.symbol !== "BNBUSDT"
        ? s
        : {
            ...s,
            filters: s.filters.map((f) =>
              f.filterType === "PRICE_FILTER"
                ? { ...f, tickSize: "0.10000000", minPrice: "0.10000000" }
                : f.filterType === "LOT_SIZE"
                  ? { ...f, stepSize: "0.01000000", minQty: "0.01000000" }
                  : f,
            ),
          },
    );
    const exchange = new SimulatedExchange({ clock, symbols, seed: 9 });
    const trades: string[] = [];
    exchange.onMarketEvent("BNBUSDT", (e) => {
      if (e.stream === "trade") trades.push(e.data.p, e.data.q);
    });
    for (let i = 0; i < 100; i++) {
      clock.advance(100);
      exchange.tick();
    }
    const depth = exchange.depth("BNBUSDT", "20");
    const offGrid = [...depth.bids, ...depth.asks].filter(([p, q]) => !/\.\d0{7}$/.test(p) || !/\.\d{2}0{6}$/.test(q));
    expect(depth.bids.length).toBeGreaterThan(5);
    expect(offGrid).toEqual([]);
    expect(trades.length).toBeGreaterThan(0);
  });
});

