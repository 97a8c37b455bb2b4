import { describe, expect, it } from "vitest";

import { defaultSymbols } from "../../src/exchange/instruments";
import type { NewOrderParams, SymbolInfo } from "../../src/exchange/venue";
import { caught, harness } from "./helpers";

const limitBuy: NewOrderParams = {
  symbol: "BTCUSDT",
  side: "BUY",
  type: "LIMIT",
  timeInForce: "GTC",
  quantity: "0.01000",
  price: "60000.00",
};

const rejects: { name: string; params: NewOrderParams; code: number; msg: string }[] = [
  {
    name: "missing symbol",
    params: { ...limitBuy, symbol: undefined },
    code: -1102,
    msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
  },
  { name: "unknown symbol", params: { ...limitBuy, symbol: "FOOBAR" }, code: -1121, msg: "Invalid symbol." },
  { name: "bad side", params: { ...limitBuy, side: "HOLD" }, code: -1117, msg: "Invalid side." },
  { name: "bad type", params: { ...limitBuy, type: "STOP" }, code: -1116, msg: "Invalid orderType." },
  {
    name: "LIMIT without timeInForce",
    params: { ...limitBuy, timeInForce: undefined },
    code: -1102,
    msg: "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.",
  },
  {
    name: "LIMIT without price",
    params: { ...limitBuy, price: "" },
    code: -1102,
    msg: "Mandatory parameter 'price' was not sent, was empty/null, or malformed.",
  },
  { name: "bad timeInForce", params: { ...limitBuy, timeInForce: "GTX" }, code: -1115, msg: "Invalid timeInForce." },
  {
    name: "LIMIT_MAKER with timeInForce",
    params: { ...limitBuy, type: "LIMIT_MAKER" },
    code: -1106,
    msg: "Parameter 'timeInForce' sent when not required.",
  },
  {
    name: "MARKET without quantity",
    params: { symbol: "BTCUSDT", side: "BUY", type: "MARKET" },
    code: -1102,
    msg: "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
  },
  {
    name: "MARKET with price",
    params: { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.01", price: "60000" },
    code: -1106,
    msg: "Parameter 'price' sent when not required.",
  },
  {
    name: "malformed price",
    params: { ...limitBuy, price: "6e4" },
    code: -1100,
    msg: "Illegal characters found in parameter 'price'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.",
  },
  {
    name: "price finer than the quote precision",
    params: { ...limitBuy, price: "60000.123456789" },
    code: -1111,
    msg: "Parameter 'price' has too much precision.",
  },
  {
    name: "quantity finer than the base precision",
    params: { ...limitBuy, quantity: "0.000000001" },
    code: -1111,
    msg: "Parameter 'quantity' has too much precision.",
  },
  { name: "price off tick", params: { ...limitBuy, price: "60000.005" }, code: -1013, msg: "Filter failure: PRICE_FILTER" },
  { name: "quantity off step", params: { ...limitBuy, quantity: "0.010005" }, code: -1013, msg: "Filter failure: LOT_SIZE" },
  { name: "quantity zero", params: { ...limitBuy, quantity: "0" }, code: -1013, msg: "Filter failure: LOT_SIZE" },
  {
    name: "notional below the minimum",
    params: { ...limitBuy, quantity: "0.00001" },
    code: -1013,
    msg: "Filter failure: NOTIONAL",
  },
  {
    name: "market quantity above MARKET_LOT_SIZE",
    params: { symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: "500" },
    code: -1013,
    msg: "Filter failure: MARKET_LOT_SIZE",
  },
  {
    name: "insufficient quote balance",
    params: { ...limitBuy, quantity: "20" },
    code: -2010,
    msg: "Account has insufficient balance for requested action.",
  },
  {
    name: "insufficient base balance",
    params: { ...limitBuy, side: "SELL", quantity: "11" },
    code: -2010,
    msg: "Account has insufficient balance for requested action.",
  },
  {
    name: "bad client order id",
    params: { ...limitBuy, newClientOrderId: "has space" },
    code: -1100,
    msg: "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.",
  },
];

describe("new order validation", () => {
  it.each(rejects)("$name -> $code", ({ params, code, msg }) => {
    const h = harness();
    const account = h.account({ USDT: "100000", BTC: "10" });
    const err = caught(() => h.exchange.placeOrder(account, params));
    expect({ code: err.code, msg: err.msg, httpStatus: err.httpStatus }).toEqual({ code, msg, httpStatus: 400 });
    expect(h.exchange.openOrders(account)).toEqual([]);
    expect(h.exchange.account(account).balances).toContainEqual({ asset: "USDT", free: "100000.00000000", locked: "0.00000000" });
  });

  it("rejects a duplicate open clientOrderId and accepts it again once the first is canceled", () => {
    const h = harness();
    const account = h.account();
    h.exchange.placeOrder(account, { ...limitBuy, newClientOrderId: "quote-1" });
    const err = caught(() => h.exchange.placeOrder(account, { ...limitBuy, newClientOrderId: "quote-1" }));
    expect([err.code, err.msg]).toEqual([-2010, "Duplicate order sent."]);
    h.exchange.cancelOrder(account, { symbol: "BTCUSDT", origClientOrderId: "quote-1" });
    expect(h.exchange.placeOrder(account, { ...limitBuy, newClientOrderId: "quote-1" })).toMatchObject({
      clientOrderId: "quote-1",
    });
  });

  it("rejects a LIMIT_MAKER that would cross the opposite best, and accepts one that would not", () => {
    const h = harness();
    const maker = h.account();
    const mm = h.account();
    h.exchange.placeOrder(maker, { ...limitBuy, side: "SELL", price: "60000.00" });
    const cross = caught(() =>
      h.exchange.placeOrder(mm, { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", quantity: "0.01", price: "60000.00" }),
    );
    expect([cross.code, cross.msg, cross.httpStatus]).toEqual([-2010, "Order would immediately match and take.", 400]);
    const ack = h.exchange.placeOrder(mm, {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT_MAKER",
      quantity: "0.01",
      price: "59999.99",
    });
    expect(Object.keys(ack).sort()).toEqual(["clientOrderId", "orderId", "orderListId", "symbol", "transactTime"]);
  });

  it("checks PERCENT_PRICE_BY_SIDE against the average price", () => {
    const h = harness();
    const a = h.account();
    h.exchange.placeOrder(a, { ...limitBuy, side: "SELL", price: "60000.00" });
    h.exchange.placeOrder(a, { ...limitBuy, price: "59999.00" });
    const err = caught(() => h.exchange.placeOrder(a, { ...limitBuy, price: "11000.00" }));
    expect([err.code, err.msg]).toEqual([-1013, "Filter failure: PERCENT_PRICE_BY_SIDE"]);
    expect(h.exchange.placeOrder(a, { ...limitBuy, price: "12000.00" })).toMatchObject({ status: "NEW" });
  });

  it("enforces MAX_NUM_ORDERS per symbol", () => {
    const symbols: SymbolInfo[] = defaultSymbols().map((s) => ({
      ...s,
      filters: s.filters.map((f) => (f.filterType === "MAX_NUM_ORDERS" ? { ...f, maxNumOrders: 2 } : f)),
    }));
    const h = harness({ symbols });
    const a = h.account();
    h.exchange.placeOrder(a, limitBuy);
    h.exchange.placeOrder(a, limitBuy);
    const err = caught(() => h.exchange.placeOrder(a, limitBuy));
    expect([err.code, err.msg]).toEqual([-1013, "Filter failure: MAX_NUM_ORDERS"]);
    expect(h.exchange.placeOrder(a, { ...limitBuy, symbol: "ETHUSDT", price: "3000.00", quantity: "0.1000" })).toMatchObject({
      status: "NEW",
    });
  });

  it("enforces EXCHANGE_MAX_NUM_ORDERS across symbols when configured", () => {
    const h = harness({ exchangeFilters: [{ filterType: "EXCHANGE_MAX_NUM_ORDERS", maxNumOrders: 2 }] });
    const a = h.account();
    h.exchange.placeOrder(a, limitBuy);
    h.exchange.placeOrder(a, { ...limitBuy, symbol: "ETHUSDT", price: "3000.00", quantity: "0.1000" });
    const err = caught(() => h.exchange.placeOrder(a, limitBuy));
    expect([err.code, err.msg]).toEqual([-1013, "Filter failure: EXCHANGE_MAX_NUM_ORDERS"]);
    expect(h.exchange.exchangeInfo().exchangeFilters).toEqual([{ filterType: "EXCHANGE_MAX_NUM_ORDERS", maxNumOrders: 2 }]);
  });

  it("rejects new orders while the symbol is not TRADING but still lets orders be canceled", () => {
    const h = harness();
    const a = h.account();
    const resting = h.exchange.placeOrder(a, limitBuy);
    h.exchange.setSymbolStatus("BTCUSDT", "HALT");
    const err = caught(() => h.exchange.placeOrder(a, limitBuy));
    expect([err.code, err.msg]).toEqual([-2010, "Market is closed."]);
    expect(h.exchange.exchangeInfo({ symbol: "BTCUSDT" }).symbols[0]?.status).toBe("HALT");
    expect(h.exchange.cancelOrder(a, { symbol: "BTCUSDT", orderId: String(resting.orderId) }).status).toBe("CANCELED");
    h.exchange.setSymbolStatus("BTCUSDT", "TRADING");
    expect(h.exchange.placeOrder(a, limitBuy)).toMatchObject({ status: "NEW" });
  });
});

describe("cancel and query errors", () => {
  const cases: { name: string; run: (h: ReturnType<typeof harness>, a: string) => unknown; code: number; msg: string }[] = [
    {
      name: "cancel of an unknown orderId",
      run: (h, a) => h.exchange.cancelOrder(a, { symbol: "BTCUSDT", orderId: "999" }),
      code: -2011,
      msg: "Unknown order sent.",
    },
    {
      name: "cancel of an unknown client id",
      run: (h, a) => h.exchange.cancelOrder(a, { symbol: "BTCUSDT", origClientOrderId: "nope" }),
      code: -2011,
      msg: "Unknown order sent.",
    },
    {
      name: "cancel without any id",
      run: (h, a) => h.exchange.cancelOrder(a, { symbol: "BTCUSDT" }),
      code: -1102,
      msg: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
    },
    {
      name: "cancel on an unknown symbol",
      run: (h, a) => h.exchange.cancelOrder(a, { symbol: "XYZ", orderId: "1" }),
      code: -1121,
      msg: "Invalid symbol.",
    },
    {
      name: "query of an unknown order",
      run: (h, a) => h.exchange.queryOrder(a, { symbol: "BTCUSDT", orderId: "42" }),
      code: -2013,
      msg: "Order does not exist.",
    },
    {
      name: "cancel of all open orders when there are none",
      run: (h, a) => h.exchange.cancelAllOpenOrders(a, "BTCUSDT"),
      code: -2011,
      msg: "Unknown order sent.",
    },
    {
      name: "invalid cancelRestrictions",
      run: (h, a) => h.exchange.cancelOrder(a, { symbol: "BTCUSDT", orderId: "1", cancelRestrictions: "ANY" }),
      code: -1145,
      msg: "`cancelRestrictions` has to be either `ONLY_NEW` or `ONLY_PARTIALLY_FILLED`.",
    },
  ];

  it.each(cases)("$name -> $code", ({ run, code, msg }) => {
    const h = harness();
    const a = h.account();
    const err = caught(() => run(h, a));
    expect([err.code, err.msg]).toEqual([code, msg]);
  });

  it("another account's order is unknown to this one", () => {
    const h = harness();
    const owner = h.account();
    const other = h.account();
    const placed = h.exchange.placeOrder(owner, limitBuy);
    const err = caught(() => h.exchange.cancelOrder(other, { symbol: "BTCUSDT", orderId: String(placed.orderId) }));
    expect(err.code).toBe(-2011);
    expect(caught(() => h.exchange.queryOrder(other, { symbol: "BTCUSDT", orderId: String(placed.orderId) })).code).toBe(-2013);
  });

  it("a cancel restricted to ONLY_PARTIALLY_FILLED leaves a NEW order in place", () => {
    const h = harness();
    const a = h.account();
    const placed = h.exchange.placeOrder(a, limitBuy);
    const err = caught(() =>
      h.exchange.cancelOrder(a, { symbol: "BTCUSDT", orderId: String(placed.orderId), cancelRestrictions: "ONLY_PARTIALLY_FILLED" }),
    );
    expect([err.code, err.msg]).toEqual([-2011, "Order was not canceled due to cancel restrictions."]);
    expect(h.exchange.openOrders(a, "BTCUSDT")).toHaveLength(1);
  });
});
