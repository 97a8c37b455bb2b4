import { describe, expect, it } from "vitest";
import { BINANCE_SPOT_ACCOUNT_LIMITS, BINANCE_SPOT_IP_LIMITS, RateLimitBudget } from "../src/rate-limits";

const ip = () => new RateLimitBudget({ rules: BINANCE_SPOT_IP_LIMITS, safetyFactor: 1 });
const account = () => new RateLimitBudget({ rules: BINANCE_SPOT_ACCOUNT_LIMITS, safetyFactor: 1 });
const MINUTE = 60_000;

describe("RateLimitBudget", () => {
  it("denies past the limit and resets on the window boundary, not a minute after the first request", () => {
    const b = ip();
    const t0 = 10 * MINUTE + 30_000;
    expect(b.tryConsume({ weight: 5990 }, t0)).toEqual({ ok: true });
    expect(b.tryConsume({ weight: 10 }, t0 + 1)).toEqual({ ok: true });
    expect(b.tryConsume({ weight: 1 }, t0 + 2)).toMatchObject({ ok: false, reason: "LIMIT", used: 6000, retryAt: 11 * MINUTE });
    expect(b.tryConsume({ weight: 1 }, 11 * MINUTE)).toEqual({ ok: true });
  });

  it("counts orders per 10 s and per day", () => {
    const b = account();
    for (let i = 0; i < 50; i++) expect(b.tryConsume({ orders: 1 }, 5_000)).toEqual({ ok: true });
    const denied = b.tryConsume({ orders: 1 }, 9_999);
    expect(denied).toMatchObject({ ok: false, reason: "LIMIT", retryAt: 10_000 });
    expect(denied.ok === false && denied.reason === "LIMIT" && denied.rule.interval).toBe("SECOND");
    expect(b.tryConsume({ orders: 1 }, 10_000)).toEqual({ ok: true });
    expect(b.usage(10_000).map((u) => u.used)).toEqual([1, 51]);
  });

  it("starts the day window at 00:00 UTC", () => {
    const b = account();
    const lastMsOfDay = Date.UTC(2026, 11, 2, 23, 59, 59, 999);
    const midnight = Date.UTC(2026, 11, 3);
    b.sync([{ rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, count: 160_000 }], lastMsOfDay);
    expect(b.tryConsume({ orders: 1 }, lastMsOfDay)).toMatchObject({ ok: false, reason: "LIMIT", used: 160_000, retryAt: midnight });
    expect(b.tryConsume({ orders: 1 }, midnight)).toEqual({ ok: true });
    expect(b.usage(midnight)[1]).toMatchObject({ used: 1, windowStart: midnight, windowEnd: midnight + 86_400_000 });
  });

  it("keeps the safety margin for critical requests", () => {
    const b = new RateLimitBudget({ rules: BINANCE_SPOT_ACCOUNT_LIMITS, safetyFactor: 0.9 });
    for (let i = 0; i < 45; i++) b.tryConsume({ orders: 1 }, 0);
    expect(b.tryConsume({ orders: 1 }, 0).ok).toBe(false);
    expect(b.tryConsume({ orders: 1, critical: true }, 0).ok).toBe(true);
  });

  it("charges an IP and an account budget together or not at all", () => {
    const i = ip();
    const a = account();
    for (let k = 0; k < 50; k++) RateLimitBudget.tryConsumeAll([[i, { weight: 1 }], [a, { orders: 1 }]], 0);
    expect(RateLimitBudget.tryConsumeAll([[i, { weight: 1 }], [a, { orders: 1 }]], 0).ok).toBe(false);
    expect(i.usage(0)[0]?.used).toBe(50);
  });

  it("records a request it would refuse, so later requests see it", () => {
    const b = ip();
    b.record({ weight: 6000 }, 0);
    b.record({ weight: 20 }, 1);
    expect(b.usage(1)[0]?.used).toBe(6020);
    expect(b.tryConsume({ weight: 1, critical: true }, 2)).toMatchObject({ ok: false, reason: "LIMIT", used: 6020 });
  });

  it("adopts the exchange's count where it is higher, and ignores windows it does not count", () => {
    const b = ip();
    b.tryConsume({ weight: 10 }, 1_000);
    b.sync([{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, count: 5995 }], 1_000);
    expect(b.tryConsume({ weight: 6 }, 1_001).ok).toBe(false);
    b.sync([{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, count: 3 }], 1_002);
    b.sync([{ rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, count: 49 }, { rateLimitType: "CONNECTIONS", interval: "MINUTE", intervalNum: 5, count: 7 }], 1_002);
    b.sync([{ rateLimitType: "REQUEST_WEIGHT", interval: "FORTNIGHT", intervalNum: 1, count: 99 }], 1_002);
    expect(b.usage(1_002).map((u) => u.used)).toEqual([5995, 0]);
    // A report in the next window starts it from the exchange's count.
    b.sync([{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, count: 40 }], MINUTE + 5);
    expect(b.usage(MINUTE + 5)[0]).toMatchObject({ used: 40, windowStart: MINUTE });
  });

  it("takes the exchange's limit when a report names one", () => {
    const b = account();
    b.sync([{ rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, count: 1, limit: 2 }], 0);
    expect(b.tryConsume({ orders: 1 }, 1)).toEqual({ ok: true });
    expect(b.tryConsume({ orders: 1 }, 2)).toMatchObject({ ok: false, reason: "LIMIT", used: 2, rule: { interval: "SECOND", limit: 2 } });
    expect(b.usage(2)[0]?.rule.limit).toBe(2);
  });

  it("bans only what the refused limit covers: an order-count ban leaves cancels and queries open", () => {
    const a = account();
    a.banUntil({ rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10 }, 10_000);
    expect(a.tryConsume({ orders: 1, critical: true }, 3_000)).toEqual({
      ok: false,
      reason: "BANNED",
      limit: { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10 },
      retryAt: 10_000,
    });
    expect(a.tryConsume({ rawRequests: 1, weight: 4 }, 3_000)).toEqual({ ok: true });
    expect(a.tryConsume({ orders: 1 }, 10_000)).toEqual({ ok: true });
  });

  it("bans every request of the IP after a weight 429 or a 418, even those that cost no weight, until the retry time", () => {
    const i = ip();
    i.banUntil({ rateLimitType: "REQUEST_WEIGHT" }, 120_000);
    expect(i.tryConsume({ rawRequests: 1, critical: true }, 119_999)).toMatchObject({ ok: false, reason: "BANNED", retryAt: 120_000 });
    expect(i.tryConsume({ rawRequests: 1 }, 120_000)).toEqual({ ok: true });
  });

  it("keeps the longest of overlapping bans, and only bans on limits it counts", () => {
    const i = ip();
    i.banUntil({ rateLimitType: "REQUEST_WEIGHT" }, 500_000);
    i.banUntil({ rateLimitType: "REQUEST_WEIGHT" }, 200_000);
    i.banUntil({ rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5 }, 300_000);
    i.banUntil({ rateLimitType: "ORDERS" }, 900_000);
    expect(i.bansInForce(250_000).map((b) => b.until)).toEqual([500_000, 300_000]);
    expect(i.tryConsume({ weight: 1, critical: true }, 250_000)).toMatchObject({ reason: "BANNED", retryAt: 500_000 });
    expect(i.tryConsume({ weight: 1, critical: true }, 499_999)).toMatchObject({ reason: "BANNED", retryAt: 500_000 });
    expect(i.bansInForce(500_000)).toEqual([]);
    expect(i.tryConsume({ weight: 1 }, 500_000)).toEqual({ ok: true });
  });
});
