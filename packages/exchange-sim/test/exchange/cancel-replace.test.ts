import { describe, expect, it } from "vitest";

import type { CancelReplaceParams } from "../../src/exchange/venue";
import { ExchangeError } from "../../src/exchange/venue";
import { caught, fixture, harness } from "./helpers";

function setup() {
  const h = harness();
  const mm = h.account();
  const other = h.account();
  // An ask from someone else at 60000 makes a LIMIT_MAKER bid at 60000 fail with -2010.
  h.exchange.placeOrder(other, { symbol: "BTCUSDT", side: "SELL", type: "LIMIT", timeInForce: "GTC", quantity: "0.01", price: "60000" });
  const resting = h.exchange.placeOrder(mm, {
    symbol: "BTCUSDT",
    side: "BUY",
    type: "LIMIT_MAKER",
    quantity: "0.01",
    price: "59990.00",
    newClientOrderId: "bid-1",
  });
  return { h, mm, resting };
}

const replaceWith = (price: string, extra: Partial<CancelReplaceParams>): CancelReplaceParams => ({
  symbol: "BTCUSDT",
  side: "BUY",
  type: "LIMIT_MAKER",
  quantity: "0.01",
  price,
  cancelReplaceMode: "STOP_ON_FAILURE",
  ...extra,
});

const keysOf = (x: unknown) => Object.keys(x as object).sort();

