import { describe, expect, it } from "vitest";

import { SimulatedExchange } from "../../src/exchange/simulated-exchange";
import type { NewOrderParams } from "../../src/exchange/venue";
import { EmptyMarket } from "../../src/market/empty";
import { caught, fixture, harness, ManualClock } from "./helpers";

const limit = (side: "BUY" | "SELL", price: string, quantity = "0.01000", extra: Partial<NewOrderParams> = {}): NewOrderParams => ({
  symbol: "BTCUSDT",
  side,
  type: "LIMIT",
  timeInForce: "GTC",
  quantity,
  price,
  ...extra,
});

const keysOf = (x: unknown) => Object.keys(x as object).sort();

describe("queries", () => {
  it("queryOrder by id or client id, with Binance's shape; a mismatching pair gives -2039", () => {
    const h = harness();
    const a = h.account();
    const placed = h.exchange.placeOrder(a, limit("BUY", "59000.00", "0.01000", { newClientOrderId: "q-1", newOrderRespType: "RESULT" }));
    expect(keysOf(placed)).toEqual(keysOf(fixture("rest_order_new_RESULT.json")));
    const byId = h.exchange.queryOrder(a, { symbol: "BTCUSDT", orderId: String(placed.orderId) });
    expect(keysOf(byId)).toEqual(keysOf(fixture("rest_order_query.json")));
    expect(byId).toMatchObject({ clientOrderId: "q-1", status: "NEW", orderListId: -1, workingTime: h.clock.now() });
    expect(h.exchange.queryOrder(a, { symbol: "BTCUSDT", origClientOrderId: "q-1" })).toEqual(byId);
    const err = caught(() => h.exchange.queryOrder(a, { symbol: "BTCUSDT", orderId: String(placed.orderId), origClientOrderId: "x" }));
    expect([err.code, err.msg]).toEqual([-2039, "Client order ID is not correct for this order ID."]);
  });

  it("openOrders for one symbol or all, oldest first", () => {
    const h = harness();
    const a = h.account();
    h.exchange.placeOrder(a, limit("BUY", "59000.00"));
    h.clock.advance(1);
    h.exchange.placeOrder(a, { ...limit("SELL", "3500.00", "0.1000"), symbol: "ETHUSDT" });
    h.clock.advance(1);
    h.exchange.placeOrder(a, limit("SELL", "61000.00"));
    expect(h.exchange.openOrders(a).map((o) => [o.symbol, o.side])).toEqual([
      ["BTCUSDT", "BUY"],
      ["ETHUSDT", "SELL"],
      ["BTCUSDT", "SELL"],
    ]);
    expect(h.exchange.openOrders(a, "BTCUSDT")).toHaveLength(2);
    const canceled = h.exchange.cancelAllOpenOrders(a, "BTCUSDT");
    expect(canceled.map((c) => c.status)).toEqual(["CANCELED", "CANCELED"]);
    expect(h.exchange.openOrders(a).map((o) => o.symbol)).toEqual(["ETHUSDT"]);
  });

  it("myTrades filters by orderId, fromId, time and limit", () => {
    const h = harness();
    const maker = h.account();
    const taker = h.account();
    for (let i = 0; i < 5; i++) {
      h.exchange.placeOrder(maker, limit("SELL", "60000.00"));
      h.clock.advance(10);
    }
    const buy = h.exchange.placeOrder(taker, { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.03000" });
    h.clock.advance(10);
    h.exchange.placeOrder(taker, { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.02000" });
    const all = h.exchange.myTrades(taker, { symbol: "BTCUSDT" });
    expect(all.map((t) => t.id)).toEqual([1, 2, 3, 4, 5]);
    expect(h.exchange.myTrades(taker, { symbol: "BTCUSDT", orderId: String(buy.orderId) })).toHaveLength(3);
    expect(h.exchange.myTrades(taker, { symbol: "BTCUSDT", fromId: "4" }).map((t) => t.id)).toEqual([4, 5]);
    expect(h.exchange.myTrades(taker, { symbol: "BTCUSDT", limit: "2" }).map((t) => t.id)).toEqual([4, 5]);
    expect(h.exchange.myTrades(taker, { symbol: "BTCUSDT", startTime: String(h.clock.now()) }).map((t) => t.id)).toEqual([4, 5]);
    const combo = caught(() => h.exchange.myTrades(taker, { symbol: "BTCUSDT", fromId: "1", startTime: "1" }));
    expect([combo.code, combo.msg]).toEqual([-1128, "Combination of optional parameters invalid."]);
    const span = caught(() => h.exchange.myTrades(taker, { symbol: "BTCUSDT", startTime: "0", endTime: String(h.clock.now()) }));
    expect([span.code, span.msg]).toEqual([-1127, "More than 24 hours between startTime and endTime."]);
    expect(h.exchange.recentTrades("BTCUSDT", "2").map((t) => [t.id, t.isBuyerMaker])).toEqual([
      [4, false],
      [5, false],
    ]);
  });

  it("exchangeInfo selects symbols and filters by status", () => {
    const h = harness();
    expect(h.exchange.exchangeInfo().symbols.map((s) => s.symbol)).toEqual(["BTCUSDT", "ETHUSDT", "BNBUSDT"]);
    expect(h.exchange.exchangeInfo({ symbols: ["ETHUSDT"] }).symbols.map((s) => s.symbol)).toEqual(["ETHUSDT"]);
    h.exchange.setSymbolStatus("BNBUSDT", "BREAK");
    expect(h.exchange.exchangeInfo({ symbolStatus: "BREAK" }).symbols.map((s) => s.symbol)).toEqual(["BNBUSDT"]);
    const err = caught(() => h.exchange.exchangeInfo({ symbol: "BTCUSDT", symbolStatus: "BREAK" }));
    expect([err.code, err.msg]).toEqual([-1220, "The symbol's status does not match the requested symbolStatus."]);
    expect(caught(() => h.exchange.exchangeInfo({ symbols: ["NOPE"] })).code).toBe(-1121);
  });
});

describe("lifecycle limits", () => {
  it("forgets the oldest closed orders beyond the retention, keeps open ones", () => {
    const clock = new ManualClock();
    const exchange = new SimulatedExchange({
      clock,
      retainClosedOrders: 3,
      markets: { BTCUSDT: new EmptyMarket("BTCUSDT"), ETHUSDT: new EmptyMarket("ETHUSDT"), BNBUSDT: new EmptyMarket("BNBUSDT") },
    });
    const { accountId } = exchange.createAccount({ apiKey: "k", secret: "s", balances: { USDT: "100000" } });
    const open = exchange.placeOrder(accountId, limit("BUY", "50000.00"));
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const o = exchange.placeOrder(accountId, limit("BUY", "59000.00", "0.01000", { newClientOrderId: `c-${i}` }));
      exchange.cancelOrder(accountId, { symbol: "BTCUSDT", orderId: String(o.orderId) });
      ids.push(o.orderId);
    }
    const query = (id: number) => exchange.queryOrder(accountId, { symbol: "BTCUSDT", orderId: String(id) });
    expect(caught(() => query(ids[0] as number)).code).toBe(-2013);
    expect(caught(() => exchange.queryOrder(accountId, { symbol: "BTCUSDT", origClientOrderId: "c-0" })).code).toBe(-2013);
    expect(query(ids[5] as number).status).toBe("CANCELED");
    expect(query(open.orderId).status).toBe("NEW");
  });

  it("a throwing listener neither fails the action nor starves other listeners", () => {
    const errors: unknown[] = [];
    const clock = new ManualClock();
    const exchange = new SimulatedExchange({
      clock,
      onListenerError: (e) => errors.push(e),
      markets: { BTCUSDT: new EmptyMarket("BTCUSDT"), ETHUSDT: new EmptyMarket("ETHUSDT"), BNBUSDT: new EmptyMarket("BNBUSDT") },
    });
    const { accountId } = exchange.createAccount({ apiKey: "k", secret: "s", balances: { USDT: "100000" } });
    const seen: string[] = [];
    exchange.onUserEvent(accountId, () => {
      throw new Error("listener bug");
    });
    exchange.onUserEvent(accountId, (e) => seen.push(e.e));
    expect(exchange.placeOrder(accountId, limit("BUY", "59000.00"))).toMatchObject({ status: "NEW" });
    expect(seen).toEqual(["executionReport", "outboundAccountPosition"]);
    expect(errors).toHaveLength(2);
  });

  it("a debit beyond the free balance is refused", () => {
    const h = harness();
    const a = h.account({ USDT: "10" });
    expect(caught(() => h.exchange.adjustBalance(a, "USDT", "-11")).code).toBe(-2010);
    h.exchange.adjustBalance(a, "USDT", "-10");
    expect(h.exchange.account(a, true).balances).toEqual([]);
  });
});
