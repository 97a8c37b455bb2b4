// Market stream events and user data events.
import { asArray, asObject, bool, dec, type JsonObject, num, optNum, optStr, str } from "../payload";
import { SIDES, ORDER_TYPES, ORDER_STATUSES, EXECUTION_TYPES, oneOf, parsePriceLevels } from "./shared";
import type { AccountPositionUpdate, BalanceUpdate, BookTickerEvent, DepthUpdateEvent, ExecutionReport, TradeEvent, UserDataEvent } from "../types";

export function parseTradeEvent(value: unknown, path = "trade"): TradeEvent {
  const o = asObject(value, path);
  return {
    eventType: "trade",
    eventTime: num(o, "E", path),
    symbol: str(o, "s", path),
    tradeId: num(o, "t", path),
    price: dec(o, "p", path),
    qty: dec(o, "q", path),
    tradeTime: num(o, "T", path),
    isBuyerMaker: bool(o, "m", path),
  };
}

export function parseBookTickerEvent(value: unknown, path = "bookTicker"): BookTickerEvent {
  const o = asObject(value, path);
  return {
    eventType: "bookTicker",
    updateId: num(o, "u", path),
    symbol: str(o, "s", path),
    bidPrice: dec(o, "b", path),
    bidQty: dec(o, "B", path),
    askPrice: dec(o, "a", path),
    askQty: dec(o, "A", path),
  };
}

export function parseDepthUpdateEvent(value: unknown, path = "depthUpdate"): DepthUpdateEvent {
  const o = asObject(value, path);
  return {
    eventType: "depthUpdate",
    eventTime: num(o, "E", path),
    symbol: str(o, "s", path),
    firstUpdateId: num(o, "U", path),
    finalUpdateId: num(o, "u", path),
    bids: parsePriceLevels(o.b, `${path}.b`),
    asks: parsePriceLevels(o.a, `${path}.a`),
  };
}

export function parseExecutionReport(o: JsonObject, path = "executionReport"): ExecutionReport {
  const workingTime = optNum(o, "W", path);
  const preventedMatchId = optNum(o, "v", path);
  const expiryReason = optStr(o, "eR", path);
  return {
    eventType: "executionReport",
    eventTime: num(o, "E", path),
    symbol: str(o, "s", path),
    clientOrderId: str(o, "c", path),
    side: oneOf(SIDES, o, "S", path),
    orderType: oneOf(ORDER_TYPES, o, "o", path),
    timeInForce: str(o, "f", path),
    quantity: dec(o, "q", path),
    price: dec(o, "p", path),
    stopPrice: dec(o, "P", path),
    icebergQty: dec(o, "F", path),
    orderListId: num(o, "g", path),
    originalClientOrderId: str(o, "C", path),
    executionType: oneOf(EXECUTION_TYPES, o, "x", path),
    orderStatus: oneOf(ORDER_STATUSES, o, "X", path),
    rejectReason: str(o, "r", path),
    orderId: num(o, "i", path),
    lastExecutedQty: dec(o, "l", path),
    cumulativeFilledQty: dec(o, "z", path),
    lastExecutedPrice: dec(o, "L", path),
    commission: dec(o, "n", path),
    commissionAsset: optStr(o, "N", path) ?? null,
    transactionTime: num(o, "T", path),
    tradeId: num(o, "t", path),
    executionId: num(o, "I", path),
    isWorking: bool(o, "w", path),
    isMaker: bool(o, "m", path),
    orderCreationTime: num(o, "O", path),
    cumulativeQuoteQty: dec(o, "Z", path),
    lastQuoteQty: dec(o, "Y", path),
    quoteOrderQty: dec(o, "Q", path),
    ...(workingTime === undefined ? {} : { workingTime }),
    selfTradePreventionMode: optStr(o, "V", path) ?? "NONE",
    ...(preventedMatchId === undefined ? {} : { preventedMatchId }),
    ...(expiryReason === undefined ? {} : { expiryReason }),
  };
}

/** The `event` object of a user data message `{"subscriptionId":0,"event":{...}}`. */
export function parseUserDataEvent(value: unknown, path = "event"): UserDataEvent {
  const o = asObject(value, path);
  const e = str(o, "e", path);
  switch (e) {
    case "executionReport":
      return parseExecutionReport(o, path);
    case "outboundAccountPosition":
      return {
        eventType: "outboundAccountPosition",
        eventTime: num(o, "E", path),
        lastUpdateTime: num(o, "u", path),
        balances: asArray(o.B, `${path}.B`).map((b, i) => {
          const bp = `${path}.B[${i}]`;
          const bo = asObject(b, bp);
          return { asset: str(bo, "a", bp), free: dec(bo, "f", bp), locked: dec(bo, "l", bp) };
        }),
      } satisfies AccountPositionUpdate;
    case "balanceUpdate":
      return {
        eventType: "balanceUpdate",
        eventTime: num(o, "E", path),
        asset: str(o, "a", path),
        delta: dec(o, "d", path),
        clearTime: num(o, "T", path),
      } satisfies BalanceUpdate;
    case "eventStreamTerminated":
      return { eventType: "eventStreamTerminated", eventTime: num(o, "E", path) };
    default:
      return { eventType: "other", rawEventType: e, raw: o };
  }
}
