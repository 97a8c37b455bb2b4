// The market data computed from the trade history: REST aggTrades, klines, ticker/24hr and ticker/price, their
// WS API twins, and the ticker, miniTicker and kline streams; plus what standard clients rely on beside them
// (a /ws/<anything> connection, returnRateLimits per WS API request).
// Messages are untyped JSON off the wire; the assertions below are what check their shape.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index";
import { klineInterval, parseTimeZone } from "../../src/server/kline-intervals";
import aggTradesDoc from "./fixtures/rest_aggTrades.json";
import { apiKey, rest, sameShape, signWs, startSim, TestSocket, wsRequest } from "./helpers";

let sim: RunningSimulator;

// Binance's documented examples (rest-api.md "Kline/Candlestick data", "24hr ticker price change statistics",
// web-socket-streams.md "Individual Symbol Ticker Streams", "Kline/Candlestick Streams"): field names and types.
const tickerDoc = {
  symbol: "BNBBTC", priceChange: "-94.99999800", priceChangePercent: "-95.960", weightedAvgPrice: "0.29628482",
  prevClosePrice: "0.10002000", lastPrice: "4.00000200", lastQty: "200.00000000", bidPrice: "4.00000000",
  bidQty: "100.00000000", askPrice: "4.00000200", askQty: "100.00000000", openPrice: "99.00000000",
  highPrice: "100.00000000", lowPrice: "0.10000000", volume: "8913.30000000", quoteVolume: "15.30000000",
  openTime: 1499783499040, closeTime: 1499869899040, firstId: 28385, lastId: 28460, count: 76,
};
const miniTickerDoc = {
  symbol: "BNBBTC", openPrice: "99.00000000", highPrice: "100.00000000", lowPrice: "0.10000000",
  lastPrice: "4.00000200", volume: "8913.30000000", quoteVolume: "15.30000000", openTime: 1499783499040,
  closeTime: 1499869899040, firstId: 28385, lastId: 28460, count: 76,
};
const klineDoc = [1499040000000, "0.01634790", "0.80000000", "0.01575800", "0.01577100", "148976.11427815",
  1499644799999, "2434.19055334", 308, "1756.87402397", "28.46694368", "0"];
const tickerStreamDoc = {
  e: "24hrTicker", E: 1672515782136, s: "BNBBTC", p: "0.0015", P: "250.00", w: "0.0018", x: "0.0009", c: "0.0025",
  Q: "10", b: "0.0024", B: "10", a: "0.0026", A: "100", o: "0.0010", h: "0.0025", l: "0.0010", v: "10000", q: "18",
  O: 0, C: 86400000, F: 0, L: 18150, n: 18151,
};
const miniTickerStreamDoc = { e: "24hrMiniTicker", E: 1672515782136, s: "BNBBTC", c: "0.0025", o: "0.0010", h: "0.0025", l: "0.0010", v: "10000", q: "18" };
const klineStreamDoc = {
  e: "kline", E: 1672515782136, s: "BNBBTC",
  k: { t: 1672515780000, T: 1672515839999, s: "BNBBTC", i: "1m", f: 100, L: 200, o: "0.0010", c: "0.0020", h: "0.0025",
    l: "0.0015", v: "1000", n: 100, x: false, q: "1.0000", V: "500", Q: "0.500", B: "123456" },
};

