// The client's rate-limit reports and backoff against the simulator's real limiter: a 429 or 418 names the limit it
// refused, only that limit waits, and only until the exchange's retry time. Both clocks are moved forward together
// (the client's by `shift`, the simulator's by its clock skew), so no test waits for a window to pass.
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import Decimal from "decimal.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBinanceClient, type BinanceClient } from "../../src/client";
import { BinanceBackoffError, BinanceRateLimitError } from "../../src/errors";
import { findFilter } from "../../src/filters";
import { BackoffGate, type RateLimitReport } from "../../src/rest/rate-limits";
import { simulatorBaseUrls } from "../../src/urls";

const API_KEY = "rate-limit-key";
const SECRET = "rate-limit-secret";
const ORDERS_PER_10S = 3;

let sim: RunningSimulator;
let shift = 0;
const clock = { now: () => Date.now() + shift };

beforeAll(async () => {
  sim = await startExchangeSimulator({
    symbols: ["BTCUSDT"],
    accounts: [{ apiKey: API_KEY, apiSecret: SECRET, balances: { USDT: "1000000", BTC: "10" } }],
    market: { seed: 11 },
    rateLimits: { ordersPer10Seconds: ORDERS_PER_10S },
  });
});

afterAll(async () => {
  await sim.close();
});

afterEach(async () => {
  moveClocksTo(Date.now());
  await fetch(`${sim.baseUrl}/admin/rate-limits`, { method: "POST", body: JSON.stringify({ reset: true, requestWeightPerMinute: 6000 }) });
});

/** Puts the client's clock and the simulator's server time at local time `time` (or the ms after it). */
function moveClocksTo(time: number): void {
  shift = Math.ceil(time - Date.now());
  sim.faults.apply({ clockSkewMs: shift });
}

async function connect(sharedIpBackoff?: BackoffGate): Promise<{ client: BinanceClient; reports: RateLimitReport[] }> {
  // Only a -1021 could re-measure the offset: the shifts move both clocks alike, so it stays 0.
  const client = createBinanceClient({
    baseUrls: simulatorBaseUrls(sim.baseUrl),
    apiKey: API_KEY,
    apiSecret: SECRET,
    clock,
    timeSync: { resyncIntervalMs: 0 },
    ...(sharedIpBackoff === undefined ? {} : { sharedIpBackoff }),
  });
  await client.rest.syncTime();
  const reports: RateLimitReport[] = [];
  client.onRateLimitReport((report) => reports.push(report));
  return { client, reports };
}

async function passiveBid(client: BinanceClient) {
  const info = await client.rest.exchangeInfo({ symbol: "BTCUSDT" });
  const filters = info.symbols[0]?.filters ?? [];
  const tick = findFilter(filters, "PRICE_FILTER")?.tickSize ?? new Decimal("0.01");
  const step = findFilter(filters, "LOT_SIZE")?.stepSize ?? new Decimal("0.00001");
  const ticker = await client.rest.bookTicker("BTCUSDT");
  const price = ticker.bidPrice.times(0.97).toNearest(tick, Decimal.ROUND_DOWN);
  const quantity = new Decimal(25).div(price).toNearest(step, Decimal.ROUND_UP);
  return { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity } as const;
}

/**
 * Moves both clocks to the start of the next 10 s window, then places until the exchange refuses: the whole test
 * then runs inside one window, whatever the machine's load.
 */
async function placeUntilRefused<T>(place: () => Promise<T>): Promise<{ placed: T[]; refusal: unknown; windowEnd: number }> {
  moveClocksTo(Math.ceil(clock.now() / 10_000) * 10_000 + 1);
  const placed: T[] = [];
  for (let i = 0; i < ORDERS_PER_10S + 1; i++) {
    const sentAt = clock.now();
    const outcome = await place().then(
      (order) => ({ order }),
      (error: unknown) => ({ error }),
    );
    if ("error" in outcome) return { placed, refusal: outcome.error, windowEnd: Math.floor(sentAt / 10_000) * 10_000 + 10_000 };
    placed.push(outcome.order);
  }
  throw new Error(`the simulator accepted ${placed.length} orders with a limit of ${ORDERS_PER_10S} per 10 s`);
}

