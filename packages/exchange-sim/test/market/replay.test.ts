import { readStreamCapture } from "@bandkeeper/binance/recordings/stream-capture";
import { describe, expect, it } from "vitest";

import type { MarketEvent } from "../../src/exchange/venue";
import { EmptyMarket } from "../../src/market/empty";
import {
  captureRecords,
  CaptureReplayBuilder,
  ReplayMarket,
  tradesCsvRecords,
  type ReplayRecord,
} from "../../src/market/replay";
import { SimulatedExchange } from "../../src/exchange/simulated-exchange";
import { fixturePath, ManualClock, recordingPath } from "../exchange/helpers";

const CAPTURE = recordingPath("btcusdt_20240808.gz");

function exchangeOver(market: ReplayMarket, clock: ManualClock): SimulatedExchange {
  return new SimulatedExchange({
    clock,
    markets: { BTCUSDT: market, ETHUSDT: new EmptyMarket("ETHUSDT"), BNBUSDT: new EmptyMarket("BNBUSDT") },
  });
}

describe("ReplayMarket over a recorded capture", () => {
  it("rebuilds the book from snapshot + diffs: best bid/ask equal the recorded bookTicker at matching update ids", async () => {
    // One pass over the capture: the recorded bookTickers and trades to compare with, and the replay records.
    const recorded = new Map<number, string>();
    const recordedTrades: number[] = [];
    const records: ReplayRecord[] = [];
    const builder = new CaptureReplayBuilder("BTCUSDT", records);
    for await (const r of readStreamCapture(CAPTURE)) {
      builder.add(r);
      if (r.kind !== "market") continue;
      if (r.event.eventType === "bookTicker") {
        recorded.set(r.event.updateId, `${r.event.bidPrice.toFixed(8)} ${r.event.askPrice.toFixed(8)}`);
      } else if (r.event.eventType === "trade") recordedTrades.push(r.event.tradeId);
    }
    builder.finish();
    const clock = new ManualClock(1_723_161_253_000);
    const market = new ReplayMarket("BTCUSDT", records, { speed: 50, startAt: clock.time + 1 });
    const exchange = exchangeOver(market, clock);
    const events: MarketEvent[] = [];
    exchange.onMarketEvent("BTCUSDT", (e) => events.push(e));
    let compared = 0;
    const mismatches: string[] = [];
    exchange.onMarketEvent("BTCUSDT", (e) => {
      if (e.stream !== "bookTicker") return;
      const want = recorded.get(e.data.u);
      if (want === undefined) return;
      compared++;
      if (want !== `${e.data.b} ${e.data.a}`) mismatches.push(`${e.data.u}: ${e.data.b} ${e.data.a} != ${want}`);
    });
    // Discrete-event driving: the simulated clock jumps to whatever the exchange has to do next.
    let ticks = 0;
    let stalled = 0;
    for (let next = exchange.nextEventTime(); next !== undefined; next = exchange.nextEventTime()) {
      if (next <= clock.time) stalled++;
      clock.time = next;
      exchange.tick();
      ticks++;
    }
    expect(stalled).toBe(0);
    expect(market.finished).toBe(true);
    expect(ticks).toBeGreaterThan(1000);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(300);

    // With no API orders, trade ids and the update id space are the recording's own.
    const trades = events.filter((e) => e.stream === "trade").map((e) => (e.data as { t: number }).t);
    expect(trades).toEqual(recordedTrades);
    const diffs = events.filter((e) => e.stream === "depth@100ms").map((e) => e.data);
    for (let i = 1; i < diffs.length; i++) expect(diffs[i]?.U).toBe((diffs[i - 1]?.u ?? 0) + 1);
    expect(diffs.at(-1)?.u).toBe(exchange.depth("BTCUSDT").lastUpdateId);
  }, 30_000);

  it("plays at the requested speed on the injected clock", async () => {
    const market = await ReplayMarket.fromTradesCsv("BTCUSDT", fixturePath("BTCUSDT-trades-vision-ms.csv"), {
      format: "trades",
      speed: 10,
      startAt: 0,
    });
    const seen: number[] = [];
    // Recorded trades 1723161255342 .. : at 10x, the first 10 s of recording play within 1 s of clock.
    market.advance(1000, (s) => seen.push(s.time));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((t) => t <= 1000)).toBe(true);
    expect(market.finished).toBe(false);
    const before = seen.length;
    market.advance(1000, (s) => seen.push(s.time));
    expect(seen.length).toBe(before);
  });
});

