import { BinancePayloadError } from "./errors";
import {
  asArray,
  asObject,
  bool,
  dec,
  type JsonObject,
  num,
  optBool,
  optDec,
  optNum,
  optStr,
  parseDecimal,
  str,
  strArray,
} from "./payload";
import type {
  Account,
  AccountPositionUpdate,
  AccountTrade,
  RecentTrade,
  ApiErrorBody,
  Balance,
  BalanceUpdate,
  BookTicker,
  BookTickerEvent,
  CanceledOrder,
  CanceledOrderList,
  CancelReplaceOutcome,
  DepthSnapshot,
  DepthUpdateEvent,
  ExchangeInfo,
  ExecutionReport,
  ExecutionType,
  NewOrderResponse,
  OrderFill,
  OrderSide,
  OrderStatus,
  OrderType,
  PriceLevel,
  QueriedOrder,
  RateLimitRule,
  SymbolFilter,
  SymbolInfo,
  TradeEvent,
  UserDataEvent,
} from "./types";

const SIDES: readonly OrderSide[] = ["BUY", "SELL"];
const ORDER_TYPES: readonly OrderType[] = [
  "LIMIT",
  "LIMIT_MAKER",
  "MARKET",
  "STOP_LOSS",
  "STOP_LOSS_LIMIT",
  "TAKE_PROFIT",
  "TAKE_PROFIT_LIMIT",
];
const ORDER_STATUSES: readonly OrderStatus[] = [
  "NEW",
  "PENDING_NEW",
  "PARTIALLY_FILLED",
  "FILLED",
  "CANCELED",
  "PENDING_CANCEL",
  "REJECTED",
  "EXPIRED",
  "EXPIRED_IN_MATCH",
];
const EXECUTION_TYPES: readonly ExecutionType[] = [
  "NEW",
  "CANCELED",
  "REPLACED",
  "REJECTED",
  "TRADE",
  "EXPIRED",
  "TRADE_PREVENTION",
];

function oneOf<T extends string>(allowed: readonly T[], o: JsonObject, key: string, path: string): T {
  const v = str(o, key, path);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new BinancePayloadError(`${path}.${key}`, `unexpected value ${JSON.stringify(v)}`);
  }
  return v as T;
}

export function parsePriceLevels(value: unknown, path: string): PriceLevel[] {
  return asArray(value, path).map((level, i) => {
    const pair = asArray(level, `${path}[${i}]`);
    return { price: parseDecimal(pair[0], `${path}[${i}][0]`), qty: parseDecimal(pair[1], `${path}[${i}][1]`) };
  });
}

export function parseApiErrorBody(value: unknown, path = "error"): ApiErrorBody {
  const o = asObject(value, path);
  return { code: num(o, "code", path), msg: str(o, "msg", path) };
}

export function isApiErrorBody(value: unknown): value is { code: number; msg: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as JsonObject).code === "number" &&
    typeof (value as JsonObject).msg === "string"
  );
}

export function parseServerTime(value: unknown): number {
  return num(asObject(value, "time"), "serverTime", "time");
}

export function parseDepthSnapshot(value: unknown, path = "depth"): DepthSnapshot {
  const o = asObject(value, path);
  return {
    lastUpdateId: num(o, "lastUpdateId", path),
    bids: parsePriceLevels(o.bids, `${path}.bids`),
    asks: parsePriceLevels(o.asks, `${path}.asks`),
  };
}

export function parseBookTicker(value: unknown, path = "bookTicker"): BookTicker {
  const o = asObject(value, path);
  return {
    symbol: str(o, "symbol", path),
    bidPrice: dec(o, "bidPrice", path),
    bidQty: dec(o, "bidQty", path),
    askPrice: dec(o, "askPrice", path),
    askQty: dec(o, "askQty", path),
  };
}

export function parseRateLimits(value: unknown, path = "rateLimits"): RateLimitRule[] {
  return asArray(value, path).map((v, i) => {
    const p = `${path}[${i}]`;
    const o = asObject(v, p);
    const count = optNum(o, "count", p);
    return {
      rateLimitType: str(o, "rateLimitType", p),
      interval: str(o, "interval", p),
      intervalNum: num(o, "intervalNum", p),
      limit: num(o, "limit", p),
      ...(count === undefined ? {} : { count }),
    };
  });
}

