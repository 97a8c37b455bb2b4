import { describe, expect, it } from "vitest";
import { BINANCE_SPOT_ACCOUNT_LIMITS, BINANCE_SPOT_IP_LIMITS, RateLimitBudget, usageFromHeaders } from "../src/rate-limits";

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

  it("adopts higher counts reported by the exchange", () => {
    const b = ip();
    b.tryConsume({ weight: 10 }, 1_000);
    b.sync(usageFromHeaders({ "X-MBX-USED-WEIGHT-1M": "5995", "content-type": "application/json" }), 1_000);
    expect(b.tryConsume({ weight: 6 }, 1_001).ok).toBe(false);
    b.sync([{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, count: 3 }], 1_002);
    expect(b.usage(1_002)[0]?.used).toBe(5995);
  });

  it("obeys Retry-After and ban-until times", () => {
    const b = ip();
    b.retryAfterSeconds(120, 1_000);
    expect(b.tryConsume({ weight: 1 }, 120_999)).toEqual({ ok: false, reason: "BANNED", retryAt: 121_000 });
    expect(b.tryConsume({ weight: 1 }, 121_000).ok).toBe(true);
    b.banUntil(500_000);
    b.banUntil(200_000);
    expect(b.tryConsume({ weight: 1, critical: true }, 499_999)).toMatchObject({ reason: "BANNED", retryAt: 500_000 });
  });
});

describe("usageFromHeaders", () => {
  it("reads weight and order-count headers in any case", () => {
    expect(usageFromHeaders({ "x-mbx-used-weight-1m": "42", "X-MBX-ORDER-COUNT-10S": "3", "X-MBX-ORDER-COUNT-1D": "77", "x-mbx-uuid": "abc" })).toEqual([
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, count: 42 },
      { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, count: 3 },
      { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, count: 77 },
    ]);
  });
});
