import { afterEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index";
import { RateLimiter } from "../../src/server/rate-limits";
import { crossingBuyPrice, rest, startSim } from "./helpers";

// A manual clock a little after a minute boundary, so fixed windows cannot roll over mid-test.
function manualClock() {
  const start = Math.floor(Date.now() / 60_000) * 60_000 + 1_000;
  const clock = { time: start, now: () => clock.time };
  return clock;
}

describe("RateLimiter windows", () => {
  it("resets weight on the minute and orders on the 10 s boundary", () => {
    const limiter = new RateLimiter({ requestWeightPerMinute: 10, ordersPer10Seconds: 1 });
    const t = 1_700_000_040_000; // a minute boundary
    limiter.admit("ip", 10, t + 59_000);
    expect(() => limiter.admit("ip", 1, t + 59_500)).toThrow(/-1003/);
    expect(() => limiter.admit("ip", 1, t + 60_000)).not.toThrow();
    limiter.admitOrder("acct", t + 5_000);
    expect(() => limiter.admitOrder("acct", t + 9_999)).toThrow(/-1015/);
    expect(() => limiter.admitOrder("acct", t + 10_000)).not.toThrow();
    expect(limiter.orderCounts("acct", t + 10_000)).toEqual({ tenSeconds: 1, day: 2 });
  });

  it("doubles ban length on each ban", () => {
    const limiter = new RateLimiter({ firstBanMs: 1000 });
    expect(limiter.banIp("ip", 0)).toBe(1000);
    expect(limiter.banIp("ip", 10_000)).toBe(12_000);
  });
});

describe("rate limits over REST", () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("counts weight, answers 429 -1003 with Retry-After, then bans with 418", async () => {
    const clock = manualClock();
    sim = await startSim({ clock, rateLimits: { requestWeightPerMinute: 30, requestsAfter429BeforeBan: 1, firstBanMs: 120_000 } });
    const first = await rest(sim, "GET", "/api/v3/exchangeInfo");
    expect(first.headers.get("x-mbx-used-weight-1m")).toBe("20");
    const ping = await rest(sim, "GET", "/api/v3/ping");
    expect(ping.headers.get("x-mbx-used-weight-1m")).toBe("21");

    const limited = await rest(sim, "GET", "/api/v3/exchangeInfo");
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      code: -1003,
      msg: "Too much request weight used; current limit is 30 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
    });
    expect(limited.headers.get("retry-after")).toBe("59");

    expect((await rest(sim, "GET", "/api/v3/ping")).status).toBe(429);
    const banned = await rest(sim, "GET", "/api/v3/ping");
    expect(banned.status).toBe(418);
    expect(banned.body).toEqual({
      code: -1003,
      msg: `Way too much request weight used; IP banned until ${clock.time + 120_000}. Please use WebSocket Streams for live updates to avoid bans.`,
    });
    expect(banned.headers.get("retry-after")).toBe("120");

    clock.time += 120_000;
    expect((await rest(sim, "GET", "/api/v3/ping")).status).toBe(200);
  });

  it("successful orders cost no weight; the order count limit answers 429 -1015", async () => {
    const clock = manualClock();
    sim = await startSim({ clock, rateLimits: { ordersPer10Seconds: 2 } });
    const { body } = await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbol: "BTCUSDT" });
    const price = (Number((body as { bidPrice: string }).bidPrice) * 0.95).toFixed(2);
    const order = { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity: "0.01" };
    const before = Number((await rest(sim, "GET", "/api/v3/ping")).headers.get("x-mbx-used-weight-1m"));
    const a = await rest(sim, "POST", "/api/v3/order", order, { signed: true, timestamp: clock.time });
    const b = await rest(sim, "POST", "/api/v3/order", order, { signed: true, timestamp: clock.time });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.headers.get("x-mbx-used-weight-1m")).toBe(String(before));
    expect(b.headers.get("x-mbx-order-count-10s")).toBe("2");
    expect(b.headers.get("x-mbx-order-count-1d")).toBe("2");

    const c = await rest(sim, "POST", "/api/v3/order", order, { signed: true, timestamp: clock.time });
    expect(c.status).toBe(429);
    expect(c.body).toEqual({ code: -1015, msg: "Too many new orders; current limit is 2 orders per 10 SECOND." });
    expect(c.headers.get("retry-after")).toBe("9");
    expect(c.headers.get("x-mbx-used-weight-1m")).toBe(String(before + 1));

    clock.time += 10_000;
    const d = await rest(sim, "POST", "/api/v3/order", order, { signed: true, timestamp: clock.time });
    expect(d.status).toBe(200);
  });

  it("cancelReplace with CANCEL_ONLY still cancels when the order count is exhausted", async () => {
    const clock = manualClock();
    sim = await startSim({ clock, rateLimits: { ordersPer10Seconds: 1 } });
    const { body } = await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbol: "BTCUSDT" });
    const price = (Number((body as { bidPrice: string }).bidPrice) * 0.95).toFixed(2);
    const order = { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity: "0.01" };
    expect((await rest(sim, "POST", "/api/v3/order", { ...order, newClientOrderId: "keepMe" }, { signed: true, timestamp: clock.time })).status).toBe(200);
    const replace = { ...order, cancelReplaceMode: "STOP_ON_FAILURE", cancelOrigClientOrderId: "keepMe" };
    const doNothing = await rest(sim, "POST", "/api/v3/order/cancelReplace", replace, { signed: true, timestamp: clock.time });
    expect(doNothing).toMatchObject({ status: 429, body: { code: -1015, msg: "Too many new orders; current limit is 1 orders per 10 SECOND." } });

    const cancelOnly = await rest(sim, "POST", "/api/v3/order/cancelReplace", { ...replace, orderRateLimitExceededMode: "CANCEL_ONLY" }, { signed: true, timestamp: clock.time });
    expect(cancelOnly.status).toBe(409);
    expect(cancelOnly.body).toMatchObject({
      code: -2021,
      msg: "Order cancel-replace partially failed.",
      data: {
        cancelResult: "SUCCESS",
        newOrderResult: "FAILURE",
        cancelResponse: { origClientOrderId: "keepMe", status: "CANCELED" },
        newOrderResponse: { code: -1015, msg: "Too many new orders; current limit is 1 orders per 10 SECOND." },
      },
    });
  });

  it("an order that fills gives its unfilled-order slot back", async () => {
    const clock = manualClock();
    sim = await startSim({ clock });
    const taker = { symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "IOC", price: await crossingBuyPrice(sim), quantity: "0.001" };
    const filled = await rest(sim, "POST", "/api/v3/order", { ...taker, newOrderRespType: "RESULT" }, { signed: true, timestamp: clock.time });
    expect(filled.body).toMatchObject({ status: "FILLED" });
    expect(filled.headers.get("x-mbx-order-count-10s")).toBe("0");
    expect(filled.headers.get("x-mbx-order-count-1d")).toBe("0");
  });
});