describe("ReplayMarket over data.binance.vision trade files", () => {
  it("reads headerless ms trades and headed µs aggTrades; prints fill our resting orders", async () => {
    const trades = await ReplayMarket.fromTradesCsv("BTCUSDT", fixturePath("BTCUSDT-trades-vision-ms.csv"), {
      format: "trades",
      speed: 10,
      startAt: 1000,
      bookAroundTrades: { tickSize: "0.01", qty: "1" },
    });
    const agg = await ReplayMarket.fromTradesCsv("BTCUSDT", fixturePath("BTCUSDT-aggTrades-vision-us.csv"), {
      format: "aggTrades",
      speed: 1000,
    });
    expect(trades.remaining).toBe(200);
    expect(agg.remaining).toBe(100);

    const clock = new ManualClock(1000);
    const exchange = exchangeOver(trades, clock);
    const { accountId } = exchange.createAccount({ apiKey: "k", secret: "s", balances: { USDT: "100000" } });
    const ticker = exchange.bookTicker("BTCUSDT");
    expect(ticker).toMatchObject({ bidPrice: "61837.63000000", askPrice: "61837.64000000" });
    // A bid 2 dollars under the first print: the recorded sell-off through 61835.63 must fill it.
    const placed = exchange.placeOrder(accountId, {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT_MAKER",
      quantity: "0.01",
      price: "61835.63",
    });
    while (!trades.finished) {
      clock.time += 50;
      exchange.tick();
    }
    const minPrice = Math.min(...exchange.recentTrades("BTCUSDT", "1000").map((t) => Number(t.price)));
    const order = exchange.queryOrder(accountId, { symbol: "BTCUSDT", orderId: String(placed.orderId) });
    expect(order.status).toBe(minPrice < 61835.63 ? "FILLED" : "NEW");
    expect(minPrice).toBeLessThan(61835.63);
  });
});

describe("streaming ReplayMarket", () => {
  it("plays a streamed source exactly like the same records read up front", async () => {
    const csv = fixturePath("BTCUSDT-trades-vision-ms.csv");
    const options = { format: "trades" as const, bookAroundTrades: { tickSize: "0.01", qty: "1" } };
    const run = async (market: ReplayMarket) => {
      const clock = new ManualClock(1000);
      const exchange = exchangeOver(market, clock);
      const events: MarketEvent[] = [];
      exchange.onMarketEvent("BTCUSDT", (e) => events.push(e));
      for (;;) {
        await market.ready(clock.time + 5000);
        const next = exchange.nextEventTime();
        if (next === undefined) break;
        clock.time = next;
        exchange.tick();
      }
      return events;
    };
    // Starting after the construction-time tick lets the listener see the very first record.
    const upFront = await run(await ReplayMarket.fromTradesCsv("BTCUSDT", csv, { ...options, speed: 20, startAt: 1001 }));
    const streamed = await run(new ReplayMarket("BTCUSDT", tradesCsvRecords(csv, options), { speed: 20, startAt: 1001 }));
    expect(upFront.filter((e) => e.stream === "trade")).toHaveLength(200);
    expect(streamed).toEqual(upFront);
  });

  it("reads a capture only as far as the clock needs, and closes it", async () => {
    const clock = new ManualClock(1_000_000);
    const market = new ReplayMarket("BTCUSDT", captureRecords("BTCUSDT", CAPTURE), { startAt: clock.time });
    await market.ready(clock.time + 2000);
    const exchange = exchangeOver(market, clock);
    clock.time += 2000;
    exchange.tick();
    expect(exchange.depth("BTCUSDT", "1").lastUpdateId).toBeGreaterThan(50093239218);
    expect(market.finished).toBe(false);
    await market.close();
    clock.time += 3_600_000;
    exchange.tick();
    expect(market.finished).toBe(true);
  });
});
