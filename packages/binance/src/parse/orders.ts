// Order, cancel, query and cancelReplace answers, the account and its trades.
import { asArray, asObject, bool, dec, num, optBool, optDec, optNum, optStr, str, strArray } from "../payload";
import { SIDES, ORDER_TYPES, ORDER_STATUSES, oneOf, parseApiErrorBody, isApiErrorBody } from "./shared";
import type { Account, AccountTrade, ApiErrorBody, Balance, CanceledOrder, CanceledOrderList, CancelReplaceOutcome, NewOrderResponse, OrderFill, QueriedOrder } from "../types";

function parseFill(value: unknown, path: string): OrderFill {
  const o = asObject(value, path);
  return {
    price: dec(o, "price", path),
    qty: dec(o, "qty", path),
    commission: dec(o, "commission", path),
    commissionAsset: str(o, "commissionAsset", path),
    tradeId: num(o, "tradeId", path),
  };
}

/** ACK, RESULT or FULL, told apart by the fields present (RESULT adds `status`, FULL adds `fills`). */
export function parseNewOrderResponse(value: unknown, path = "order"): NewOrderResponse {
  const o = asObject(value, path);
  const ack = {
    symbol: str(o, "symbol", path),
    orderId: num(o, "orderId", path),
    orderListId: num(o, "orderListId", path),
    clientOrderId: str(o, "clientOrderId", path),
    transactTime: num(o, "transactTime", path),
  };
  if (o.status === undefined) return { kind: "ACK", ...ack };
  const workingTime = optNum(o, "workingTime", path);
  const result = {
    ...ack,
    price: dec(o, "price", path),
    origQty: dec(o, "origQty", path),
    executedQty: dec(o, "executedQty", path),
    origQuoteOrderQty: dec(o, "origQuoteOrderQty", path),
    cumulativeQuoteQty: dec(o, "cummulativeQuoteQty", path),
    status: oneOf(ORDER_STATUSES, o, "status", path),
    timeInForce: str(o, "timeInForce", path),
    type: oneOf(ORDER_TYPES, o, "type", path),
    side: oneOf(SIDES, o, "side", path),
    ...(workingTime === undefined ? {} : { workingTime }),
    selfTradePreventionMode: optStr(o, "selfTradePreventionMode", path) ?? "NONE",
  };
  if (o.fills === undefined) return { kind: "RESULT", ...result };
  return {
    kind: "FULL",
    ...result,
    fills: asArray(o.fills, `${path}.fills`).map((f, i) => parseFill(f, `${path}.fills[${i}]`)),
  };
}

export function parseCanceledOrder(value: unknown, path = "cancel"): CanceledOrder {
  const o = asObject(value, path);
  return {
    symbol: str(o, "symbol", path),
    origClientOrderId: str(o, "origClientOrderId", path),
    orderId: num(o, "orderId", path),
    orderListId: num(o, "orderListId", path),
    clientOrderId: str(o, "clientOrderId", path),
    transactTime: num(o, "transactTime", path),
    price: dec(o, "price", path),
    origQty: dec(o, "origQty", path),
    executedQty: dec(o, "executedQty", path),
    origQuoteOrderQty: dec(o, "origQuoteOrderQty", path),
    cumulativeQuoteQty: dec(o, "cummulativeQuoteQty", path),
    status: oneOf(ORDER_STATUSES, o, "status", path),
    timeInForce: str(o, "timeInForce", path),
    type: oneOf(ORDER_TYPES, o, "type", path),
    side: oneOf(SIDES, o, "side", path),
    selfTradePreventionMode: optStr(o, "selfTradePreventionMode", path) ?? "NONE",
  };
}

export function parseCanceledOrderList(value: unknown, path: string): CanceledOrderList {
  const o = asObject(value, path);
  return {
    orderListId: num(o, "orderListId", path),
    contingencyType: str(o, "contingencyType", path),
    listStatusType: str(o, "listStatusType", path),
    listOrderStatus: str(o, "listOrderStatus", path),
    listClientOrderId: str(o, "listClientOrderId", path),
    transactionTime: num(o, "transactionTime", path),
    symbol: str(o, "symbol", path),
    orderReports: asArray(o.orderReports, `${path}.orderReports`).map((r, i) =>
      parseCanceledOrder(r, `${path}.orderReports[${i}]`),
    ),
  };
}

/** DELETE /api/v3/openOrders: plain orders and order lists, mixed. */
export function parseCancelAllResponse(value: unknown, path = "cancelAll"): (CanceledOrder | CanceledOrderList)[] {
  return asArray(value, path).map((v, i) => {
    const p = `${path}[${i}]`;
    return asObject(v, p).contingencyType === undefined ? parseCanceledOrder(v, p) : parseCanceledOrderList(v, p);
  });
}

