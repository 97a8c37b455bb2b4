import { describe, expect, it } from "vitest";
import { backoffScope, refusedLimit, restUsageFrom, usageFromHeaders } from "../src/rest/rate-limits";

describe("usageFromHeaders", () => {
  it("reads every weight and order-count header in any case, and nothing else", () => {
    const headers = new Headers({
      "x-mbx-used-weight-1m": "42",
      "X-MBX-ORDER-COUNT-10S": "3",
      "X-MBX-ORDER-COUNT-1D": "77",
      "X-MBX-USED-WEIGHT-5H": "not a number",
      "x-mbx-uuid": "abc",
      "content-type": "application/json",
    });
    // Headers iterate in sorted name order.
    expect(usageFromHeaders(headers)).toEqual([
      { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, count: 3 },
      { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, count: 77 },
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, count: 42 },
    ]);
  });

  it("keeps the order counts a later GET does not carry", () => {
    const first = restUsageFrom(usageFromHeaders(new Headers({ "X-MBX-USED-WEIGHT-1M": "11", "X-MBX-ORDER-COUNT-10S": "2" })), 5, {});
    const second = restUsageFrom(usageFromHeaders(new Headers({ "X-MBX-USED-WEIGHT-1M": "12" })), 6, first);
    expect(second).toEqual({ usedWeight1m: 12, orderCount10s: 2, orderCount1d: undefined, updatedAt: 6 });
    expect(restUsageFrom([], 7, second)).toBe(second);
  });
});

describe("refusedLimit", () => {
  it("names the limit and window of Binance's documented refusals", () => {
    expect(refusedLimit(429, -1015, "Too many new orders; current limit is 50 orders per 10 SECOND.")).toEqual({
      rateLimitType: "ORDERS",
      interval: "SECOND",
      intervalNum: 10,
    });
    expect(refusedLimit(429, -1015, "Too many new orders; current limit is 160000 orders per 1 DAY.")).toEqual({
      rateLimitType: "ORDERS",
      interval: "DAY",
      intervalNum: 1,
    });
    expect(
      refusedLimit(429, -1003, "Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."),
    ).toEqual({ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1 });
    expect(refusedLimit(429, -1003, "Too many requests; current limit is 300000 requests per 5 MINUTE.")).toEqual({
      rateLimitType: "RAW_REQUESTS",
      interval: "MINUTE",
      intervalNum: 5,
    });
    expect(refusedLimit(429, -1003, "Too many requests queued.")).toEqual({ rateLimitType: "REQUEST_WEIGHT" });
  });

  it("takes a 418 as a ban of the whole IP, and only an order-count refusal spares the IP's other requests", () => {
    const ban = refusedLimit(418, -1003, "Way too much request weight used; IP banned until 1659146400000. Please use WebSocket Streams for live updates to avoid bans.");
    expect(ban).toEqual({ rateLimitType: "REQUEST_WEIGHT" });
    expect(backoffScope(ban)).toBe("ip");
    expect(backoffScope({ rateLimitType: "RAW_REQUESTS" })).toBe("ip");
    expect(backoffScope({ rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1 })).toBe("orders");
  });
});
