// The account's order budget as the engine wires it (ExchangeConnections -> AccountSession -> the exchange client)
// against the simulator's real limiter: it learns the exchange's limits and counts, other processes' orders
// included, and a 429 on the order count stops new orders while the cancel of a live order still goes out.
// The simulator's day limit is lowered to 5 orders, so nothing depends on where a 10 s window falls.
import { createBinanceClient, simulatorBaseUrls, type BinanceClient } from "@bandkeeper/binance";
import { Decimal, type ExecutionReplies, type OrderBudget } from "@bandkeeper/core";
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExchangeConnections } from "../../src/exchange/connections";
import { createLogger } from "../../src/observability/log";
import { EngineMetrics } from "../../src/observability/metrics";
import { until } from "./harness";

const ORDERS_PER_DAY = 5;
const wallClock = { now: () => Date.now() };

let sim: RunningSimulator;
let connections: ExchangeConnections;
let metrics: EngineMetrics;

beforeAll(async () => {
  // The day window rolls over at 00:00 UTC: start clear of it.
  await until(() => (86_400_000 - (Date.now() % 86_400_000) > 30_000 ? true : undefined), 40_000, "00:00 UTC to pass");
  sim = await startExchangeSimulator({ symbols: ["BTCUSDT"], market: { seed: 5 }, rateLimits: { ordersPerDay: ORDERS_PER_DAY } });
  metrics = new EngineMetrics();
  connections = new ExchangeConnections({ clock: wallClock, logger: createLogger({ write: () => undefined }), metrics, defaultSimulatorUrl: sim.baseUrl });
}, 60_000);

afterAll(async () => {
  await connections.close();
  await sim.close();
});

/** A fresh account: its own day count, its own session. */
async function openAccount(name: string) {
  const credentials = { apiKey: `${name}-key`, apiSecret: `${name}-secret` };
  sim.addAccount({ ...credentials, balances: { USDT: "100000", BTC: "1" } });
  const session = await connections.session(name, () =>
    Promise.resolve({ name, venue: "SIMULATOR" as const, environment: "SIMULATOR" as const, baseUrl: null, apiKey: credentials.apiKey, signing: { apiSecret: credentials.apiSecret } }),
  );
  // Another process trading the same account.
  const other = createBinanceClient({ baseUrls: simulatorBaseUrls(sim.baseUrl), ...credentials });
  await other.rest.syncTime();
  return { session, other };
}

async function passiveBid(client: BinanceClient): Promise<{ price: Decimal; qty: Decimal }> {
  const ticker = await client.rest.bookTicker("BTCUSDT");
  const price = ticker.bidPrice.times(0.95).toDecimalPlaces(2, Decimal.ROUND_DOWN);
  return { price, qty: new Decimal(20).div(price).toDecimalPlaces(5, Decimal.ROUND_UP) };
}

/** The replies a bot would get, recorded. */
function recordingReplies() {
  const seen: string[] = [];
  const replies: ExecutionReplies = {
    onPlaceAcknowledged: (id) => seen.push(`acked ${id}`),
    onPlaceRejected: (id, code) => seen.push(`rejected ${id} ${code}`),
    onPlaceOutcomeUnknown: (id) => seen.push(`unknown ${id}`),
    onCancelAcknowledged: (id) => seen.push(`canceled ${id}`),
    onCancelRejected: (id, code) => seen.push(`cancel rejected ${id} ${code}`),
    onOrderStatus: (id) => seen.push(`status ${id}`),
    onOrderTrades: (id) => seen.push(`trades ${id}`),
  };
  return { seen, replies };
}

function countAllowed(budget: OrderBudget, priority: "RESTORE" | "REQUOTE"): number {
  let allowed = 0;
  while (allowed < 100 && budget.tryConsume("place", Date.now(), priority)) allowed++;
  return allowed;
}

