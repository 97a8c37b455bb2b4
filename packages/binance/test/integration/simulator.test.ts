import { generateKeyPairSync } from "node:crypto";
// The simulator depends on this package (for the recording readers), so it is not declared as a dependency
// here (that would be a cycle); the workspace link still resolves it.
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBinanceClient, type BinanceClient } from "../../src/client";
import { BinanceApiError, BinanceBackoffError, BinanceRateLimitError } from "../../src/errors";
import { findFilter } from "../../src/filters";
import type { UserDataEvent } from "../../src/types";
import { simulatorBaseUrls } from "../../src/urls";
import { bookTickerStream, tradeStream, type MarketStream } from "../../src/streams/market-stream";
import { until } from "../helpers";

const API_KEY = "integration-key";
const SECRET = "integration-secret";

let sim: RunningSimulator;
let client: BinanceClient;
let tick: Decimal;
let step: Decimal;
let minNotional: Decimal;

beforeAll(async () => {
  sim = await startExchangeSimulator({
    symbols: ["BTCUSDT"],
    accounts: [{ apiKey: API_KEY, apiSecret: SECRET, balances: { USDT: "1000000", BTC: "10" } }],
    market: { seed: 7 },
  });
  client = createBinanceClient({
    baseUrls: simulatorBaseUrls(sim.baseUrl),
    apiKey: API_KEY,
    apiSecret: SECRET,
    requestTimeoutMs: 2000,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
  });
  await client.rest.syncTime();
  const info = await client.rest.exchangeInfo({ symbol: "BTCUSDT" });
  const filters = info.symbols[0]?.filters ?? [];
  const priceFilter = findFilter(filters, "PRICE_FILTER");
  const lotSize = findFilter(filters, "LOT_SIZE");
  if (priceFilter === undefined || lotSize === undefined) throw new Error("BTCUSDT lacks PRICE_FILTER or LOT_SIZE");
  tick = priceFilter.tickSize;
  step = lotSize.stepSize;
  minNotional = findFilter(filters, "NOTIONAL")?.minNotional ?? new Decimal(10);
});

afterAll(async () => {
  await sim.close();
});

/** A passive bid well below the touch, sized above the minimum notional. */
async function passiveBid(): Promise<{ price: Decimal; quantity: Decimal }> {
  const ticker = await client.rest.bookTicker("BTCUSDT");
  const price = ticker.bidPrice.times(0.97).toNearest(tick, Decimal.ROUND_DOWN);
  const quantity = minNotional.times(2).div(price).toNearest(step, Decimal.ROUND_UP);
  return { price, quantity };
}

