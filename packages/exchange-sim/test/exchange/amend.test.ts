import { describe, expect, it } from "vitest";

import type { ExecutionReportEvent, NewOrderFull, NewOrderParams } from "../../src/exchange/venue";
import { caught, fixture, harness } from "./helpers";

const ask = (quantity: string, extra: Partial<NewOrderParams> = {}): NewOrderParams => ({
  symbol: "BTCUSDT",
  side: "SELL",
  type: "LIMIT_MAKER",
  quantity,
  price: "60000.00",
  ...extra,
});

const keysOf = (x: unknown) => Object.keys(x as object).sort();

describe("order amend keepPriority", () => {
  it("reduces the quantity in place: the order keeps its queue position, its id, and frees the reserve", () => {
    const h = harness();
    const a = h.account();
    const b = h.account();
    const taker = h.account();
    const first = h.exchange.placeOrder(a, ask("0.02000", { newClientOrderId: "a-1" }));
    const second = h.exchange.placeOrder(b, ask("0.02000"));
    const res = h.exchange.amendKeepPriority(a, {
      symbol: "BTCUSDT",
      orderId: String(first.orderId),
      newQty: "0.01000",
      newClientOrderId: "a-2",
    });
    const doc = fixture<{ amendedOrder: object }>("rest_amend_keepPriority.json");
    expect(keysOf(res)).toEqual(keysOf(doc));
    expect(keysOf(res.amendedOrder)).toEqual(keysOf(doc.amendedOrder));
    expect(res.amendedOrder).toMatchObject({
      orderId: first.orderId,
      origClientOrderId: "a-1",
      clientOrderId: "a-2",
      qty: "0.01000000",
      status: "NEW",
    });
    const balance = h.exchange.account(a).balances.find((x) => x.asset === "BTC");
    expect(balance).toEqual({ asset: "BTC", free: "9.99000000", locked: "0.01000000" });
    expect(h.exchange.depth("BTCUSDT").asks).toEqual([["60000.00000000", "0.03000000"]]);

    const report = h.userEvents(a).findLast((e): e is ExecutionReportEvent => e.e === "executionReport");
    expect(report).toMatchObject({ x: "REPLACED", X: "NEW", c: "a-2", C: "a-1", q: "0.01000000", i: first.orderId, I: res.executionId });

    const fill = h.exchange.placeOrder(taker, { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.01000" }) as NewOrderFull;
    expect(fill.fills).toHaveLength(1);
    expect(h.exchange.queryOrder(a, { symbol: "BTCUSDT", orderId: String(first.orderId) }).status).toBe("FILLED");
    expect(h.exchange.queryOrder(b, { symbol: "BTCUSDT", orderId: String(second.orderId) }).status).toBe("NEW");
  });

  const rejects: { name: string; newQty: string; orderId?: string; code: number; msg: string }[] = [
    { name: "an increase", newQty: "0.03", code: -2038, msg: "Order amend (quantity increase) is not supported." },
    { name: "no change", newQty: "0.02", code: -2038, msg: "The requested action would change no state; rejecting" },
    { name: "an unknown order", newQty: "0.01", orderId: "99", code: -2038, msg: "Unknown order sent." },
    { name: "a quantity off step", newQty: "0.010001", code: -1013, msg: "Filter failure: LOT_SIZE" },
    {
      name: "no quantity",
      newQty: "",
      code: -1102,
      msg: "Mandatory parameter 'newQty' was not sent, was empty/null, or malformed.",
    },
  ];

  it.each(rejects)("rejects $name", ({ newQty, orderId, code, msg }) => {
    const h = harness();
    const a = h.account();
    const placed = h.exchange.placeOrder(a, ask("0.02000"));
    const err = caught(() =>
      h.exchange.amendKeepPriority(a, { symbol: "BTCUSDT", orderId: orderId ?? String(placed.orderId), newQty }),
    );
    expect([err.code, err.msg]).toEqual([code, msg]);
    expect(h.exchange.openOrders(a)[0]?.origQty).toBe("0.02000000");
  });

  it("allows MAX_NUM_ORDER_AMENDS amends of one order", () => {
    const h = harness();
    const a = h.account();
    const placed = h.exchange.placeOrder(a, ask("1.00000"));
    for (let i = 1; i <= 10; i++) {
      h.exchange.amendKeepPriority(a, { symbol: "BTCUSDT", orderId: String(placed.orderId), newQty: (1 - i * 0.01).toFixed(2) });
    }
    const err = caught(() => h.exchange.amendKeepPriority(a, { symbol: "BTCUSDT", orderId: String(placed.orderId), newQty: "0.5" }));
    expect([err.code, err.msg]).toEqual([-1013, "Filter failure: MAX_NUM_ORDER_AMENDS"]);
  });

  it("amending down to the executed quantity expires the order", () => {
    const h = harness();
    const a = h.account();
    const taker = h.account();
    const placed = h.exchange.placeOrder(a, ask("0.02000"));
    h.exchange.placeOrder(taker, { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.01500" });
    const res = h.exchange.amendKeepPriority(a, { symbol: "BTCUSDT", orderId: String(placed.orderId), newQty: "0.01000" });
    expect(res.amendedOrder).toMatchObject({ status: "EXPIRED", qty: "0.01500000", executedQty: "0.01500000" });
    expect(h.exchange.openOrders(a)).toEqual([]);
    expect(h.exchange.depth("BTCUSDT").asks).toEqual([]);
    expect(h.exchange.account(a).balances.find((x) => x.asset === "BTC")?.locked).toBe("0.00000000");
  });
});
