// A standard client against the simulator: ccxt (REST) and ccxt.pro (streams and the WebSocket API), as published
// on npm, with only its URLs pointed at the simulator (every one of them, so nothing leaves the machine). Its
// options are the ones a Binance testnet user sets (spot markets only, no SAPI margin pairs or currency list).
import { generateKeyPairSync } from "node:crypto";
import ccxt, { type Order } from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSimulator, type RunningSimulator } from "../src/index";

const apiKey = "ccxt-conformance-key";
const secret = "ccxt-conformance-secret";
const symbol = "BTC/USDT";


let sim: RunningSimulator;
let exchange: InstanceType<typeof ccxt.pro.binance>;

async function client(key: string, signingSecret: string): Promise<InstanceType<typeof ccxt.pro.binance>> {
  const created = new ccxt.pro.binance({ apiKey: key, secret: signingSecret });
  created.urls.api = pointedAt(created.urls.api, sim.baseUrl, sim.wsBaseUrl) as typeof created.urls.api;
  // What a Binance testnet user sets: spot markets only (no futures exchangeInfo), no SAPI margin pairs or currency
  // list. Set after construction: ccxt merges constructor options into its defaults, lists included.
  created.options.fetchMarkets = { types: ["spot"] };
  created.options.fetchMargins = false;
  created.options.fetchCurrencies = false;
  // ccxt's own step for plain ws:// URLs (the simulator speaks no TLS): it needs node's http agent loaded first.
  await created.loadHttpProxyAgent();
  return created;
}

/** Every URL ccxt knows for Binance, with its scheme and host replaced by the simulator's (paths kept). */
function pointedAt(urls: unknown, httpBase: string, wsBase: string): unknown {
  if (typeof urls === "string") {
    return urls.replace(/^https:\/\/[^/]+/, httpBase).replace(/^wss:\/\/[^/]+/, wsBase);
  }
  if (typeof urls === "object" && urls !== null && !Array.isArray(urls)) {
    return Object.fromEntries(Object.entries(urls).map(([name, value]) => [name, pointedAt(value, httpBase, wsBase)]));
  }
  return urls;
}

/** The exchange's id of an order ccxt returned (ccxt types it as optional). */
function idOf(order: Order): string {
  if (order.id === undefined) throw new Error("ccxt returned an order without an id");
  return order.id;
}

/** A limit price 5% under the best bid: rests on the book, never fills. */
async function restingBuyPrice(): Promise<number> {
  const book = await exchange.fetchOrderBook(symbol, 5);
  const bestBid = book.bids[0]?.[0];
  if (bestBid === undefined) throw new Error("the simulator's book has no bid");
  return Number(exchange.priceToPrecision(symbol, bestBid * 0.95));
}

