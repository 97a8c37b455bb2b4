import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { BinancePayloadError } from "../src/errors";
import { findFilter } from "../src/filters";
import {
  parseAccount,
  parseBookTicker,
  parseCancelAllResponse,
  parseCanceledOrder,
  parseCancelReplace,
  parseDepthSnapshot,
  parseExchangeInfo,
  parseFilter,
  parseNewOrderResponse,
  parseQueriedOrder,
  parseQueriedOrders,
  parseRateLimits,
  parseUserDataEvent,
} from "../src/parse";
import { parseMarketEvent } from "../src/streams/market-stream";
import type { FilterOf, SymbolFilter } from "../src/types";
import { payload } from "./helpers";

type Obj = Record<string, unknown>;
const obj = (name: string): Obj => payload(name) as Obj;

describe("exchangeInfo", () => {
  it("parses every documented filter into its typed form", () => {
    const all = obj("filters_all_examples.json");
    const parsed = Object.values(all).map((f, i) => parseFilter(f, `filters[${i}]`));
    expect(parsed.map((f) => f.filterType)).toEqual(Object.keys(all));
    expect(parsed.some((f) => f.filterType === "UNRECOGNISED")).toBe(false);
    const price = findFilter(parsed, "PRICE_FILTER");
    expect(price?.tickSize.equals("0.000001")).toBe(true);
    const notional = parsed.find((f): f is FilterOf<"NOTIONAL"> => f.filterType === "NOTIONAL");
    expect(notional).toMatchObject({ applyMinToMarket: false, avgPriceMins: 5 });
    expect(notional?.maxNotional.toFixed()).toBe("10000");
    const byside = parsed.find((f): f is FilterOf<"PERCENT_PRICE_BY_SIDE"> => f.filterType === "PERCENT_PRICE_BY_SIDE");
    expect(byside?.askMultiplierDown.toFixed()).toBe("0.8");
    const asset = parsed.find((f): f is FilterOf<"MAX_ASSET"> => f.filterType === "MAX_ASSET");
    expect(asset?.asset).toBe("USDC");
  });

  it("keeps an unknown filter type instead of dropping it", () => {
    const f = parseFilter({ filterType: "SOMETHING_NEW", x: 1 }, "f");
    expect(f).toEqual({ filterType: "UNRECOGNISED", rawFilterType: "SOMETHING_NEW", raw: { filterType: "SOMETHING_NEW", x: 1 } });
  });

  it("parses the assembled docs example", () => {
    const info = parseExchangeInfo(payload("rest_exchangeInfo.assembled_from_docs.json"));
    expect(info.rateLimits).toHaveLength(4);
    expect(info.exchangeFilters.map((f) => f.filterType)).toEqual(["EXCHANGE_MAX_NUM_ORDERS", "EXCHANGE_MAX_NUM_ALGO_ORDERS"]);
    const ethbtc = info.symbols[0];
    expect(ethbtc?.symbol).toBe("ETHBTC");
    expect(ethbtc?.filters).toHaveLength(11);
    expect(ethbtc?.permissionSets).toEqual([["SPOT", "MARGIN"]]);
    expect(ethbtc?.orderTypes).toContain("LIMIT_MAKER");
  });

  it("parses a real BTCUSDT exchangeInfo", () => {
    const info = parseExchangeInfo(payload("basana_binance_btc_usdt_exchange_info_2022-12-11.json"));
    const btc = info.symbols.find((s) => s.symbol === "BTCUSDT");
    const lot = btc?.filters.find((f): f is FilterOf<"LOT_SIZE"> => f.filterType === "LOT_SIZE");
    expect(lot?.stepSize.toFixed()).toBe("0.00001");
    expect(btc?.filters.every((f: SymbolFilter) => f.filterType !== "UNRECOGNISED")).toBe(true);
  });
});

