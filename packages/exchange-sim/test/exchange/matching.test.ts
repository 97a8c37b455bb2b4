import { describe, expect, it } from "vitest";

import type { ExecutionReportEvent, NewOrderFull, NewOrderParams } from "../../src/exchange/venue";
import { harness } from "./helpers";

const sell = (price: string, quantity: string, extra: Partial<NewOrderParams> = {}): NewOrderParams => ({
  symbol: "BTCUSDT",
  side: "SELL",
  type: "LIMIT",
  timeInForce: "GTC",
  quantity,
  price,
  ...extra,
});
const buy = (price: string, quantity: string, extra: Partial<NewOrderParams> = {}): NewOrderParams => ({
  ...sell(price, quantity, extra),
  side: "BUY",
});

function balance(h: ReturnType<typeof harness>, account: string, asset: string) {
  return h.exchange.account(account).balances.find((b) => b.asset === asset);
}

describe("matching", () => {
  it("fills in price-time priority: better price first, then earlier order at the same price", () => {
    const h = harness();
    const [a, b, c, taker] = [h.account(), h.account(), h.account(), h.account()];
    const oa = h.exchange.placeOrder(a, sell("60001.00", "0.01000"));
    const ob = h.exchange.placeOrder(b, sell("60000.00", "0.01000"));
    const oc = h.exchange.placeOrder(c, sell("60000.00", "0.01000"));
    const full = h.exchange.placeOrder(taker, { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.02500" }) as NewOrderFull;
    expect(full.status).toBe("FILLED");
    expect(full.fills.map((f) => [f.price, f.qty])).toEqual([
      ["60000.00000000", "0.01000000"],
      ["60000.00000000", "0.01000000"],
      ["60001.00000000", "0.00500000"],
    ]);
    expect(full.fills.map((f) => f.tradeId)).toEqual([1, 2, 3]);
    expect(full.cummulativeQuoteQty).toBe("1500.00500000");
    const status = (acc: string, orderId: number) =>
      h.exchange.queryOrder(acc, { symbol: "BTCUSDT", orderId: String(orderId) }).status;
    expect([status(b, ob.orderId), status(c, oc.orderId), status(a, oa.orderId)]).toEqual([
      "FILLED",
      "FILLED",
      "PARTIALLY_FILLED",
    ]);
    expect(h.exchange.depth("BTCUSDT", "5").asks).toEqual([["60001.00000000", "0.00500000"]]);
  });

  it("rests the unfilled part of a crossing GTC limit order and reports it PARTIALLY_FILLED", () => {
    const h = harness();
    const maker = h.account();
    const taker = h.account();
    h.exchange.placeOrder(maker, sell("60000.00", "0.01000"));
    const res = h.exchange.placeOrder(taker, buy("60000.00", "0.03000")) as NewOrderFull;
    expect(res).toMatchObject({ status: "PARTIALLY_FILLED", executedQty: "0.01000000", origQty: "0.03000000" });
    expect(res.fills).toHaveLength(1);
    expect(h.exchange.depth("BTCUSDT").bids).toEqual([["60000.00000000", "0.02000000"]]);
    expect(h.exchange.depth("BTCUSDT").asks).toEqual([]);
    expect(h.exchange.openOrders(taker, "BTCUSDT")[0]).toMatchObject({ status: "PARTIALLY_FILLED", executedQty: "0.01000000" });
  });

  it("expires the rest of an IOC order, and a FOK order that cannot fill completely without trading", () => {
    const h = harness();
    const maker = h.account();
    const taker = h.account();
    h.exchange.placeOrder(maker, sell("60000.00", "0.01000"));
    const fok = h.exchange.placeOrder(taker, buy("60000.00", "0.02000", { timeInForce: "FOK" })) as NewOrderFull;
    expect(fok).toMatchObject({ status: "EXPIRED", executedQty: "0.00000000", fills: [] });
    expect(h.exchange.depth("BTCUSDT").asks).toEqual([["60000.00000000", "0.01000000"]]);
    const ioc = h.exchange.placeOrder(taker, buy("60000.00", "0.02000", { timeInForce: "IOC" })) as NewOrderFull;
    expect(ioc).toMatchObject({ status: "EXPIRED", executedQty: "0.01000000" });
    expect(h.exchange.openOrders(taker)).toEqual([]);
    expect(balance(h, taker, "USDT")?.locked).toBe("0.00000000");
  });

  it("a MARKET order with nothing to take expires", () => {
    const h = harness();
    const taker = h.account();
    const res = h.exchange.placeOrder(taker, { symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: "0.01" });
    expect(res).toMatchObject({ status: "EXPIRED", executedQty: "0.00000000" });
    expect(balance(h, taker, "BTC")).toEqual({ asset: "BTC", free: "10.00000000", locked: "0.00000000" });
  });

  it("a quoteOrderQty MARKET buy spends the quote in whole lot steps", () => {
    const h = harness();
    const maker = h.account();
    const taker = h.account();
    h.exchange.placeOrder(maker, sell("60000.00", "0.01000"));
    h.exchange.placeOrder(maker, sell("60010.00", "0.01000"));
    const res = h.exchange.placeOrder(taker, {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quoteOrderQty: "1000",
    }) as NewOrderFull;
    expect(res).toMatchObject({
      status: "FILLED",
      origQty: "0.01666000",
      executedQty: "0.01666000",
      origQuoteOrderQty: "1000.00000000",
      cummulativeQuoteQty: "999.66660000",
    });
  });
});

describe("balances and commissions", () => {
  it("locks on place, settles maker and taker commission in the received asset, unlocks on cancel", () => {
    const h = harness();
    const maker = h.account({ USDT: "0", BTC: "1" }, { maker: "0.001", taker: "0.002" });
    const taker = h.account({ USDT: "10000", BTC: "0" }, { maker: "0.001", taker: "0.002" });
    h.exchange.placeOrder(maker, sell("60000.00", "0.10000"));
    expect(balance(h, maker, "BTC")).toEqual({ asset: "BTC", free: "0.90000000", locked: "0.10000000" });

    // A limit buy above the ask reserves at its own price and gets the difference back on the better fill.
    const res = h.exchange.placeOrder(taker, buy("60010.00", "0.05000")) as NewOrderFull;
    expect(res.fills).toEqual([
      { price: "60000.00000000", qty: "0.05000000", commission: "0.00010000", commissionAsset: "BTC", tradeId: 1 },
    ]);
    expect(balance(h, taker, "USDT")).toEqual({ asset: "USDT", free: "7000.00000000", locked: "0.00000000" });
    expect(balance(h, taker, "BTC")).toEqual({ asset: "BTC", free: "0.04990000", locked: "0.00000000" });
    expect(balance(h, maker, "USDT")).toEqual({ asset: "USDT", free: "2997.00000000", locked: "0.00000000" });
    expect(balance(h, maker, "BTC")).toEqual({ asset: "BTC", free: "0.90000000", locked: "0.05000000" });

    const makerTrades = h.exchange.myTrades(maker, { symbol: "BTCUSDT" });
    expect(makerTrades).toEqual([
      {
        symbol: "BTCUSDT",
        id: 1,
        orderId: 1,
        orderListId: -1,
        price: "60000.00000000",
        qty: "0.05000000",
        quoteQty: "3000.00000000",
        commission: "3.00000000",
        commissionAsset: "USDT",
        time: h.clock.now(),
        isBuyer: false,
        isMaker: true,
        isBestMatch: true,
      },
    ]);

    h.exchange.cancelAllOpenOrders(maker, "BTCUSDT");
    expect(balance(h, maker, "BTC")).toEqual({ asset: "BTC", free: "0.95000000", locked: "0.00000000" });
    expect(h.exchange.account(maker)).toMatchObject({ makerCommission: 10, takerCommission: 20, accountType: "SPOT" });
  });

  it("the account response has Binance's fields and types", async () => {
    const { fixture, typeOf } = await import("./helpers");
    const doc = fixture<Record<string, unknown>>("rest_account.json");
    const h = harness();
    const ours = h.exchange.account(h.account()) as unknown as Record<string, unknown>;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(doc).sort());
    for (const key of Object.keys(doc)) expect([key, typeOf(ours[key])]).toEqual([key, typeOf(doc[key])]);
  });
});

describe("ids", () => {
  it("orderId, tradeId and execution id I only increase", () => {
    const h = harness();
    const a = h.account();
    const b = h.account();
    const orderIds: number[] = [];
    for (let i = 0; i < 20; i++) {
      orderIds.push(h.exchange.placeOrder(a, sell((60000 + (i % 3)).toFixed(2), "0.00100")).orderId);
      orderIds.push(h.exchange.placeOrder(b, buy("60002.00", "0.00050")).orderId);
      h.clock.advance(1);
    }
    const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > (xs[i - 1] as number));
    expect(increasing(orderIds)).toBe(true);
    const reports = h.userEvents(b).filter((e): e is ExecutionReportEvent => e.e === "executionReport");
    expect(increasing(reports.map((r) => r.I))).toBe(true);
    const tradeIds = reports.filter((r) => r.x === "TRADE").map((r) => r.t);
    expect(tradeIds.length).toBeGreaterThan(10);
    expect(increasing(tradeIds)).toBe(true);
  });
});