const ordersTenSecondCounts = (reports: RateLimitReport[]) =>
  reports.flatMap((r) => (r.kind === "usage" ? r.counts : [])).filter((c) => c.rateLimitType === "ORDERS" && c.interval === "SECOND");

describe("an order-count 429 against the simulator", () => {
  it("over REST: names ORDERS 10 SECOND; cancels and queries go on; new orders wait until Retry-After and no longer", async () => {
    const { client, reports } = await connect();
    const order = await passiveBid(client);
    const { placed, refusal, windowEnd } = await placeUntilRefused(() => client.rest.placeOrder(order));
    expect(refusal).toBeInstanceOf(BinanceRateLimitError);
    const { retryAt } = refusal as BinanceRateLimitError;
    expect(refusal).toMatchObject({ code: -1015, httpStatus: 429 });
    // Retry-After is whole seconds up to the window's end: the retry time is at or just past it.
    expect(retryAt).toBeGreaterThanOrEqual(windowEnd);
    expect(retryAt).toBeLessThan(windowEnd + 1_500);
    expect(reports.at(-1)).toEqual({ kind: "refused", limit: { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10 }, retryAt, httpStatus: 429, code: -1015 });
    expect(placed).toHaveLength(ORDERS_PER_10S);
    // The headers of the last accepted order carried the full window.
    expect(ordersTenSecondCounts(reports).at(-1)?.count).toBe(ORDERS_PER_10S);

    const first = placed[0]!;
    expect((await client.rest.queryOrder("BTCUSDT", { orderId: first.orderId })).status).toBe("NEW");
    expect(await client.rest.cancelOrder({ symbol: "BTCUSDT", order: { orderId: first.orderId } })).toMatchObject({ status: "CANCELED" });
    expect(client.backoffUntil(false)).toBeUndefined();

    moveClocksTo(retryAt - 200); // a margin for the ms that pass before the request is checked
    const reportsBefore = reports.length;
    await expect(client.rest.placeOrder(order)).rejects.toBeInstanceOf(BinanceBackoffError);
    expect(reports).toHaveLength(reportsBefore); // refused locally: nothing reached the exchange

    moveClocksTo(retryAt);
    expect((await client.rest.placeOrder(order)).orderId).toBeGreaterThan(first.orderId);
    expect(ordersTenSecondCounts(reports).at(-1)?.count).toBe(1);
    await client.rest.cancelAllOpenOrders("BTCUSDT");
  });

  it("over the WebSocket API: retryAfter and the rateLimits counts are reported, and order.cancel still goes out", async () => {
    const { client, reports } = await connect();
    const api = client.wsApi();
    try {
      await api.start();
      const order = await passiveBid(client);
      const { placed, refusal, windowEnd } = await placeUntilRefused(() => api.placeOrder(order));
      expect(refusal).toMatchObject({ code: -1015, httpStatus: 429 });
      const { retryAt } = refusal as BinanceRateLimitError;
      // data.retryAfter is the window's end in server time (the simulator shares this process's clock), brought to
      // local time with the measured offset; the simulator adds the few ms it took to answer.
      expect(retryAt).toBeGreaterThanOrEqual(client.serverTimeOffset.toLocal(windowEnd));
      expect(retryAt).toBeLessThan(client.serverTimeOffset.toLocal(windowEnd) + 50);
      expect(reports.at(-1)).toEqual({ kind: "refused", limit: { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10 }, retryAt, httpStatus: 429, code: -1015 });
      // The refusal's own rateLimits name the exchange's limit and the full count.
      expect(ordersTenSecondCounts(reports).at(-1)).toEqual({ rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: ORDERS_PER_10S, count: ORDERS_PER_10S });

      expect(await api.cancelOrder({ symbol: "BTCUSDT", order: { orderId: placed[0]!.orderId } })).toMatchObject({ status: "CANCELED" });
      await expect(api.placeOrder(order)).rejects.toBeInstanceOf(BinanceBackoffError);
      moveClocksTo(retryAt - 200); // a margin for the ms that pass before the request is checked
      expect(client.backoffUntil(true)).toBe(retryAt);
      moveClocksTo(retryAt);
      expect(client.backoffUntil(true)).toBeUndefined();
      // The offset's measurement error may put the retry time a ms or two before the server's window end.
      moveClocksTo(Math.max(retryAt, windowEnd));
      expect((await api.placeOrder(order)).orderId).toBeGreaterThan(placed[0]!.orderId);
      await api.cancelAllOpenOrders("BTCUSDT");
    } finally {
      await api.stop();
    }
  });
});