beforeAll(async () => {
  sim = await startSim({ market: { seed: 11 } });
  // Wait for the synthetic market to trade a few times.
  for (let i = 0; i < 100; i++) {
    const { body } = await rest(sim, "GET", "/api/v3/aggTrades", { symbol: "BTCUSDT" });
    if ((body as unknown[]).length >= 3) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the synthetic market did not trade");
});
afterAll(async () => {
  await sim.close();
});

describe("REST market data from the trade history", () => {
  it("aggTrades: the docs' shape, the same trades as the stream reported, paged by fromId", async () => {
    const { status, body, headers } = await rest(sim, "GET", "/api/v3/aggTrades", { symbol: "BTCUSDT", limit: 1000 });
    expect(status).toBe(200);
    const trades = body as { a: number; T: number; p: string }[];
    expect(sameShape(trades, aggTradesDoc)).toEqual([]);
    expect(headers.get("x-mbx-used-weight-1m")).not.toBeNull();
    const ids = trades.map((trade) => trade.a);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    const second = trades[1] as { a: number; T: number };
    const page = (await rest(sim, "GET", "/api/v3/aggTrades", { symbol: "BTCUSDT", fromId: second.a, limit: 2 })).body as { a: number }[];
    expect(page.map((trade) => trade.a)).toEqual(ids.slice(1, 3));
    const fromTime = (await rest(sim, "GET", "/api/v3/aggTrades", { symbol: "BTCUSDT", startTime: second.T, limit: 1 })).body as { T: number }[];
    expect(fromTime[0]?.T).toBeGreaterThanOrEqual(second.T);
    expect((await rest(sim, "GET", "/api/v3/aggTrades", { symbol: "NOPE" })).body).toEqual({ code: -1121, msg: "Invalid symbol." });
  });

  it("klines: the docs' shape; 1m klines add up to the trades in them", async () => {
    const { body } = await rest(sim, "GET", "/api/v3/klines", { symbol: "BTCUSDT", interval: "1m", limit: 5 });
    const klines = body as (string | number)[][];
    expect(klines.length).toBeGreaterThan(0);
    expect(sameShape(klines, [klineDoc])).toEqual([]);
    const last = klines[klines.length - 1] as [number, string, string, string, string, string, number, string, number];
    expect(last[6]).toBe(last[0] + 59_999);
    const trades = (await rest(sim, "GET", "/api/v3/aggTrades", { symbol: "BTCUSDT", startTime: last[0], endTime: last[6], limit: 1000 })).body as { p: string; q: string }[];
    // The market keeps trading between the two requests: the kline holds at least the trades fetched before.
    expect(last[8]).toBeGreaterThan(0);
    expect(Number(last[5])).toBeLessThanOrEqual(trades.reduce((sum, trade) => sum + Number(trade.q), 0) + 1e-9);
    expect(Number(last[2])).toBeGreaterThanOrEqual(Number(last[3]));
    expect((await rest(sim, "GET", "/api/v3/klines", { symbol: "BTCUSDT", interval: "7m" })).body).toEqual({ code: -1120, msg: "Invalid interval." });
    expect((await rest(sim, "GET", "/api/v3/klines", { symbol: "BTCUSDT" })).body).toMatchObject({ code: -1102 });
  });

  it("ticker/24hr (FULL and MINI, one symbol or a list) and ticker/price", async () => {
    const full = (await rest(sim, "GET", "/api/v3/ticker/24hr", { symbol: "BTCUSDT" })).body as typeof tickerDoc;
    expect(sameShape(full, tickerDoc)).toEqual([]);
    expect(full.closeTime - full.openTime).toBe(86_400_000);
    expect(full.count).toBeGreaterThanOrEqual(3);
    expect(full.lastId - full.firstId + 1).toBe(full.count);
    expect(Number(full.highPrice)).toBeGreaterThanOrEqual(Number(full.lowPrice));
    const mini = (await rest(sim, "GET", "/api/v3/ticker/24hr", { symbols: '["BTCUSDT","ETHUSDT"]', type: "MINI" })).body as unknown[];
    expect(mini).toHaveLength(2);
    expect(sameShape(mini, [miniTickerDoc])).toEqual([]);
    const price = (await rest(sim, "GET", "/api/v3/ticker/price", { symbol: "BTCUSDT" })).body as { symbol: string; price: string };
    expect(Object.keys(price)).toEqual(["symbol", "price"]);
    expect(Number(price.price)).toBeGreaterThan(0);
    expect(((await rest(sim, "GET", "/api/v3/ticker/price")).body as unknown[]).length).toBe(2);
    expect((await rest(sim, "GET", "/api/v3/ticker/24hr", { symbol: "BTCUSDT", type: "HUGE" })).body).toMatchObject({ code: -1130 });
  });
});

describe("allOrders", () => {
  it("lists the account's open and closed orders on the symbol, from an orderId up or the most recent", async () => {
    const { body: book } = await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbol: "BTCUSDT" });
    const price = (Math.floor(Number((book as { bidPrice: string }).bidPrice) * 0.9 * 100) / 100).toFixed(2);
    const place = () =>
      rest(sim, "POST", "/api/v3/order", { symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", quantity: "0.01", price }, { signed: true });
    const first = (await place()).body as { orderId: number };
    const second = (await place()).body as { orderId: number };
    await rest(sim, "DELETE", "/api/v3/order", { symbol: "BTCUSDT", orderId: first.orderId }, { signed: true });

    const all = await rest(sim, "GET", "/api/v3/allOrders", { symbol: "BTCUSDT" }, { signed: true });
    expect(all.status).toBe(200);
    const orders = all.body as { orderId: number; status: string }[];
    expect(orders.map((order) => [order.orderId, order.status])).toEqual([
      [first.orderId, "CANCELED"],
      [second.orderId, "NEW"],
    ]);
    const queried = (await rest(sim, "GET", "/api/v3/order", { symbol: "BTCUSDT", orderId: second.orderId }, { signed: true })).body;
    expect(orders[1]).toEqual(queried);
    const fromSecond = (await rest(sim, "GET", "/api/v3/allOrders", { symbol: "BTCUSDT", orderId: second.orderId }, { signed: true })).body as unknown[];
    expect(fromSecond).toHaveLength(1);
    expect((await rest(sim, "GET", "/api/v3/allOrders", { symbol: "BTCUSDT", limit: 1 }, { signed: true })).body).toEqual([queried]);
    expect((await rest(sim, "GET", "/api/v3/allOrders", { symbol: "BTCUSDT" })).status).toBe(401);
    await rest(sim, "DELETE", "/api/v3/openOrders", { symbol: "BTCUSDT" }, { signed: true });
  });
});

describe("kline intervals", () => {
  const t = Date.UTC(2026, 11, 3, 6, 47, 31, 250); // a Thursday
  it.each([
    ["1s", 0, Date.UTC(2026, 11, 3, 6, 47, 31), Date.UTC(2026, 11, 3, 6, 47, 32)],
    ["15m", 0, Date.UTC(2026, 11, 3, 6, 45), Date.UTC(2026, 11, 3, 7, 0)],
    ["1d", 0, Date.UTC(2026, 11, 3), Date.UTC(2026, 11, 4)],
    ["1d", parseTimeZone("+08:00"), Date.UTC(2026, 11, 2, 16), Date.UTC(2026, 11, 3, 16)],
    ["1w", 0, Date.UTC(2026, 10, 30), Date.UTC(2026, 11, 7)],
    ["1M", 0, Date.UTC(2026, 11, 1), Date.UTC(2027, 0, 1)],
  ])("%s (offset %d ms)", (name, offset, start, next) => {
    const interval = klineInterval(name, offset);
    expect(interval?.start(t)).toBe(start);
    expect(interval?.next(start)).toBe(next);
    expect(interval?.previous(next)).toBe(start);
  });
  it("refuses a timeZone out of range", () => {
    expect(() => parseTimeZone("+15:00")).toThrow(/timeZone/);
  });
});

describe("WebSocket API", () => {
  it("returnRateLimits per request overrides the connection's setting, signed or not", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3`);
    const call = async (method: string, params: Record<string, unknown>) => {
      const request = wsRequest(method, params);
      socket.send(request);
      return socket.next((message: { id?: unknown }) => message.id === request.id);
    };
    const hidden = await call("ticker.price", { symbol: "BTCUSDT", returnRateLimits: false });
    expect(hidden.status).toBe(200);
    expect(hidden.rateLimits).toBeUndefined();
    expect((await call("ticker.price", { symbol: "BTCUSDT" })).rateLimits).toBeDefined();
    const signed = signWs({ apiKey, timestamp: Date.now(), returnRateLimits: "false" });
    const account = await call("account.status", { ...signed, returnRateLimits: false });
    expect(account.status).toBe(200);
    expect(account.rateLimits).toBeUndefined();
    expect((await call("ticker.price", { symbol: "BTCUSDT", returnRateLimits: "maybe" })).error).toMatchObject({ code: -1130 });
    socket.close();

    const quiet = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3?returnRateLimits=false`);
    const request = wsRequest("klines", { symbol: "BTCUSDT", interval: "1m", limit: 1, returnRateLimits: true });
    quiet.send(request);
    const klines = await quiet.next((message: { id?: unknown }) => message.id === request.id);
    expect(klines.rateLimits).toBeDefined();
    expect(sameShape(klines.result, [klineDoc])).toEqual([]);
    quiet.close();
  });
});