describe("REST against the simulator", () => {
  it("reads market data and the account", async () => {
    const depth = await client.rest.depth("BTCUSDT", 100);
    expect(depth.bids.length).toBeGreaterThan(0);
    expect(depth.bids[0]?.price.lessThan(depth.asks[0]?.price ?? 0)).toBe(true);
    const account = await client.rest.account();
    expect(account.balances.find((b) => b.asset === "USDT")?.free.toFixed()).toBe("1000000");
    await client.rest.ping();
    expect(Math.abs((await client.rest.time()) - Date.now())).toBeLessThan(2000);
    expect(client.restRateLimitUsage().usedWeight1m).toBeGreaterThan(0);
  });

  it("reads recent public trades, oldest first, as the simulator's market printed them", async () => {
    await until(() => sim.exchange.recentTrades("BTCUSDT", "5").length === 5, "five public prints", 10_000);
    const served = sim.exchange.recentTrades("BTCUSDT", "5");
    const trades = await client.rest.recentTrades("BTCUSDT", 5);
    expect(trades).toHaveLength(5);
    const ids = trades.map((t) => t.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // The first one the simulator listed is still in the answer (more may have printed in between).
    const first = trades.find((t) => t.id === served[4]!.id)!;
    expect([first.price.toFixed(), first.qty.toFixed(), first.time, first.isBuyerMaker]).toEqual([
      new Decimal(served[4]!.price).toFixed(),
      new Decimal(served[4]!.qty).toFixed(),
      served[4]!.time,
      served[4]!.isBuyerMaker,
    ]);
    expect(first.quoteQty.toFixed()).toBe(new Decimal(served[4]!.quoteQty).toFixed());
  });

  it("places, queries, lists, replaces and cancels a LIMIT_MAKER order", async () => {
    const { price, quantity } = await passiveBid();
    const placed = await client.rest.placeOrder({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT_MAKER",
      price,
      quantity,
      newClientOrderId: "it-rest-1",
      newOrderRespType: "RESULT",
    });
    expect(placed).toMatchObject({ kind: "RESULT", status: "NEW", clientOrderId: "it-rest-1" });
    expect(client.restRateLimitUsage().orderCount10s).toBeGreaterThan(0);
    const queried = await client.rest.queryOrder("BTCUSDT", { origClientOrderId: "it-rest-1" });
    expect(queried.price.equals(price)).toBe(true);
    expect((await client.rest.openOrders("BTCUSDT")).map((o) => o.clientOrderId)).toContain("it-rest-1");

    const replaced = await client.rest.cancelReplace({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT_MAKER",
      price: price.minus(tick),
      quantity,
      newClientOrderId: "it-rest-2",
      cancelReplaceMode: "STOP_ON_FAILURE",
      cancel: { cancelOrigClientOrderId: "it-rest-1" },
    });
    expect(replaced).toMatchObject({ httpStatus: 200, cancelResult: "SUCCESS", newOrderResult: "SUCCESS" });

    const canceled = await client.rest.cancelOrder({ symbol: "BTCUSDT", order: { origClientOrderId: "it-rest-2" } });
    expect(canceled).toMatchObject({ status: "CANCELED", origClientOrderId: "it-rest-2" });
    const err = await client.rest.cancelOrder({ symbol: "BTCUSDT", order: { origClientOrderId: "it-rest-2" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinanceApiError);
    expect(err).toMatchObject({ code: -2011, httpStatus: 400 });

    await client.rest.placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", price, quantity });
    const all = await client.rest.cancelAllOpenOrders("BTCUSDT");
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(await client.rest.openOrders("BTCUSDT")).toHaveLength(0);
  });

  it("gets Binance's error for a crossing LIMIT_MAKER", async () => {
    const ticker = await client.rest.bookTicker("BTCUSDT");
    const quantity = minNotional.times(2).div(ticker.askPrice).toNearest(step, Decimal.ROUND_UP);
    await expect(
      // 1% through the ask: still crossing if the synthetic market moves while the request is in flight.
      client.rest.placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price: ticker.askPrice.times(1.01).toNearest(tick, Decimal.ROUND_UP), quantity }),
    ).rejects.toMatchObject({ code: -2010, msg: "Order would immediately match and take." });
  });

  it("records fills in myTrades after a taker order", async () => {
    const ticker = await client.rest.bookTicker("BTCUSDT");
    const quantity = minNotional.times(2).div(ticker.askPrice).toNearest(step, Decimal.ROUND_UP);
    const filled = await client.rest.placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity });
    expect(filled.kind).toBe("FULL");
    const trades = await client.rest.myTrades({ symbol: "BTCUSDT" });
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.every((t) => t.isBuyer)).toBe(true);
  });
});

describe("faults injected by the simulator", () => {
  it("reports an order answered by -1007 as outcome unknown, and the query finds it placed", async () => {
    const { price, quantity } = await passiveBid();
    sim.faults.apply({ serverErrorsNext: 1, serverErrorMode: "timeout" });
    const err = await client.rest
      .placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity, newClientOrderId: "it-unknown-1" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinanceApiError);
    expect(err).toMatchObject({ code: -1007, outcomeUnknown: true });
    const found = await client.rest.queryOrder("BTCUSDT", { origClientOrderId: "it-unknown-1" });
    expect(found.status).toBe("NEW");
    await client.rest.cancelAllOpenOrders("BTCUSDT");
  });

  it("backs off locally after a 429 until Retry-After passes", async () => {
    let now = Date.now();
    const limited = createBinanceClient({ baseUrls: simulatorBaseUrls(sim.baseUrl), clock: { now: () => now } });
    sim.faults.apply({ rateLimitNext: 1 });
    const err = await limited.rest.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinanceRateLimitError);
    await expect(limited.rest.ping()).rejects.toBeInstanceOf(BinanceBackoffError);
    now = (err as BinanceRateLimitError).retryAt + 1;
    await limited.rest.ping();
  });
});