export function parseQueriedOrder(value: unknown, path = "order"): QueriedOrder {
  const o = asObject(value, path);
  const stopPrice = optDec(o, "stopPrice", path);
  const icebergQty = optDec(o, "icebergQty", path);
  const workingTime = optNum(o, "workingTime", path);
  return {
    symbol: str(o, "symbol", path),
    orderId: num(o, "orderId", path),
    orderListId: num(o, "orderListId", path),
    clientOrderId: str(o, "clientOrderId", path),
    price: dec(o, "price", path),
    origQty: dec(o, "origQty", path),
    executedQty: dec(o, "executedQty", path),
    cumulativeQuoteQty: dec(o, "cummulativeQuoteQty", path),
    status: oneOf(ORDER_STATUSES, o, "status", path),
    timeInForce: str(o, "timeInForce", path),
    type: oneOf(ORDER_TYPES, o, "type", path),
    side: oneOf(SIDES, o, "side", path),
    ...(stopPrice === undefined ? {} : { stopPrice }),
    ...(icebergQty === undefined ? {} : { icebergQty }),
    time: num(o, "time", path),
    updateTime: num(o, "updateTime", path),
    isWorking: bool(o, "isWorking", path),
    ...(workingTime === undefined ? {} : { workingTime }),
    origQuoteOrderQty: dec(o, "origQuoteOrderQty", path),
    selfTradePreventionMode: optStr(o, "selfTradePreventionMode", path) ?? "NONE",
  };
}

export function parseQueriedOrders(value: unknown, path = "openOrders"): QueriedOrder[] {
  return asArray(value, path).map((v, i) => parseQueriedOrder(v, `${path}[${i}]`));
}

const PART_RESULTS = ["SUCCESS", "FAILURE", "NOT_ATTEMPTED"] as const;

/** The cancelReplace structure, from a 200 body or from the `data` of a -2021/-2022 error. */
export function parseCancelReplace(
  value: unknown,
  httpStatus: number,
  error?: ApiErrorBody,
  path = "cancelReplace",
): CancelReplaceOutcome {
  const o = asObject(value, path);
  const cancelResponse =
    o.cancelResponse === null || o.cancelResponse === undefined
      ? null
      : isApiErrorBody(o.cancelResponse)
        ? parseApiErrorBody(o.cancelResponse, `${path}.cancelResponse`)
        : parseCanceledOrder(o.cancelResponse, `${path}.cancelResponse`);
  const newOrderResponse =
    o.newOrderResponse === null || o.newOrderResponse === undefined
      ? null
      : isApiErrorBody(o.newOrderResponse)
        ? parseApiErrorBody(o.newOrderResponse, `${path}.newOrderResponse`)
        : parseNewOrderResponse(o.newOrderResponse, `${path}.newOrderResponse`);
  return {
    httpStatus,
    ...(error === undefined ? {} : { error }),
    cancelResult: oneOf(PART_RESULTS, o, "cancelResult", path),
    newOrderResult: oneOf(PART_RESULTS, o, "newOrderResult", path),
    cancelResponse,
    newOrderResponse,
  };
}

function parseBalance(value: unknown, path: string): Balance {
  const o = asObject(value, path);
  return { asset: str(o, "asset", path), free: dec(o, "free", path), locked: dec(o, "locked", path) };
}

export function parseAccount(value: unknown, path = "account"): Account {
  const o = asObject(value, path);
  const rates = asObject(o.commissionRates, `${path}.commissionRates`);
  const rp = `${path}.commissionRates`;
  const uid = optNum(o, "uid", path);
  return {
    makerCommission: num(o, "makerCommission", path),
    takerCommission: num(o, "takerCommission", path),
    commissionRates: {
      maker: dec(rates, "maker", rp),
      taker: dec(rates, "taker", rp),
      buyer: dec(rates, "buyer", rp),
      seller: dec(rates, "seller", rp),
    },
    canTrade: bool(o, "canTrade", path),
    canWithdraw: bool(o, "canWithdraw", path),
    canDeposit: bool(o, "canDeposit", path),
    requireSelfTradePrevention: optBool(o, "requireSelfTradePrevention", path) ?? false,
    updateTime: num(o, "updateTime", path),
    accountType: str(o, "accountType", path),
    balances: asArray(o.balances, `${path}.balances`).map((b, i) => parseBalance(b, `${path}.balances[${i}]`)),
    permissions: strArray(o, "permissions", path),
    ...(uid === undefined ? {} : { uid }),
  };
}

export function parseAccountTrades(value: unknown, path = "myTrades"): AccountTrade[] {
  return asArray(value, path).map((v, i) => {
    const p = `${path}[${i}]`;
    const o = asObject(v, p);
    return {
      symbol: str(o, "symbol", p),
      id: num(o, "id", p),
      orderId: num(o, "orderId", p),
      orderListId: num(o, "orderListId", p),
      price: dec(o, "price", p),
      qty: dec(o, "qty", p),
      quoteQty: dec(o, "quoteQty", p),
      commission: dec(o, "commission", p),
      commissionAsset: str(o, "commissionAsset", p),
      time: num(o, "time", p),
      isBuyer: bool(o, "isBuyer", p),
      isMaker: bool(o, "isMaker", p),
      isBestMatch: bool(o, "isBestMatch", p),
    };
  });
}
