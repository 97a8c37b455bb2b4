import type Decimal from "decimal.js";
import type { RequestParams } from "./signing";
import type { NewOrderResponseType, OrderSide, TimeInForce } from "./types";

/** Decimals go on the wire in plain notation (`toFixed()` never produces an exponent). */
export type DecimalInput = Decimal | string;

function wireDecimal(value: DecimalInput | undefined): string | undefined {
  return value === undefined ? undefined : typeof value === "string" ? value : value.toFixed();
}

export interface NewOrderParams {
  symbol: string;
  side: OrderSide;
  type: "LIMIT" | "LIMIT_MAKER" | "MARKET";
  quantity?: DecimalInput;
  quoteOrderQty?: DecimalInput;
  price?: DecimalInput;
  /** Required for LIMIT, forbidden for LIMIT_MAKER (Binance answers -1106). */
  timeInForce?: TimeInForce;
  newClientOrderId?: string;
  newOrderRespType?: NewOrderResponseType;
  selfTradePreventionMode?: string;
  strategyId?: number;
  strategyType?: number;
}

export type OrderRef = { orderId: number } | { origClientOrderId: string };

export interface CancelOrderParams {
  symbol: string;
  order: OrderRef;
  newClientOrderId?: string;
  cancelRestrictions?: "ONLY_NEW" | "ONLY_PARTIALLY_FILLED";
}

export interface CancelReplaceParams extends NewOrderParams {
  cancelReplaceMode: "STOP_ON_FAILURE" | "ALLOW_FAILURE";
  cancel: { cancelOrderId: number } | { cancelOrigClientOrderId: string };
  cancelNewClientOrderId?: string;
  cancelRestrictions?: "ONLY_NEW" | "ONLY_PARTIALLY_FILLED";
  orderRateLimitExceededMode?: "DO_NOTHING" | "CANCEL_ONLY";
}

export function newOrderWireParams(p: NewOrderParams): RequestParams {
  return {
    symbol: p.symbol,
    side: p.side,
    type: p.type,
    timeInForce: p.timeInForce,
    quantity: wireDecimal(p.quantity),
    quoteOrderQty: wireDecimal(p.quoteOrderQty),
    price: wireDecimal(p.price),
    newClientOrderId: p.newClientOrderId,
    newOrderRespType: p.newOrderRespType,
    selfTradePreventionMode: p.selfTradePreventionMode,
    strategyId: p.strategyId,
    strategyType: p.strategyType,
  };
}

export function cancelOrderWireParams(p: CancelOrderParams): RequestParams {
  return {
    symbol: p.symbol,
    ...("orderId" in p.order ? { orderId: p.order.orderId } : { origClientOrderId: p.order.origClientOrderId }),
    newClientOrderId: p.newClientOrderId,
    cancelRestrictions: p.cancelRestrictions,
  };
}

export function cancelReplaceWireParams(p: CancelReplaceParams): RequestParams {
  const { symbol, ...order } = newOrderWireParams(p);
  return {
    symbol,
    cancelReplaceMode: p.cancelReplaceMode,
    ...p.cancel,
    cancelNewClientOrderId: p.cancelNewClientOrderId,
    cancelRestrictions: p.cancelRestrictions,
    orderRateLimitExceededMode: p.orderRateLimitExceededMode,
    ...order,
  };
}