describe("rate limits from the simulator", () => {
  it("an order-count 429 (-1015) holds back new orders until Retry-After, while cancels still go out", async () => {
    const admin = (body: unknown) => fetch(`${sim.baseUrl}/admin/rate-limits`, { method: "POST", body: JSON.stringify(body) });
    const state = (await (await fetch(`${sim.baseUrl}/admin/state`)).json()) as { rateLimits: { ordersPer10Seconds: number } };
    // Its own client, so the backoff it earns does not reach the other tests.
    const limited = createBinanceClient({ baseUrls: simulatorBaseUrls(sim.baseUrl), apiKey: API_KEY, apiSecret: SECRET, requestTimeoutMs: 5000 });
    await limited.rest.syncTime();
    expect((await admin({ ordersPer10Seconds: 2, reset: true })).status).toBe(200);
    try {
      const { price, quantity } = await passiveBid();
      const order = { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity } as const;
      // The 10 s window is aligned to the clock: if it rolls over mid-test, two more orders fit before the refusal.
      let placed = 0;
      let refused: unknown;
      while (refused === undefined && placed < 5) {
        refused = await limited.rest.placeOrder(order).then(
          () => {
            placed += 1;
            return undefined;
          },
          (e: unknown) => e,
        );
      }
      expect(placed === 2 || placed === 4).toBe(true);
      expect(refused).toBeInstanceOf(BinanceRateLimitError);
      expect(refused).toMatchObject({ code: -1015, httpStatus: 429, msg: "Too many new orders; current limit is 2 orders per 10 SECOND." });
      expect((refused as BinanceRateLimitError).retryAt).toBeGreaterThan(Date.now());
      expect(limited.backoffUntil(true)).toBe((refused as BinanceRateLimitError).retryAt);
      expect(limited.backoffUntil(false)).toBeUndefined();
      await expect(limited.rest.placeOrder(order)).rejects.toBeInstanceOf(BinanceBackoffError);
      expect(await limited.rest.cancelAllOpenOrders("BTCUSDT")).toHaveLength(placed);
    } finally {
      await admin({ ordersPer10Seconds: state.rateLimits.ordersPer10Seconds, reset: true });
    }
  });
});

describe("server time against the simulator's clock skew", () => {
  it("resyncs after a -1021 over REST and the WebSocket API and sends the request once more", async () => {
    const skewed = createBinanceClient({
      baseUrls: simulatorBaseUrls(sim.baseUrl),
      apiKey: API_KEY,
      apiSecret: SECRET,
      requestTimeoutMs: 5000,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      // Only the -1021 answer can trigger a resync here.
      timeSync: { resyncIntervalMs: 0 },
    });
    const api = skewed.wsApi();
    try {
      await skewed.rest.syncTime();
      await api.start();
      // The server's clock jumps 30 s ahead: every timestamp signed with the old offset is outside recvWindow.
      sim.faults.apply({ clockSkewMs: 30_000 });
      const account = await skewed.rest.account();
      expect(account.balances.length).toBeGreaterThan(0);
      expect(skewed.serverTimeOffset.offset).toBeGreaterThan(29_000);

      sim.faults.apply({ clockSkewMs: -30_000 });
      const { price, quantity } = await passiveBid();
      const placed = await api.placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity });
      expect(placed.orderId).toBeGreaterThan(0);
      expect(skewed.serverTimeOffset.offset).toBeLessThan(-29_000);
      await api.cancelAllOpenOrders("BTCUSDT");
    } finally {
      sim.faults.apply({ clockSkewMs: 0 });
      await api.stop();
    }
  });

  it("re-measures in the background when the offset is older than the resync interval", async () => {
    const fresh = createBinanceClient({
      baseUrls: simulatorBaseUrls(sim.baseUrl),
      apiKey: API_KEY,
      apiSecret: SECRET,
      requestTimeoutMs: 5000,
      timeSync: { resyncIntervalMs: 1 },
    });
    try {
      await fresh.rest.syncTime();
      const syncedAt = fresh.timeSync.lastSyncedAt ?? 0;
      // Small enough that the stale offset is still accepted: only the background resync can notice it.
      sim.faults.apply({ clockSkewMs: 700 });
      await until(() => Date.now() > syncedAt + 1, "offset older than the interval");
      await fresh.rest.account();
      await until(() => fresh.serverTimeOffset.offset > 500, "background resync", 10_000);
    } finally {
      sim.faults.apply({ clockSkewMs: 0 });
    }
  });
});

describe("Ed25519 keys against the simulator", () => {
  it("signs REST and WebSocket API requests the simulator accepts", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    sim.addAccount({
      apiKey: "integration-ed25519",
      ed25519PublicKey: publicKey.export({ format: "pem", type: "spki" }).toString(),
      balances: { USDT: "100000" },
    });
    const ed = createBinanceClient({ baseUrls: simulatorBaseUrls(sim.baseUrl), apiKey: "integration-ed25519", ed25519PrivateKey: privateKey });
    expect((await ed.rest.account()).balances.find((b) => b.asset === "USDT")?.free.toFixed()).toBe("100000");
    const api = ed.wsApi({ userDataStream: true });
    try {
      await api.start();
      expect(api.userDataSubscriptionId).toBeDefined();
      const { price, quantity } = await passiveBid();
      const placed = await api.placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity });
      expect(placed.orderId).toBeGreaterThan(0);
      await api.cancelAllOpenOrders("BTCUSDT");
    } finally {
      await api.stop();
    }
  });
});

