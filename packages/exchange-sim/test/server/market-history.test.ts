// The trade history behind klines, aggregate trades and 24-hour statistics, on a manual clock with trades of known
// prices, sizes and times: each figure is checked against what the trades add up to.
import { describe, expect, it } from "vitest";
import { MarketHistory } from "../../src/server/market-history";
import { harness, START } from "../exchange/helpers";

const MINUTE = 60_000;

function world() {
  const h = harness();
  const history = new MarketHistory(h.exchange, () => h.clock.now());
  const maker = h.account();
  const taker = h.account();
  /** A trade of `qty` at `price`: the maker rests the order, the taker takes it (`takerSide` is the taker's). */
  const trade = (price: string, qty: string, takerSide: "BUY" | "SELL") => {
    const order = { symbol: "BTCUSDT", type: "LIMIT", timeInForce: "GTC", quantity: qty, price };
    h.exchange.placeOrder(maker, { ...order, side: takerSide === "BUY" ? "SELL" : "BUY" });
    h.exchange.placeOrder(taker, { ...order, side: takerSide });
  };
  return { h, history, trade };
}

describe("MarketHistory", () => {
  it("adds trades up into 1m klines; a minute without trades carries the previous close; larger intervals sum them", () => {
    const { h, history, trade } = world();
    h.clock.time = START + 5_000;
    trade("60000.00", "0.10000000", "BUY");
    h.clock.time = START + 35_000;
    trade("60100.00", "0.20000000", "SELL");
    h.clock.time = START + 2 * MINUTE + 1_000;
    trade("59900.00", "0.30000000", "BUY");
    h.clock.time = START + 2 * MINUTE + 30_000;

    const klines = history.klines({ symbol: "BTCUSDT", interval: "1m" });
    expect(klines).toEqual([
      [START, "60000.00000000", "60100.00000000", "60000.00000000", "60100.00000000", "0.30000000", START + MINUTE - 1, "18020.00000000", 2, "0.10000000", "6000.00000000", "0"],
      [START + MINUTE, "60100.00000000", "60100.00000000", "60100.00000000", "60100.00000000", "0.00000000", START + 2 * MINUTE - 1, "0.00000000", 0, "0.00000000", "0.00000000", "0"],
      [START + 2 * MINUTE, "59900.00000000", "59900.00000000", "59900.00000000", "59900.00000000", "0.30000000", START + 3 * MINUTE - 1, "17970.00000000", 1, "0.30000000", "17970.00000000", "0"],
    ]);
    expect(history.klines({ symbol: "BTCUSDT", interval: "1m", limit: "1" })).toEqual([klines[2]]);
    expect(history.klines({ symbol: "BTCUSDT", interval: "1m", startTime: String(START + 1) })).toEqual(klines.slice(1));
    expect(history.klines({ symbol: "BTCUSDT", interval: "1m", endTime: String(START + MINUTE) })).toEqual(klines.slice(0, 2));
    const [fiveMinutes] = history.klines({ symbol: "BTCUSDT", interval: "5m" });
    expect(fiveMinutes).toEqual([START, "60000.00000000", "60100.00000000", "59900.00000000", "59900.00000000", "0.60000000", START + 5 * MINUTE - 1, "35990.00000000", 3, "0.40000000", "23970.00000000", "0"]);
    const seconds = history.klines({ symbol: "BTCUSDT", interval: "1s", startTime: String(START + 2 * MINUTE), limit: "3" });
    // 1s klines come from per-second buckets: the second before the trade carries the close of 35 s earlier.
    expect(seconds.map((k) => [k[0], k[4], k[8]])).toEqual([
      [START + 2 * MINUTE, "60100.00000000", 0],
      [START + 2 * MINUTE + 1_000, "59900.00000000", 1],
      [START + 2 * MINUTE + 2_000, "59900.00000000", 0],
    ]);
  });

  it("the 24-hour ticker: change, weighted average, ids and count over the window, the book's best prices", () => {
    const { h, history, trade } = world();
    h.clock.time = START + 5_000;
    trade("60000.00", "0.10000000", "BUY");
    h.clock.time = START + 35_000;
    trade("60100.00", "0.20000000", "SELL");
    h.clock.time = START + 2 * MINUTE + 1_000;
    trade("59900.00", "0.30000000", "BUY");
    h.exchange.placeOrder(h.account(), { symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", quantity: "1", price: "59000.00" });
    h.clock.time = START + 3 * MINUTE;

    const ticker = history.ticker24h("BTCUSDT");
    expect(ticker).toMatchObject({
      symbol: "BTCUSDT",
      priceChange: "-100.00000000",
      priceChangePercent: "-0.167",
      weightedAvgPrice: "59983.33333333",
      prevClosePrice: "0.00000000",
      lastPrice: "59900.00000000",
      lastQty: "0.30000000",
      bidPrice: "59000.00000000",
      openPrice: "60000.00000000",
      highPrice: "60100.00000000",
      lowPrice: "59900.00000000",
      volume: "0.60000000",
      quoteVolume: "35990.00000000",
      openTime: START + 3 * MINUTE - 86_400_000,
      closeTime: START + 3 * MINUTE,
      count: 3,
    });
    expect(ticker.lastId - ticker.firstId).toBe(2);
    expect(history.lastPrice("BTCUSDT")).toBe("59900.00000000");

    // A day later the window holds no trade: no change from the last price, nothing traded, no ids.
    h.clock.time = START + 86_400_000 + 5 * MINUTE;
    expect(history.ticker24h("BTCUSDT")).toMatchObject({
      priceChange: "0.00000000",
      openPrice: "59900.00000000",
      prevClosePrice: "59900.00000000",
      volume: "0.00000000",
      count: 0,
      firstId: -1,
      lastId: -1,
    });
  });

  it("aggregate trades: from an id, from a time, up to a time, or the most recent", () => {
    const { h, history, trade } = world();
    for (let i = 0; i < 5; i++) {
      h.clock.time = START + i * 1_000;
      trade(`6000${i}.00`, "0.01000000", "BUY");
    }
    const all = history.aggTrades({ symbol: "BTCUSDT" });
    expect(all.map((t) => t.p)).toEqual(["60000.00000000", "60001.00000000", "60002.00000000", "60003.00000000", "60004.00000000"]);
    expect(all.every((t) => t.f === t.l && t.m === false)).toBe(true);
    const third = all[2]!;
    expect(history.aggTrades({ symbol: "BTCUSDT", fromId: String(third.a), limit: "2" })).toEqual(all.slice(2, 4));
    expect(history.aggTrades({ symbol: "BTCUSDT", startTime: String(START + 1_000), limit: "1" })).toEqual([all[1]]);
    expect(history.aggTrades({ symbol: "BTCUSDT", endTime: String(START + 2_000), limit: "2" })).toEqual(all.slice(1, 3));
    expect(history.aggTrades({ symbol: "BTCUSDT", limit: "2" })).toEqual(all.slice(3));
    expect(() => history.aggTrades({ symbol: "BTCUSDT", limit: "x" })).toThrow(/limit/);
    history.close();
  });
});