describe("market data", () => {
  it("parses depth and keeps the decimal strings exactly", () => {
    const d = parseDepthSnapshot(payload("rest_depth.json"));
    expect(d.lastUpdateId).toBe(1027024);
    expect(d.bids[0]?.price.toFixed(8)).toBe("4.00000000");
    expect(d.asks[0]?.price.equals("4.000002")).toBe(true);
  });

  it("parses single and multi bookTicker", () => {
    const single = parseBookTicker(payload("rest_bookTicker_single.json"));
    expect(single.symbol).toBe("LTCBTC");
    const multi = payload("rest_bookTicker_multi.json") as unknown[];
    expect(multi.map((t) => parseBookTicker(t).symbol)).toHaveLength(multi.length);
  });

  it("parses stream events by stream name", () => {
    const trade = parseMarketEvent("bnbbtc@trade", obj("stream_trade.json"));
    expect(trade).toMatchObject({ eventType: "trade", tradeId: 12345, isBuyerMaker: true, tradeTime: 1672515782136 });
    const ticker = parseMarketEvent("bnbusdt@bookTicker", obj("stream_bookTicker.json"));
    expect(ticker).toMatchObject({ eventType: "bookTicker", updateId: 400900217, symbol: "BNBUSDT" });
    const depth = parseMarketEvent("bnbbtc@depth@100ms", obj("stream_depthUpdate.json"));
    expect(depth).toMatchObject({ eventType: "depthUpdate", firstUpdateId: 157, finalUpdateId: 160 });
    const shutdown = obj("stream_serverShutdown_combined.json");
    expect(parseMarketEvent("!serverShutdown", shutdown.data as Obj)).toBe("serverShutdown");
  });

  it("rejects a decimal sent as a JSON number", () => {
    expect(() => parseBookTicker({ symbol: "X", bidPrice: 1.1, bidQty: "1", askPrice: "2", askQty: "1" })).toThrow(
      BinancePayloadError,
    );
  });
});

describe("orders", () => {
  it("tells ACK, RESULT and FULL apart", () => {
    const ack = parseNewOrderResponse(payload("rest_order_new_ACK.json"));
    const result = parseNewOrderResponse(payload("rest_order_new_RESULT.json"));
    const full = parseNewOrderResponse(payload("rest_order_new_FULL.json"));
    expect(ack.kind).toBe("ACK");
    expect(result.kind).toBe("RESULT");
    expect(full.kind).toBe("FULL");
    if (full.kind !== "FULL") throw new Error("unreachable");
    expect(full.fills).toHaveLength(5);
    expect(full.fills.reduce((s, f) => s.plus(f.qty), new Decimal(0)).equals(full.executedQty)).toBe(true);
    expect(full.cumulativeQuoteQty.toFixed()).toBe("10");
  });

  it("parses the WS API order.place results", () => {
    for (const [file, kind] of [
      ["wsapi_order.place_response_ACK.json", "ACK"],
      ["wsapi_order.place_response_RESULT.json", "RESULT"],
      ["wsapi_order.place_response_FULL.json", "FULL"],
    ] as const) {
      const res = obj(file);
      expect(parseNewOrderResponse(res.result).kind).toBe(kind);
      expect(parseRateLimits(res.rateLimits).length).toBeGreaterThan(0);
    }
  });

  it("parses cancels, open orders, order query and cancel-all with an order list", () => {
    const cancel = parseCanceledOrder(payload("rest_order_cancel.json"));
    expect(cancel).toMatchObject({ origClientOrderId: "myOrder1", clientOrderId: "cancelMyOrder1", status: "CANCELED" });
    expect(parseCanceledOrder(obj("wsapi_order.cancel_response.json").result).executedQty.toFixed()).toBe("0.00001");
    expect(parseQueriedOrders(payload("rest_openOrders.json"))[0]).toMatchObject({ isWorking: true, type: "LIMIT" });
    expect(parseQueriedOrder(payload("rest_order_query.json")).stopPrice?.isZero()).toBe(true);
    const all = parseCancelAllResponse(payload("rest_openOrders_cancelAll.json"));
    expect(all).toHaveLength(3);
    expect("orderReports" in (all[2] ?? {})).toBe(true);
    expect(parseCancelAllResponse(obj("wsapi_openOrders.cancelAll_response.json").result).length).toBeGreaterThan(0);
  });

  it("parses every cancelReplace outcome", () => {
    const ok = parseCancelReplace(payload("rest_cancelReplace_200_success.json"), 200);
    expect(ok).toMatchObject({ cancelResult: "SUCCESS", newOrderResult: "SUCCESS" });
    expect(ok.newOrderResponse).toMatchObject({ kind: "FULL", orderId: 10 });
    for (const [file, status, cancelResult, newOrderResult] of [
      ["rest_cancelReplace_409_newOrderFailed.json", 409, "SUCCESS", "FAILURE"],
      ["rest_cancelReplace_409_cancelFailed_ALLOW_FAILURE.json", 409, "FAILURE", "SUCCESS"],
      ["rest_cancelReplace_400_cancelFailed_STOP_ON_FAILURE.json", 400, "FAILURE", "NOT_ATTEMPTED"],
      ["rest_cancelReplace_400_bothFailed_ALLOW_FAILURE.json", 400, "FAILURE", "FAILURE"],
      ["rest_cancelReplace_orderRateExceeded_CANCEL_ONLY.json", 409, "SUCCESS", "FAILURE"],
    ] as const) {
      const body = obj(file);
      const outcome = parseCancelReplace(body.data, status, { code: body.code as number, msg: body.msg as string });
      expect(outcome, file).toMatchObject({ httpStatus: status, cancelResult, newOrderResult });
    }
    const ws = obj("wsapi_order.cancelReplace_response_success.json");
    expect(parseCancelReplace(ws.result, 200).cancelResult).toBe("SUCCESS");
  });
});