describe("WebSocket API against the simulator", () => {
  it("places and cancels over one connection and receives the user data events", async () => {
    const api = client.wsApi();
    const events: UserDataEvent[] = [];
    api.onUserData((e) => events.push(e));
    try {
      await api.start();
      await api.subscribeUserData();
      const { price, quantity } = await passiveBid();
      const placed = await api.placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity, newClientOrderId: "it-ws-1" });
      expect(placed.clientOrderId).toBe("it-ws-1");
      expect(api.rateLimits.length).toBeGreaterThan(0);
      expect((await api.openOrders("BTCUSDT")).map((o) => o.clientOrderId)).toContain("it-ws-1");
      await until(
        () => events.some((e) => e.eventType === "executionReport" && e.executionType === "NEW" && e.clientOrderId === "it-ws-1"),
        "executionReport NEW",
      );
      await until(() => events.some((e) => e.eventType === "outboundAccountPosition"), "outboundAccountPosition");

      const replaced = await api.cancelReplace({
        symbol: "BTCUSDT",
        side: "BUY",
        type: "LIMIT_MAKER",
        price: price.minus(tick),
        quantity,
        newClientOrderId: "it-ws-2",
        cancelReplaceMode: "STOP_ON_FAILURE",
        cancel: { cancelOrigClientOrderId: "it-ws-1" },
      });
      expect(replaced.newOrderResult).toBe("SUCCESS");
      const canceled = await api.cancelOrder({ symbol: "BTCUSDT", order: { origClientOrderId: "it-ws-2" } });
      expect(canceled.status).toBe("CANCELED");
      await until(
        () =>
          events.some(
            (e) => e.eventType === "executionReport" && e.executionType === "CANCELED" && e.originalClientOrderId === "it-ws-2",
          ),
        "executionReport CANCELED",
      );
    } finally {
      await api.stop();
    }
  });

  it("resubscribes user data after the simulator drops the connection", async () => {
    const api = client.wsApi();
    const events: UserDataEvent[] = [];
    api.onUserData((e) => events.push(e));
    let opens = 0;
    api.onStatus((s) => {
      if (s.status === "open") opens += 1;
    });
    try {
      await api.start();
      await api.subscribeUserData();
      sim.server.dropConnections(false);
      await until(() => opens === 2 && api.status === "open", "reconnected");
      const { price, quantity } = await passiveBid();
      await api.placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity, newClientOrderId: "it-ws-3" });
      await until(() => events.some((e) => e.eventType === "executionReport" && e.clientOrderId === "it-ws-3"), "event after reconnect");
      await api.cancelAllOpenOrders("BTCUSDT");
    } finally {
      await api.stop();
    }
  });
});

describe("market streams and book sync against the simulator", () => {
  let stream: MarketStream;

  afterAll(async () => {
    await stream.stop();
  });

  it("keeps a synced book that agrees with bookTicker, and resyncs after dropped connections", async () => {
    stream = client.marketStream([tradeStream("BTCUSDT"), bookTickerStream("BTCUSDT")]);
    const sync = client.bookSync("BTCUSDT", stream, { snapshotLimit: 1000, retryDelayMs: 50 });
    const tickers = new Map<number, { bid: string; ask: string }>();
    let trades = 0;
    let agreed = 0;
    stream.onMessage((m) => {
      if (m.event.eventType === "trade") trades += 1;
      if (m.event.eventType === "bookTicker") tickers.set(m.event.updateId, { bid: m.event.bidPrice.toFixed(), ask: m.event.askPrice.toFixed() });
    });
    sync.onUpdate((book) => {
      const t = tickers.get(book.lastUpdateId);
      if (t === undefined) return;
      expect(book.bestBid()?.price.toFixed()).toBe(t.bid);
      expect(book.bestAsk()?.price.toFixed()).toBe(t.ask);
      agreed += 1;
    });
    stream.start();
    sync.start();
    await until(() => sync.book.state === "synced" && agreed >= 3 && trades > 0, "synced book agreeing with bookTicker", 10_000);

    sim.server.dropConnections(true);
    const before = agreed;
    await until(() => stream.status === "open" && sync.book.state === "synced" && agreed > before + 2, "book after reconnect", 10_000);
    sync.stop();
  }, 20_000);
});