describe("cancelReplace", () => {
  it("200: both succeed; the shape matches the documented response", () => {
    const { h, mm } = setup();
    const res = h.exchange.cancelReplace(
      mm,
      replaceWith("59995.00", { cancelOrigClientOrderId: "bid-1", newClientOrderId: "bid-2", newOrderRespType: "FULL" }),
    );
    const doc = fixture<Record<string, unknown>>("rest_cancelReplace_200_success.json");
    expect(keysOf(res)).toEqual(keysOf(doc));
    expect(keysOf(res.cancelResponse)).toEqual(keysOf(doc.cancelResponse));
    expect(keysOf(res.newOrderResponse)).toEqual(keysOf(doc.newOrderResponse));
    expect(res).toMatchObject({
      cancelResult: "SUCCESS",
      newOrderResult: "SUCCESS",
      cancelResponse: { origClientOrderId: "bid-1", status: "CANCELED" },
      newOrderResponse: { clientOrderId: "bid-2", status: "NEW", price: "59995.00000000" },
    });
    expect(h.exchange.openOrders(mm, "BTCUSDT").map((o) => o.clientOrderId)).toEqual(["bid-2"]);
  });

  it("400 -2022: STOP_ON_FAILURE with a failed cancel does not attempt the new order", () => {
    const { h, mm } = setup();
    const err = caught(() => h.exchange.cancelReplace(mm, replaceWith("59995.00", { cancelOrigClientOrderId: "nope" })));
    expect([err.httpStatus, err.code, err.msg]).toEqual([400, -2022, "Order cancel-replace failed."]);
    expect(err.toJSON()).toEqual(fixture("rest_cancelReplace_400_cancelFailed_STOP_ON_FAILURE.json"));
    expect(h.exchange.openOrders(mm, "BTCUSDT").map((o) => o.clientOrderId)).toEqual(["bid-1"]);
  });

  it("409 -2021: the cancel succeeds and the new order fails", () => {
    const { h, mm } = setup();
    const err = caught(() =>
      h.exchange.cancelReplace(mm, replaceWith("60000.00", { cancelOrigClientOrderId: "bid-1", cancelNewClientOrderId: "c-1" })),
    );
    expect([err.httpStatus, err.code, err.msg]).toEqual([409, -2021, "Order cancel-replace partially failed."]);
    const doc = fixture<{ data: Record<string, unknown> }>("rest_cancelReplace_409_newOrderFailed.json");
    expect(keysOf(err.data)).toEqual(keysOf(doc.data));
    expect(keysOf(err.data?.cancelResponse)).toEqual(keysOf(doc.data.cancelResponse));
    expect(err.data).toMatchObject({
      cancelResult: "SUCCESS",
      newOrderResult: "FAILURE",
      cancelResponse: { clientOrderId: "c-1", origClientOrderId: "bid-1" },
      newOrderResponse: { code: -2010, msg: "Order would immediately match and take." },
    });
    expect(h.exchange.openOrders(mm, "BTCUSDT")).toEqual([]);
  });

  it("409 -2021: ALLOW_FAILURE places the new order although the cancel failed", () => {
    const { h, mm } = setup();
    const err = caught(() =>
      h.exchange.cancelReplace(mm, replaceWith("59980.00", { cancelReplaceMode: "ALLOW_FAILURE", cancelOrderId: "999" })),
    );
    expect([err.httpStatus, err.code]).toEqual([409, -2021]);
    const doc = fixture<{ data: Record<string, unknown> }>("rest_cancelReplace_409_cancelFailed_ALLOW_FAILURE.json");
    expect(keysOf(err.data?.newOrderResponse)).toEqual(keysOf(doc.data.newOrderResponse));
    expect(err.data).toMatchObject({
      cancelResult: "FAILURE",
      newOrderResult: "SUCCESS",
      cancelResponse: { code: -2011, msg: "Unknown order sent." },
    });
    expect(h.exchange.openOrders(mm, "BTCUSDT")).toHaveLength(2);
  });

  it("400 -2022: ALLOW_FAILURE with both parts failing", () => {
    const { h, mm } = setup();
    const err = caught(() =>
      h.exchange.cancelReplace(mm, replaceWith("60000.00", { cancelReplaceMode: "ALLOW_FAILURE", cancelOrderId: "999" })),
    );
    expect(err.toJSON()).toEqual(fixture("rest_cancelReplace_400_bothFailed_ALLOW_FAILURE.json"));
  });

  it("a new order the server rejects for the order rate (CANCEL_ONLY) still cancels", () => {
    const { h, mm } = setup();
    const rejection = new ExchangeError(-1015, "Too many new orders; current limit is 50 orders per 10 SECOND.", 429);
    const err = caught(() =>
      h.exchange.cancelReplace(
        mm,
        replaceWith("59995.00", { cancelOrigClientOrderId: "bid-1", orderRateLimitExceededMode: "CANCEL_ONLY" }),
        { newOrderRejection: rejection },
      ),
    );
    expect([err.httpStatus, err.code]).toEqual([409, -2021]);
    expect(err.data?.newOrderResponse).toEqual({ code: -1015, msg: rejection.msg });
    expect(h.exchange.openOrders(mm, "BTCUSDT")).toEqual([]);
  });

  it("filters are evaluated before the cancel: a filter failure is a plain -1013 and cancels nothing", () => {
    const { h, mm } = setup();
    const err = caught(() => h.exchange.cancelReplace(mm, replaceWith("59995.005", { cancelOrigClientOrderId: "bid-1" })));
    expect([err.httpStatus, err.code, err.msg, err.data]).toEqual([400, -1013, "Filter failure: PRICE_FILTER", undefined]);
    expect(h.exchange.openOrders(mm, "BTCUSDT").map((o) => o.clientOrderId)).toEqual(["bid-1"]);
  });

  it("parameter errors of the new order are plain errors and change nothing", () => {
    const { h, mm } = setup();
    const err = caught(() =>
      h.exchange.cancelReplace(mm, { ...replaceWith("59995.00", { cancelOrigClientOrderId: "bid-1" }), timeInForce: "GTC" }),
    );
    expect([err.code, err.msg, err.data]).toEqual([-1106, "Parameter 'timeInForce' sent when not required.", undefined]);
    const missing = caught(() => h.exchange.cancelReplace(mm, replaceWith("59995.00", {})));
    expect([missing.code, missing.msg]).toEqual([
      -1102,
      "Param 'cancelOrderId' or 'cancelOrigClientOrderId' must be sent, but both were empty/null!",
    ]);
    expect(h.exchange.openOrders(mm, "BTCUSDT").map((o) => o.clientOrderId)).toEqual(["bid-1"]);
  });
});
