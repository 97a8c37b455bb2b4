import { describe, expect, it } from "vitest";
import { AccountRequestBudget, REQUOTE_SHARE, createIpBudget } from "../src/rate-limits";

const T = 1_000_020_000; // 20 ms into a 10 s window, 20 s into a minute window

function countAllowed(attempt: () => boolean, max = 100_000): number {
  let allowed = 0;
  while (allowed < max && attempt()) allowed++;
  return allowed;
}

describe("AccountRequestBudget priorities", () => {
  it("keeps the last 20% of the 10 s order limit for restores", () => {
    expect(REQUOTE_SHARE).toBe(0.8);
    const budget = new AccountRequestBudget(createIpBudget());
    // floor(50 * 0.8) = 40 drift requotes, then only restores, up to the exchange's 50.
    expect(countAllowed(() => budget.tryConsume("place", T, "REQUOTE"))).toBe(40);
    expect(budget.tryConsume("place", T, "REQUOTE")).toBe(false);
    expect(countAllowed(() => budget.tryConsume("place", T, "RESTORE"))).toBe(10);
    expect(budget.tryRequest("placeOrder", T, "RESTORE")).toMatchObject({ ok: false, reason: "LIMIT", used: 50, retryAt: 1_000_030_000 });
    expect(budget.tryConsume("place", 1_000_030_000, "REQUOTE")).toBe(true);
  });

  it("takes a request without a priority as a restore", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    expect(countAllowed(() => budget.tryConsume("place", T))).toBe(50);
  });

  it("sends a cancel with the new-order budget spent: cancels never count toward the order limits", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    expect(countAllowed(() => budget.tryConsume("place", T, "RESTORE"))).toBe(50);
    expect(budget.tryConsume("cancel", T, "RESTORE")).toBe(true);
    expect(budget.tryConsume("cancel", T, "REQUOTE")).toBe(true);
    // 50 places and 2 cancels: 52 raw requests and no weight (orders and cancels are free when they succeed).
    expect(budget.usage(T)).toEqual([
      { scope: "ip", limit: "REQUEST_WEIGHT_1MINUTE", used: 0 },
      { scope: "ip", limit: "RAW_REQUESTS_5MINUTE", used: 52 },
      { scope: "account", limit: "ORDERS_10SECOND", used: 50 },
      { scope: "account", limit: "ORDERS_1DAY", used: 50 },
    ]);
  });

  it("charges order queries their weight (4) within the requote share of the IP's 6000", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    // floor(6000 * 0.8) = 4800 = 1200 queries of weight 4.
    expect(countAllowed(() => budget.tryRequest("queryOrder", T, "REQUOTE").ok)).toBe(1200);
    // A restore still goes out: it costs no weight, and the reserve is there for its failure.
    expect(budget.tryConsume("place", T, "RESTORE")).toBe(true);
  });

  it("counts the weight of requests that must go out whatever the budget says", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    budget.record("openOrders", T);
    budget.record("account", T);
    budget.record("cancelAllOpenOrders", T);
    expect(budget.usage(T).slice(0, 2)).toEqual([
      { scope: "ip", limit: "REQUEST_WEIGHT_1MINUTE", used: 26 },
      { scope: "ip", limit: "RAW_REQUESTS_5MINUTE", used: 3 },
    ]);
  });

  it("shares the IP's weight between the accounts on it, not their order counts", () => {
    const ip = createIpBudget();
    const first = new AccountRequestBudget(ip);
    const second = new AccountRequestBudget(ip);
    expect(countAllowed(() => first.tryRequest("queryOrder", T, "REQUOTE").ok)).toBe(1200);
    expect(second.tryRequest("queryOrder", T, "REQUOTE").ok).toBe(false);
    expect(countAllowed(() => first.tryConsume("place", T, "RESTORE"))).toBe(50);
    expect(countAllowed(() => second.tryConsume("place", T, "RESTORE"))).toBe(50);
  });
});

describe("AccountRequestBudget learning from the exchange", () => {
  it("takes the exchange's higher counts, which include other processes' requests", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    budget.tryConsume("place", T, "REQUOTE");
    budget.learnUsage(
      [
        { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, count: 45 },
        { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, count: 900 },
        { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, count: 4797 },
      ],
      T,
    );
    // 45 + 1 > 40: no more requotes; restores up to 50, so 5.
    expect(budget.tryConsume("place", T, "REQUOTE")).toBe(false);
    expect(countAllowed(() => budget.tryConsume("place", T, "RESTORE"))).toBe(5);
    // 4797 + 4 > 4800: the query waits; a restore is still sent.
    expect(budget.tryRequest("queryOrder", T, "REQUOTE").ok).toBe(false);
    // A lower, older report does not undo what was counted since.
    budget.learnUsage([{ rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, count: 3 }], T);
    expect(budget.usage(T).find((u) => u.limit === "ORDERS_10SECOND")?.used).toBe(50);
    expect(budget.usage(T).find((u) => u.limit === "ORDERS_1DAY")?.used).toBe(905);
  });

  it("takes the exchange's own limits from a report that names them", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    budget.learnUsage([{ rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, count: 0, limit: 5 }], T);
    // floor(5 * 0.8) = 4 requotes, then 1 restore.
    expect(countAllowed(() => budget.tryConsume("place", T, "REQUOTE"))).toBe(4);
    expect(countAllowed(() => budget.tryConsume("place", T, "RESTORE"))).toBe(1);
  });

  it("an order-count 429 stops new orders until its retry time, while cancels and queries go on", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    const retryAt = T + 9_980;
    budget.learnRefusal({ rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10 }, retryAt);
    expect(budget.tryRequest("placeOrder", T, "RESTORE")).toMatchObject({ ok: false, reason: "BANNED", retryAt });
    expect(budget.tryConsume("cancel", T, "RESTORE")).toBe(true);
    expect(budget.tryRequest("queryOrder", T, "REQUOTE").ok).toBe(true);
    expect(budget.tryConsume("place", retryAt - 1, "RESTORE")).toBe(false);
    expect(budget.tryConsume("place", retryAt, "RESTORE")).toBe(true);
  });

  it("a 418 closes the IP to every request of every account on it until Retry-After, and no longer", () => {
    const ip = createIpBudget();
    const banned = new AccountRequestBudget(ip);
    const neighbour = new AccountRequestBudget(ip);
    const retryAt = T + 120_000;
    banned.learnRefusal({ rateLimitType: "REQUEST_WEIGHT" }, retryAt);
    expect(banned.tryConsume("cancel", T, "RESTORE")).toBe(false);
    expect(neighbour.tryConsume("place", T, "RESTORE")).toBe(false);
    expect(neighbour.tryRequest("cancelOrder", retryAt - 1, "RESTORE")).toMatchObject({ ok: false, reason: "BANNED", limit: { rateLimitType: "REQUEST_WEIGHT" }, retryAt });
    expect(neighbour.tryConsume("cancel", retryAt, "RESTORE")).toBe(true);
    expect(banned.tryConsume("place", retryAt, "REQUOTE")).toBe(true);
  });
});