export function parseFilter(value: unknown, path: string): SymbolFilter {
  const o = asObject(value, path);
  const filterType = str(o, "filterType", path);
  switch (filterType) {
    case "PRICE_FILTER":
      return { filterType, minPrice: dec(o, "minPrice", path), maxPrice: dec(o, "maxPrice", path), tickSize: dec(o, "tickSize", path) };
    case "LOT_SIZE":
    case "MARKET_LOT_SIZE":
      return { filterType, minQty: dec(o, "minQty", path), maxQty: dec(o, "maxQty", path), stepSize: dec(o, "stepSize", path) };
    case "NOTIONAL":
      return {
        filterType,
        minNotional: dec(o, "minNotional", path),
        applyMinToMarket: bool(o, "applyMinToMarket", path),
        maxNotional: dec(o, "maxNotional", path),
        applyMaxToMarket: bool(o, "applyMaxToMarket", path),
        avgPriceMins: num(o, "avgPriceMins", path),
      };
    case "MIN_NOTIONAL":
      return {
        filterType,
        minNotional: dec(o, "minNotional", path),
        applyToMarket: bool(o, "applyToMarket", path),
        avgPriceMins: num(o, "avgPriceMins", path),
      };
    case "PERCENT_PRICE":
      return {
        filterType,
        multiplierUp: dec(o, "multiplierUp", path),
        multiplierDown: dec(o, "multiplierDown", path),
        avgPriceMins: num(o, "avgPriceMins", path),
      };
    case "PERCENT_PRICE_BY_SIDE":
      return {
        filterType,
        bidMultiplierUp: dec(o, "bidMultiplierUp", path),
        bidMultiplierDown: dec(o, "bidMultiplierDown", path),
        askMultiplierUp: dec(o, "askMultiplierUp", path),
        askMultiplierDown: dec(o, "askMultiplierDown", path),
        avgPriceMins: num(o, "avgPriceMins", path),
      };
    case "ICEBERG_PARTS":
      return { filterType, limit: num(o, "limit", path) };
    case "TRAILING_DELTA":
      return {
        filterType,
        minTrailingAboveDelta: num(o, "minTrailingAboveDelta", path),
        maxTrailingAboveDelta: num(o, "maxTrailingAboveDelta", path),
        minTrailingBelowDelta: num(o, "minTrailingBelowDelta", path),
        maxTrailingBelowDelta: num(o, "maxTrailingBelowDelta", path),
      };
    case "MAX_NUM_ORDERS":
    case "EXCHANGE_MAX_NUM_ORDERS":
      return { filterType, maxNumOrders: num(o, "maxNumOrders", path) };
    case "MAX_NUM_ALGO_ORDERS":
    case "EXCHANGE_MAX_NUM_ALGO_ORDERS":
      return { filterType, maxNumAlgoOrders: num(o, "maxNumAlgoOrders", path) };
    case "MAX_NUM_ICEBERG_ORDERS":
    case "EXCHANGE_MAX_NUM_ICEBERG_ORDERS":
      return { filterType, maxNumIcebergOrders: num(o, "maxNumIcebergOrders", path) };
    case "MAX_POSITION":
      return { filterType, maxPosition: dec(o, "maxPosition", path) };
    case "MAX_NUM_ORDER_AMENDS":
      return { filterType, maxNumOrderAmends: num(o, "maxNumOrderAmends", path) };
    case "MAX_NUM_ORDER_LISTS":
    case "EXCHANGE_MAX_NUM_ORDER_LISTS":
      return { filterType, maxNumOrderLists: num(o, "maxNumOrderLists", path) };
    case "MAX_ASSET":
      return { filterType, asset: str(o, "asset", path), limit: dec(o, "limit", path) };
    default:
      return { filterType: "UNRECOGNISED", rawFilterType: filterType, raw: o };
  }
}

function parseFilters(value: unknown, path: string): SymbolFilter[] {
  return asArray(value, path).map((f, i) => parseFilter(f, `${path}[${i}]`));
}

export function parseSymbolInfo(value: unknown, path: string): SymbolInfo {
  const o = asObject(value, path);
  return {
    symbol: str(o, "symbol", path),
    status: str(o, "status", path),
    baseAsset: str(o, "baseAsset", path),
    baseAssetPrecision: num(o, "baseAssetPrecision", path),
    quoteAsset: str(o, "quoteAsset", path),
    quotePrecision: num(o, "quotePrecision", path),
    quoteAssetPrecision: num(o, "quoteAssetPrecision", path),
    baseCommissionPrecision: num(o, "baseCommissionPrecision", path),
    quoteCommissionPrecision: num(o, "quoteCommissionPrecision", path),
    orderTypes: strArray(o, "orderTypes", path),
    icebergAllowed: bool(o, "icebergAllowed", path),
    ocoAllowed: bool(o, "ocoAllowed", path),
    quoteOrderQtyMarketAllowed: bool(o, "quoteOrderQtyMarketAllowed", path),
    allowTrailingStop: bool(o, "allowTrailingStop", path),
    cancelReplaceAllowed: bool(o, "cancelReplaceAllowed", path),
    amendAllowed: optBool(o, "amendAllowed", path) ?? false,
    isSpotTradingAllowed: bool(o, "isSpotTradingAllowed", path),
    isMarginTradingAllowed: bool(o, "isMarginTradingAllowed", path),
    filters: parseFilters(o.filters, `${path}.filters`),
    permissionSets:
      o.permissionSets === undefined
        ? []
        : asArray(o.permissionSets, `${path}.permissionSets`).map((set, i) =>
            strArray({ set }, "set", `${path}.permissionSets[${i}]`),
          ),
    defaultSelfTradePreventionMode: optStr(o, "defaultSelfTradePreventionMode", path) ?? "NONE",
    allowedSelfTradePreventionModes:
      o.allowedSelfTradePreventionModes === undefined ? [] : strArray(o, "allowedSelfTradePreventionModes", path),
  };
}

export function parseExchangeInfo(value: unknown, path = "exchangeInfo"): ExchangeInfo {
  const o = asObject(value, path);
  return {
    timezone: str(o, "timezone", path),
    serverTime: num(o, "serverTime", path),
    rateLimits: parseRateLimits(o.rateLimits, `${path}.rateLimits`),
    exchangeFilters: parseFilters(o.exchangeFilters ?? [], `${path}.exchangeFilters`),
    symbols: asArray(o.symbols, `${path}.symbols`).map((s, i) => parseSymbolInfo(s, `${path}.symbols[${i}]`)),
  };
}

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

export function parseRecentTrades(value: unknown, path = "trades"): RecentTrade[] {
  return asArray(value, path).map((v, i) => {
    const p = `${path}[${i}]`;
    const o = asObject(v, p);
    return {
      id: num(o, "id", p),
      price: dec(o, "price", p),
      qty: dec(o, "qty", p),
      quoteQty: dec(o, "quoteQty", p),
      time: num(o, "time", p),
      isBuyerMaker: bool(o, "isBuyerMaker", p),
    };
  });
}

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