describe("the IP's limits against the simulator", () => {
  it("a weight 429 stops every request of the IP, cancels included, until the next minute, and never escalates to a ban", async () => {
    const { client, reports } = await connect();
    await fetch(`${sim.baseUrl}/admin/rate-limits`, { method: "POST", body: JSON.stringify({ reset: true, requestWeightPerMinute: 30 }) });
    let refusal: unknown;
    for (let i = 0; i < 10 && refusal === undefined; i++) refusal = await client.rest.depth("BTCUSDT", 100).then(() => undefined, (e: unknown) => e);
    expect(refusal).toMatchObject({ code: -1003, httpStatus: 429 });
    const { retryAt } = refusal as BinanceRateLimitError;
    expect(reports.at(-1)).toMatchObject({ kind: "refused", limit: { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1 }, retryAt });
    await expect(client.rest.cancelOrder({ symbol: "BTCUSDT", order: { orderId: 1 } })).rejects.toBeInstanceOf(BinanceBackoffError);

    moveClocksTo(retryAt);
    await client.rest.ping();
    expect(reports.at(-1)).toEqual({ kind: "usage", counts: [{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, count: 1 }] });
  });

  it("a 418 ban names no window and lasts its Retry-After", async () => {
    const { client, reports } = await connect();
    const banned = (await (await fetch(`${sim.baseUrl}/admin/ban`, { method: "POST", body: JSON.stringify({ durationMs: 120_000 }) })).json()) as { bannedUntil: number };
    const refusal = await client.rest.ping().catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: -1003, httpStatus: 418 });
    const { retryAt } = refusal as BinanceRateLimitError;
    // Retry-After in whole seconds, rounded up.
    expect(retryAt).toBeGreaterThanOrEqual(banned.bannedUntil);
    expect(retryAt).toBeLessThan(banned.bannedUntil + 1_500);
    expect(reports.at(-1)).toEqual({ kind: "refused", limit: { rateLimitType: "REQUEST_WEIGHT" }, retryAt, httpStatus: 418, code: -1003 });
    const order = { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price: "1", quantity: "1" } as const;
    await expect(client.rest.placeOrder(order)).rejects.toBeInstanceOf(BinanceBackoffError);
    await expect(client.rest.cancelOrder({ symbol: "BTCUSDT", order: { orderId: 1 } })).rejects.toBeInstanceOf(BinanceBackoffError);
    moveClocksTo(retryAt);
    await client.rest.ping();
  });

  it("clients sharing the IP's backoff all hold back after one earns a 418, while order-count blocks stay their own", async () => {
    const ipGate = new BackoffGate();
    const banned = await connect(ipGate);
    const neighbour = await connect(ipGate);
    const order = await passiveBid(neighbour.client);
    await placeUntilRefused(() => banned.client.rest.placeOrder(order));
    expect(banned.client.backoffUntil(true)).toBeDefined();
    expect(neighbour.client.backoffUntil(true)).toBeUndefined();

    await fetch(`${sim.baseUrl}/admin/ban`, { method: "POST", body: JSON.stringify({ durationMs: 120_000 }) });
    const refusal = await banned.client.rest.ping().catch((e: unknown) => e);
    expect(refusal).toMatchObject({ httpStatus: 418 });
    const reportsBefore = neighbour.reports.length;
    await expect(neighbour.client.rest.ping()).rejects.toBeInstanceOf(BinanceBackoffError);
    expect(neighbour.reports).toHaveLength(reportsBefore);
    expect(neighbour.client.backoffUntil(false)).toBe((refusal as BinanceRateLimitError).retryAt);
    await fetch(`${sim.baseUrl}/admin/rate-limits`, { method: "POST", body: JSON.stringify({ reset: true }) });
    moveClocksTo((refusal as BinanceRateLimitError).retryAt);
    await neighbour.client.rest.cancelAllOpenOrders("BTCUSDT");
  });
});
