import { describe, expect, it } from "vitest";

import type { MarketEvent, UserEvent } from "../../src/exchange/venue";
import { fixture, harness, typeOf } from "./helpers";

/** Same field names, and each field of the same JSON type, as the documented example. */
function expectShape(ours: unknown, documented: unknown, path = "$"): void {
  expect([path, typeOf(ours)]).toEqual([path, typeOf(documented)]);
  if (Array.isArray(documented) && Array.isArray(ours)) {
    if (documented.length > 0 && ours.length > 0) expectShape(ours[0], documented[0], `${path}[0]`);
    return;
  }
  if (typeOf(documented) !== "object") return;
  const doc = documented as Record<string, unknown>;
  const mine = ours as Record<string, unknown>;
  expect([path, Object.keys(mine).sort()]).toEqual([path, Object.keys(doc).sort()]);
  for (const key of Object.keys(doc)) expectShape(mine[key], doc[key], `${path}.${key}`);
}

function busyExchange() {
  const h = harness();
  const maker = h.account();
  const taker = h.account();
  const market = h.marketEvents("BTCUSDT");
  h.exchange.placeOrder(maker, { symbol: "BTCUSDT", side: "SELL", type: "LIMIT", timeInForce: "GTC", quantity: "0.02", price: "60000" });
  h.exchange.placeOrder(maker, { symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", quantity: "0.02", price: "59990" });
  const full = h.exchange.placeOrder(taker, { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.01" });
  h.clock.advance(150);
  h.exchange.tick();
  return { h, maker, taker, market, full };
}

describe("responses and payloads have Binance's documented shapes", () => {
  it("new order ACK / RESULT / FULL", () => {
    const { h, taker, full } = busyExchange();
    expectShape(full, fixture("rest_order_new_FULL.json"));
    const result = h.exchange.placeOrder(taker, {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.01",
      price: "59000",
      newOrderRespType: "RESULT",
    });
    expectShape(result, fixture("rest_order_new_RESULT.json"));
    const ack = h.exchange.placeOrder(taker, {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.01",
      price: "59000",
      newOrderRespType: "ACK",
    });
    expectShape(ack, fixture("rest_order_new_ACK.json"));
  });

  it("cancel, query and open orders", () => {
    const { h, maker } = busyExchange();
    const [open] = h.exchange.openOrders(maker, "BTCUSDT");
    expectShape(open, fixture("rest_order_query.json"));
    expectShape(h.exchange.queryOrder(maker, { symbol: "BTCUSDT", orderId: String(open?.orderId) }), fixture("rest_order_query.json"));
    expectShape(h.exchange.cancelOrder(maker, { symbol: "BTCUSDT", orderId: String(open?.orderId) }), fixture("rest_order_cancel.json"));
  });

  it("depth, bookTicker and recent trades", () => {
    const { h } = busyExchange();
    expectShape(h.exchange.depth("BTCUSDT"), fixture("rest_depth.json"));
    expectShape(h.exchange.bookTicker("BTCUSDT"), fixture("rest_bookTicker_single.json"));
    expectShape(h.exchange.recentTrades("BTCUSDT"), fixture("rest_trades.json"));
  });

  it("market stream payloads", () => {
    const { market } = busyExchange();
    const first = (stream: MarketEvent["stream"]) => market.find((e) => e.stream === stream)?.data;
    expectShape(first("trade"), fixture("stream_trade.json"));
    expectShape(first("aggTrade"), fixture("stream_aggTrade.json"));
    expectShape(first("bookTicker"), fixture("stream_bookTicker.json"));
    expectShape(first("depth@100ms"), fixture("stream_depthUpdate.json"));
  });

  it("user data payloads", () => {
    const { h, taker } = busyExchange();
    h.exchange.adjustBalance(taker, "USDT", "1");
    const first = (e: UserEvent["e"]) => h.userEvents(taker).find((x) => x.e === e);
    expectShape(first("outboundAccountPosition"), fixture<{ event: unknown }>("uds_outboundAccountPosition.json").event);
    expectShape(first("balanceUpdate"), fixture<{ event: unknown }>("uds_balanceUpdate.json").event);
  });
});