describe("account and user data", () => {
  it("parses the account", () => {
    const account = parseAccount(payload("rest_account.json"));
    expect(account.commissionRates.maker.toFixed()).toBe("0.0015");
    expect(account.balances[0]?.free.toFixed()).toBe("4723846.89208129");
    expect(account.uid).toBe(354937868);
  });

  it("parses executionReport with every documented field", () => {
    const report = parseUserDataEvent(obj("uds_executionReport.json").event);
    expect(report).toMatchObject({
      eventType: "executionReport",
      symbol: "ETHBTC",
      clientOrderId: "mUvoqJxFIILMdfAW5iGSOW",
      side: "BUY",
      orderType: "LIMIT",
      executionType: "NEW",
      orderStatus: "NEW",
      orderId: 4293153,
      executionId: 8641984,
      tradeId: -1,
      commissionAsset: null,
      isWorking: true,
      workingTime: 1499405658657,
      selfTradePreventionMode: "NONE",
    });
    if (report.eventType !== "executionReport") throw new Error("unreachable");
    expect(report.price.toFixed()).toBe("0.1026441");
  });

  it("parses outboundAccountPosition and balanceUpdate", () => {
    const position = parseUserDataEvent(obj("wsapi_event_outboundAccountPosition.json").event);
    expect(position).toMatchObject({ eventType: "outboundAccountPosition", lastUpdateTime: 1728972148778 });
    if (position.eventType !== "outboundAccountPosition") throw new Error("unreachable");
    expect(position.balances.map((b) => [b.asset, b.locked.toFixed()])).toEqual([
      ["BTC", "182"],
      ["USDT", "70"],
    ]);
    const balance = parseUserDataEvent(obj("uds_balanceUpdate.json").event);
    expect(balance).toMatchObject({ eventType: "balanceUpdate", asset: "BTC", clearTime: 1573200697068 });
    expect(parseUserDataEvent(obj("uds_eventStreamTerminated.json").event).eventType).toBe("eventStreamTerminated");
    expect(parseUserDataEvent(obj("uds_listStatus.json").event)).toMatchObject({ eventType: "other", rawEventType: "listStatus" });
  });
});