describe("the account's order budget against the simulator", () => {
  it("takes the exchange's day limit and count, other processes' orders included, and keeps the last 20% for restores", async () => {
    const { session, other } = await openAccount("learner");
    const { price, qty } = await passiveBid(other);
    for (const n of [1, 2]) await other.rest.placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity: qty, newClientOrderId: `other-${n}` });

    const budget = session.budget();
    const { seen, replies } = recordingReplies();
    expect(budget.tryConsume("place", Date.now(), "RESTORE")).toBe(true);
    session.executionFor(replies).place({ clientOrderId: "ours-1", symbol: "BTCUSDT", side: "BUY", price, qty });
    await until(() => (seen.length > 0 ? seen : undefined), 5_000, "the place acknowledgement");
    expect(seen).toEqual(["acked ours-1"]);

    // The acknowledgement's rateLimits: 3 orders today (2 of them the other process's), limit 5.
    expect(session.rateLimitUsage(Date.now()).find((u) => u.limit === "ORDERS_1DAY")).toEqual({ scope: "account", limit: "ORDERS_1DAY", used: 3 });
    // floor(5 * 0.8) = 4 for requotes: one more; restores may use the fifth.
    expect(countAllowed(budget, "REQUOTE")).toBe(1);
    expect(countAllowed(budget, "RESTORE")).toBe(1);
    expect(countAllowed(budget, "RESTORE")).toBe(0);

    const exposition = await metrics.registry.metrics();
    expect(exposition).toContain('bandkeeper_rate_limit_used{scope="learner",limit="ORDERS_1DAY"} 5');
    expect(exposition).toMatch(/^bandkeeper_rate_limit_used\{scope="ip 127\.0\.0\.1:\d+",limit="REQUEST_WEIGHT_1MINUTE"\} [1-9]/m);
    await other.rest.cancelAllOpenOrders("BTCUSDT");
  });

  it("after a 429 on the order count refuses new orders but still sends the cancel of a live order", async () => {
    const { session, other } = await openAccount("refused");
    const { price, qty } = await passiveBid(other);
    const budget = session.budget();
    const { seen, replies } = recordingReplies();
    const execution = session.executionFor(replies);
    expect(budget.tryConsume("place", Date.now(), "RESTORE")).toBe(true);
    execution.place({ clientOrderId: "live-1", symbol: "BTCUSDT", side: "BUY", price, qty });
    await until(() => (seen.includes("acked live-1") ? true : undefined), 5_000, "the first order's acknowledgement");

    // The other process spends the rest of the day's orders; this session has not heard of them.
    for (let n = 2; n <= ORDERS_PER_DAY; n++) await other.rest.placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity: qty });
    expect(budget.tryConsume("place", Date.now(), "RESTORE")).toBe(true);
    execution.place({ clientOrderId: "late-2", symbol: "BTCUSDT", side: "BUY", price, qty });
    await until(() => (seen.length > 1 ? true : undefined), 5_000, "the exchange's answer to the second order");
    expect(seen[1]).toBe("rejected late-2 -1015");

    // The refusal named ORDERS 1 DAY: new orders wait for the exchange's retry time, the cancel goes out.
    expect(budget.tryConsume("place", Date.now(), "RESTORE")).toBe(false);
    expect(budget.tryConsume("cancel", Date.now(), "RESTORE")).toBe(true);
    execution.cancel("BTCUSDT", "live-1");
    await until(() => (seen.length > 2 ? true : undefined), 5_000, "the cancel's answer");
    expect(seen[2]).toBe("canceled live-1");
    await other.rest.cancelAllOpenOrders("BTCUSDT");
  });

  it("a 418 earned by one account holds back every account of the process on that venue, orders and cancels alike", async () => {
    const first = await openAccount("banned-first");
    const second = await openAccount("banned-second");
    await fetch(`${sim.baseUrl}/admin/ban`, { method: "POST", body: JSON.stringify({ durationMs: 120_000 }) });
    try {
      await expect(first.session.openOrders("BTCUSDT")).rejects.toMatchObject({ httpStatus: 418 });
      const secondBudget = second.session.budget();
      expect(secondBudget.tryConsume("cancel", Date.now(), "RESTORE")).toBe(false);
      expect(secondBudget.tryConsume("place", Date.now(), "RESTORE")).toBe(false);
      // Its client refuses locally too, so requests outside the budget (fill recovery, probes) do not lengthen the ban.
      expect(second.session.client.backoffUntil()).toBeGreaterThan(Date.now() + 100_000);
    } finally {
      await fetch(`${sim.baseUrl}/admin/rate-limits`, { method: "POST", body: JSON.stringify({ reset: true }) });
    }
  });
});
