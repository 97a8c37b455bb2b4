import type Decimal from "decimal.js";

import { fmt } from "./num";
import type { OrderState } from "./order";
import type {
  AmendKeepPriorityResponse,
  CancelOrderResponse,
  ExecutionReportEvent,
  ExecutionType,
  Fill,
  NewOrderResponse,
  QueryOrderResponse,
} from "./venue";

// Binance's JSON views of an order. Pure: they read the order's state and format it.

export interface FillDetail {
  price: Decimal;
  qty: Decimal;
  commission: Decimal;
  commissionAsset: string;
  tradeId: number;
  isMaker: boolean;
}

export function newOrderView(order: OrderState, respType: string, now: number, fills: Fill[]): NewOrderResponse {
  const ack = {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1 as const,
    clientOrderId: order.clientOrderId,
    transactTime: now,
  };
  if (respType === "ACK") return ack;
  const result = {
    ...ack,
    price: fmt(order.price),
    origQty: fmt(order.origQty),
    executedQty: fmt(order.executedQty),
    origQuoteOrderQty: fmt(order.origQuoteOrderQty),
    cummulativeQuoteQty: fmt(order.cumQuote),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    workingTime: order.time,
    selfTradePreventionMode: order.selfTradePreventionMode,
  };
  if (respType === "RESULT") return result;
  return { ...result, fills };
}

/** GET /api/v3/order and the elements of GET /api/v3/openOrders. */
export function orderView(order: OrderState): QueryOrderResponse {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: fmt(order.price),
    origQty: fmt(order.origQty),
    executedQty: fmt(order.executedQty),
    cummulativeQuoteQty: fmt(order.cumQuote),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    stopPrice: "0.00000000",
    icebergQty: "0.00000000",
    time: order.time,
    updateTime: order.updateTime,
    isWorking: true,
    workingTime: order.time,
    origQuoteOrderQty: fmt(order.origQuoteOrderQty),
    selfTradePreventionMode: order.selfTradePreventionMode,
  };
}

/** The answer to a cancel: `clientOrderId` is the cancel's own id, `origClientOrderId` the order's. */
export function cancelView(order: OrderState, cancelClientOrderId: string, now: number): CancelOrderResponse {
  return {
    symbol: order.symbol,
    origClientOrderId: order.clientOrderId,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: cancelClientOrderId,
    transactTime: now,
    price: fmt(order.price),
    origQty: fmt(order.origQty),
    executedQty: fmt(order.executedQty),
    origQuoteOrderQty: fmt(order.origQuoteOrderQty),
    cummulativeQuoteQty: fmt(order.cumQuote),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    selfTradePreventionMode: order.selfTradePreventionMode,
  };
}

/** An executionReport; on a cancel `c` is the cancel's id and `C` the order's original one. */
export function executionReport(
  order: OrderState,
  x: ExecutionType,
  time: number,
  executionId: number,
  fill?: FillDetail,
  cancelClientOrderId?: string,
): ExecutionReportEvent {
  return {
    e: "executionReport",
    E: time,
    s: order.symbol,
    c: cancelClientOrderId ?? order.clientOrderId,
    S: order.side,
    o: order.type,
    f: order.timeInForce,
    q: fmt(order.origQty),
    p: fmt(order.price),
    P: "0.00000000",
    F: "0.00000000",
    g: -1,
    C: cancelClientOrderId === undefined ? "" : order.clientOrderId,
    x,
    X: order.status,
    r: "NONE",
    i: order.orderId,
    l: fill ? fmt(fill.qty) : "0.00000000",
    z: fmt(order.executedQty),
    L: fill ? fmt(fill.price) : "0.00000000",
    n: fill ? fmt(fill.commission) : "0",
    N: fill ? fill.commissionAsset : null,
    T: time,
    t: fill ? fill.tradeId : -1,
    I: executionId,
    w: order.isOpen() && order.type !== "MARKET",
    m: fill ? fill.isMaker : false,
    M: false,
    O: order.time,
    Z: fmt(order.cumQuote),
    Y: fill ? fmt(fill.price.mul(fill.qty)) : "0.00000000",
    Q: fmt(order.origQuoteOrderQty),
    W: order.time,
    V: order.selfTradePreventionMode,
  };
}

/** The order inside an amend response, with that response's own field names. */
export function amendedOrderView(order: OrderState, origClientOrderId: string): AmendKeepPriorityResponse["amendedOrder"] {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    origClientOrderId,
    clientOrderId: order.clientOrderId,
    price: fmt(order.price),
    qty: fmt(order.origQty),
    executedQty: fmt(order.executedQty),
    preventedQty: "0.00000000",
    quoteOrderQty: fmt(order.origQuoteOrderQty),
    cumulativeQuoteQty: fmt(order.cumQuote),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    workingTime: order.time,
    selfTradePreventionMode: order.selfTradePreventionMode,
  };
}