describe("statistics streams", () => {
  it("a /ws/<anything> connection subscribes later, and ticker, miniTicker and kline streams push", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws/0`);
    socket.send({ method: "SUBSCRIBE", params: ["btcusdt@ticker", "btcusdt@miniTicker", "btcusdt@kline_1s", "btcusdt@kline_1m"], id: 1 });
    expect(await socket.next((m: { id?: number }) => m.id === 1)).toEqual({ result: null, id: 1 });
    const ticker = await socket.next((m: { e?: string }) => m.e === "24hrTicker", 3000);
    expect(sameShape(ticker, tickerStreamDoc)).toEqual([]);
    expect(ticker.s).toBe("BTCUSDT");
    expect(sameShape(await socket.next((m: { e?: string }) => m.e === "24hrMiniTicker", 3000), miniTickerStreamDoc)).toEqual([]);
    const oneSecond = await socket.next((m: { e?: string; k?: { i: string } }) => m.e === "kline" && m.k?.i === "1s", 3000);
    expect(sameShape(oneSecond, klineStreamDoc)).toEqual([]);
    const oneMinute = await socket.next((m: { e?: string; k?: { i: string } }) => m.e === "kline" && m.k?.i === "1m", 4000);
    expect(oneMinute.k.T).toBe(oneMinute.k.t + 59_999);
    // A finished 1s interval is sent once more, closed, before the next one's first update.
    const closed = await socket.next((m: { e?: string; k?: { i: string; x: boolean } }) => m.e === "kline" && m.k?.x === true, 4000);
    expect(closed.k.T).toBe(closed.k.t + 999);
    socket.close();
  });
});