beforeAll(async () => {
  sim = await startExchangeSimulator({
    symbols: ["BTCUSDT", "ETHUSDT"],
    accounts: [{ apiKey, apiSecret: secret, balances: { USDT: "1000000", BTC: "10" } }],
    market: { seed: 5 },
  });
  exchange = await client(apiKey, secret);
  // The market trades within a moment of starting: wait for the first trades so trades and tickers have data.
  for (let i = 0; i < 100 && sim.exchange.recentTrades("BTCUSDT", "5").length < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 30_000);

afterAll(async () => {
  await exchange?.close();
  await sim?.close();
});

describe("ccxt REST against the simulator", () => {
  it("loads the markets from exchangeInfo with their precision and limits", async () => {
    const markets = await exchange.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(["BTC/USDT", "ETH/USDT"]);
    const btc = markets[symbol];
    expect(btc).toMatchObject({ id: "BTCUSDT", base: "BTC", quote: "USDT", spot: true, active: true });
    expect(btc?.precision.price).toBeGreaterThan(0);
    expect(btc?.limits.cost?.min).toBeGreaterThan(0);
  });

  it("fetches the order book, trades, ticker, last price, OHLCV and balance", async () => {
    const book = await exchange.fetchOrderBook(symbol, 10);
    expect(book.bids.length).toBeGreaterThan(0);
    expect(book.asks.length).toBeGreaterThan(0);
    expect(book.bids[0]![0]!).toBeLessThan(book.asks[0]![0]!);

    const trades = await exchange.fetchTrades(symbol, undefined, 20);
    expect(trades.length).toBeGreaterThan(0);
    expect(trades[0]).toMatchObject({ symbol });
    expect(trades[0]?.price).toBeGreaterThan(0);

    const ticker = await exchange.fetchTicker(symbol);
    expect(ticker.symbol).toBe(symbol);
    expect(ticker.last).toBeGreaterThan(0);
    expect(ticker.bid).toBeGreaterThan(0);
    expect(ticker.ask).toBeGreaterThan(ticker.bid!);
    expect(ticker.baseVolume).toBeGreaterThan(0);

    const lastPrices = await exchange.fetchLastPrices([symbol]);
    expect(lastPrices[symbol]?.price).toBeGreaterThan(0);

    const candles = await exchange.fetchOHLCV(symbol, "1m", undefined, 5);
    expect(candles.length).toBeGreaterThan(0);
    const [, open, high, low, close] = candles[candles.length - 1]!;
    expect(high).toBeGreaterThanOrEqual(Math.max(open!, close!));
    expect(low).toBeLessThanOrEqual(Math.min(open!, close!));

    const balance = await exchange.fetchBalance();
    expect(balance.USDT?.free).toBe(1000000);
    expect(balance.BTC?.total).toBe(10);
  });

  it("creates, fetches and cancels an order, lists it as open meanwhile and in the order history after", async () => {
    const price = await restingBuyPrice();
    const created = await exchange.createOrder(symbol, "limit", "buy", 0.01, price);
    expect(created).toMatchObject({ symbol, side: "buy", type: "limit", status: "open", price, amount: 0.01 });
    expect(created.clientOrderId).toBeTruthy();

    const fetched = await exchange.fetchOrder(idOf(created), symbol);
    expect(fetched).toMatchObject({ id: created.id, status: "open", remaining: 0.01 });
    const open = await exchange.fetchOpenOrders(symbol);
    expect(open.map((order) => order.id)).toContain(created.id);
    expect((await exchange.fetchBalance()).USDT?.used).toBeCloseTo(0.01 * price, 6);

    const cancelled = await exchange.cancelOrder(idOf(created), symbol);
    expect(cancelled).toMatchObject({ id: created.id, status: "canceled" });
    expect((await exchange.fetchOpenOrders(symbol)).map((order) => order.id)).not.toContain(created.id);
    // allOrders: the closed order stays in the account's history.
    expect((await exchange.fetchOrders(symbol)).find((order) => order.id === created.id)).toMatchObject({ status: "canceled" });
  });
});

describe("ccxt.pro WebSocket API against the simulator", () => {
  it("creates, fetches and cancels orders and reads the balance over the WebSocket API", async () => {
    const price = await restingBuyPrice();
    const created = await exchange.createOrderWs(symbol, "limit", "buy", 0.01, price);
    expect(created).toMatchObject({ symbol, side: "buy", status: "open", price, amount: 0.01 });

    expect(await exchange.fetchOrderWs(idOf(created), symbol)).toMatchObject({ id: created.id, status: "open" });
    const open = await exchange.fetchOpenOrdersWs(symbol);
    expect(open.map((order) => order.id)).toContain(created.id);
    // account.status answers in REST's account shape. ccxt 4.5 leaves its free/used/total empty for it (its
    // handler parses without the spot type, against Binance too), so the answer ccxt received is checked.
    const balance = await exchange.fetchBalanceWs();
    const usdt = (balance.info as { balances: { asset: string; free: string; locked: string }[] }).balances.find((entry) => entry.asset === "USDT");
    expect(Number(usdt?.locked)).toBeCloseTo(0.01 * price, 6);

    expect(await exchange.cancelOrderWs(idOf(created), symbol)).toMatchObject({ id: created.id, status: "canceled" });

    const second = await exchange.createOrderWs(symbol, "limit", "buy", 0.01, price);
    const cancelledAll = await exchange.cancelAllOrdersWs(symbol);
    expect(cancelledAll.map((order) => order.id)).toContain(second.id);
    expect(await exchange.fetchOpenOrdersWs(symbol)).toEqual([]);
  });
});

describe("ccxt.pro streams against the simulator", () => {
  it("watches the order book, kept in sync from the snapshot and the diff stream", async () => {
    const first = await exchange.watchOrderBook(symbol);
    expect(first.bids.length).toBeGreaterThan(0);
    expect(first.asks.length).toBeGreaterThan(0);
    const nonce = first.nonce ?? 0;
    // A later update applies on top of the first (the book's update id moves on, best bid below best ask).
    let book = first;
    for (let i = 0; i < 50 && (book.nonce ?? 0) <= nonce; i++) book = await exchange.watchOrderBook(symbol);
    expect(book.nonce ?? 0).toBeGreaterThan(nonce);
    expect(book.bids[0]![0]!).toBeLessThan(book.asks[0]![0]!);
    const rest = sim.exchange.bookTicker("BTCUSDT");
    expect(Number(rest.bidPrice)).toBeGreaterThan(0);
  });

  it("watches trades and the ticker (ccxt's default miniTicker stream, and the full ticker stream)", async () => {
    const trades = await exchange.watchTrades(symbol);
    expect(trades.length).toBeGreaterThan(0);
    expect(trades[0]).toMatchObject({ symbol });
    expect(trades[0]?.price).toBeGreaterThan(0);

    const mini = await exchange.watchTicker(symbol);
    expect(mini).toMatchObject({ symbol, info: { e: "24hrMiniTicker" } });
    expect(mini.last).toBeGreaterThan(0);
    expect(mini.high).toBeGreaterThanOrEqual(mini.low!);
    const full = await exchange.watchTicker(symbol, { name: "ticker" });
    expect(full).toMatchObject({ symbol, info: { e: "24hrTicker" } });
    expect(full.bid).toBeGreaterThan(0);
    expect(full.ask).toBeGreaterThan(full.bid!);
    expect(full.baseVolume).toBeGreaterThan(0);
  });

  it("watches OHLCV: the kline stream's open 1m candle", async () => {
    const candles = await exchange.watchOHLCV(symbol, "1m");
    const [time, open, high, low, close] = candles[candles.length - 1]!;
    expect(time! % 60_000).toBe(0);
    expect(high).toBeGreaterThanOrEqual(Math.max(open!, close!));
    expect(low).toBeLessThanOrEqual(Math.min(open!, close!));
  });

  it("watches its orders: an order placed over REST arrives, then its cancellation", async () => {
    const watching = exchange.watchOrders(symbol);
    // The user-data subscription goes out first; then the order's events reach it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const price = await restingBuyPrice();
    const created = await exchange.createOrder(symbol, "limit", "buy", 0.01, price);
    let seen: Order[] = await watching;
    for (let i = 0; i < 10 && !seen.some((order) => order.id === created.id); i++) seen = await exchange.watchOrders(symbol);
    expect(seen.find((order) => order.id === created.id)).toMatchObject({ status: "open", price });

    await exchange.cancelOrder(idOf(created), symbol);
    let update: Order | undefined;
    for (let i = 0; i < 10 && update?.status !== "canceled"; i++) {
      update = (await exchange.watchOrders(symbol)).find((order) => order.id === created.id);
    }
    expect(update?.status).toBe("canceled");
  });
});

describe("ccxt with an Ed25519 key", () => {
  it("signs REST and WebSocket API requests with the private key (PEM); the simulator verifies them with the public key", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const edKey = "ccxt-ed25519-key";
    sim.addAccount({ apiKey: edKey, ed25519PublicKey: publicKey.export({ format: "pem", type: "spki" }).toString(), balances: { USDT: "50000" } });
    const ed = await client(edKey, privateKey.export({ format: "pem", type: "pkcs8" }).toString());
    try {
      expect((await ed.fetchBalance()).USDT?.free).toBe(50000);
      const price = await restingBuyPrice();
      const order = await ed.createOrderWs(symbol, "limit", "buy", 0.01, price);
      expect(order).toMatchObject({ status: "open", price });
      expect(await ed.cancelOrder(idOf(order), symbol)).toMatchObject({ id: order.id, status: "canceled" });
    } finally {
      await ed.close();
    }
  });
});
