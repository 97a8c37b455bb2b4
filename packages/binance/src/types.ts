import type Decimal from "decimal.js";

/** Domain values: decimals as Decimal, times as epoch ms numbers, names spelt out. */

export type OrderSide = "BUY" | "SELL";
export type OrderType =
  | "LIMIT"
  | "LIMIT_MAKER"
  | "MARKET"
  | "STOP_LOSS"
  | "STOP_LOSS_LIMIT"
  | "TAKE_PROFIT"
  | "TAKE_PROFIT_LIMIT";
export type TimeInForce = "GTC" | "IOC" | "FOK";
export type OrderStatus =
  | "NEW"
  | "PENDING_NEW"
  | "PARTIALLY_FILLED"
  | "FILLED"
  | "CANCELED"
  | "PENDING_CANCEL"
  | "REJECTED"
  | "EXPIRED"
  | "EXPIRED_IN_MATCH";
export type ExecutionType = "NEW" | "CANCELED" | "REPLACED" | "REJECTED" | "TRADE" | "EXPIRED" | "TRADE_PREVENTION";
export type NewOrderResponseType = "ACK" | "RESULT" | "FULL";

export interface PriceLevel {
  price: Decimal;
  qty: Decimal;
}

export interface DepthSnapshot {
  lastUpdateId: number;
  /** High to low. */
  bids: PriceLevel[];
  /** Low to high. */
  asks: PriceLevel[];
}

export interface BookTicker {
  symbol: string;
  bidPrice: Decimal;
  bidQty: Decimal;
  askPrice: Decimal;
  askQty: Decimal;
}

export interface RateLimitRule {
  rateLimitType: string;
  interval: string;
  intervalNum: number;
  limit: number;
  /** Present in WebSocket API responses: usage in the current window. */
  count?: number;
}

export type SymbolFilter =
  | { filterType: "PRICE_FILTER"; minPrice: Decimal; maxPrice: Decimal; tickSize: Decimal }
  | { filterType: "LOT_SIZE"; minQty: Decimal; maxQty: Decimal; stepSize: Decimal }
  | { filterType: "MARKET_LOT_SIZE"; minQty: Decimal; maxQty: Decimal; stepSize: Decimal }
  | {
      filterType: "NOTIONAL";
      minNotional: Decimal;
      applyMinToMarket: boolean;
      maxNotional: Decimal;
      applyMaxToMarket: boolean;
      avgPriceMins: number;
    }
  | { filterType: "MIN_NOTIONAL"; minNotional: Decimal; applyToMarket: boolean; avgPriceMins: number }
  | { filterType: "PERCENT_PRICE"; multiplierUp: Decimal; multiplierDown: Decimal; avgPriceMins: number }
  | {
      filterType: "PERCENT_PRICE_BY_SIDE";
      bidMultiplierUp: Decimal;
      bidMultiplierDown: Decimal;
      askMultiplierUp: Decimal;
      askMultiplierDown: Decimal;
      avgPriceMins: number;
    }
  | { filterType: "ICEBERG_PARTS"; limit: number }
  | {
      filterType: "TRAILING_DELTA";
      minTrailingAboveDelta: number;
      maxTrailingAboveDelta: number;
      minTrailingBelowDelta: number;
      maxTrailingBelowDelta: number;
    }
  | { filterType: "MAX_NUM_ORDERS"; maxNumOrders: number }
  | { filterType: "MAX_NUM_ALGO_ORDERS"; maxNumAlgoOrders: number }
  | { filterType: "MAX_NUM_ICEBERG_ORDERS"; maxNumIcebergOrders: number }
  | { filterType: "MAX_POSITION"; maxPosition: Decimal }
  | { filterType: "MAX_NUM_ORDER_AMENDS"; maxNumOrderAmends: number }
  | { filterType: "MAX_NUM_ORDER_LISTS"; maxNumOrderLists: number }
  | { filterType: "EXCHANGE_MAX_NUM_ORDERS"; maxNumOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ALGO_ORDERS"; maxNumAlgoOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ICEBERG_ORDERS"; maxNumIcebergOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ORDER_LISTS"; maxNumOrderLists: number }
  | { filterType: "MAX_ASSET"; asset: string; limit: Decimal }
  /** A filter type this client does not know yet; kept so nothing is silently lost. */
  | { filterType: "UNRECOGNISED"; rawFilterType: string; raw: Record<string, unknown> };

export type FilterType = SymbolFilter["filterType"];
export type FilterOf<T extends FilterType> = Extract<SymbolFilter, { filterType: T }>;

export interface SymbolInfo {
  symbol: string;
  status: string;
  baseAsset: string;
  baseAssetPrecision: number;
  quoteAsset: string;
  quotePrecision: number;
  quoteAssetPrecision: number;
  baseCommissionPrecision: number;
  quoteCommissionPrecision: number;
  orderTypes: string[];
  icebergAllowed: boolean;
  ocoAllowed: boolean;
  quoteOrderQtyMarketAllowed: boolean;
  allowTrailingStop: boolean;
  cancelReplaceAllowed: boolean;
  amendAllowed: boolean;
  isSpotTradingAllowed: boolean;
  isMarginTradingAllowed: boolean;
  filters: SymbolFilter[];
  permissionSets: string[][];
  defaultSelfTradePreventionMode: string;
  allowedSelfTradePreventionModes: string[];
}

export interface ExchangeInfo {
  timezone: string;
  serverTime: number;
  rateLimits: RateLimitRule[];
  exchangeFilters: SymbolFilter[];
  symbols: SymbolInfo[];
}

export interface OrderAck {
  kind: "ACK";
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  transactTime: number;
}

export interface OrderResult extends Omit<OrderAck, "kind"> {
  kind: "RESULT";
  price: Decimal;
  origQty: Decimal;
  executedQty: Decimal;
  origQuoteOrderQty: Decimal;
  cumulativeQuoteQty: Decimal;
  status: OrderStatus;
  timeInForce: string;
  type: OrderType;
  side: OrderSide;
  workingTime?: number;
  selfTradePreventionMode: string;
}

export interface OrderFill {
  price: Decimal;
  qty: Decimal;
  commission: Decimal;
  commissionAsset: string;
  tradeId: number;
}

export interface OrderFull extends Omit<OrderResult, "kind"> {
  kind: "FULL";
  fills: OrderFill[];
}

/** What POST /api/v3/order (and ws-api order.place) returns, by newOrderRespType. */
export type NewOrderResponse = OrderAck | OrderResult | OrderFull;

export interface CanceledOrder {
  symbol: string;
  /** The canceled order's client id. */
  origClientOrderId: string;
  orderId: number;
  orderListId: number;
  /** The cancel request's own client id. */
  clientOrderId: string;
  transactTime: number;
  price: Decimal;
  origQty: Decimal;
  executedQty: Decimal;
  origQuoteOrderQty: Decimal;
  cumulativeQuoteQty: Decimal;
  status: OrderStatus;
  timeInForce: string;
  type: OrderType;
  side: OrderSide;
  selfTradePreventionMode: string;
}

export interface CanceledOrderList {
  orderListId: number;
  contingencyType: string;
  listStatusType: string;
  listOrderStatus: string;
  listClientOrderId: string;
  transactionTime: number;
  symbol: string;
  orderReports: CanceledOrder[];
}

export interface QueriedOrder {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  price: Decimal;
  origQty: Decimal;
  executedQty: Decimal;
  cumulativeQuoteQty: Decimal;
  status: OrderStatus;
  timeInForce: string;
  type: OrderType;
  side: OrderSide;
  stopPrice?: Decimal;
  icebergQty?: Decimal;
  time: number;
  updateTime: number;
  isWorking: boolean;
  workingTime?: number;
  origQuoteOrderQty: Decimal;
  selfTradePreventionMode: string;
}

export interface ApiErrorBody {
  code: number;
  msg: string;
}

/**
 * cancelReplace outcome. Binance answers 200 (both parts succeeded), 409 -2021 (exactly one failed) or
 * 400 -2022 (cancel failed); all three carry this structure, so it is a result, not an exception.
 */
export interface CancelReplaceOutcome {
  httpStatus: number;
  /** -2021 or -2022 when not a full success. */
  error?: ApiErrorBody;
  cancelResult: "SUCCESS" | "FAILURE" | "NOT_ATTEMPTED";
  newOrderResult: "SUCCESS" | "FAILURE" | "NOT_ATTEMPTED";
  cancelResponse: CanceledOrder | ApiErrorBody | null;
  newOrderResponse: NewOrderResponse | ApiErrorBody | null;
}

export interface Balance {
  asset: string;
  free: Decimal;
  locked: Decimal;
}

export interface Account {
  makerCommission: number;
  takerCommission: number;
  commissionRates: { maker: Decimal; taker: Decimal; buyer: Decimal; seller: Decimal };
  canTrade: boolean;
  canWithdraw: boolean;
  canDeposit: boolean;
  requireSelfTradePrevention: boolean;
  updateTime: number;
  accountType: string;
  balances: Balance[];
  permissions: string[];
  uid?: number;
}

export interface AccountTrade {
  symbol: string;
  id: number;
  orderId: number;
  orderListId: number;
  price: Decimal;
  qty: Decimal;
  quoteQty: Decimal;
  commission: Decimal;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
  isBestMatch: boolean;
}

/** One public trade from GET /api/v3/trades (`time` is the exchange's trade time). */
export interface RecentTrade {
  id: number;
  price: Decimal;
  qty: Decimal;
  quoteQty: Decimal;
  time: number;
  isBuyerMaker: boolean;
}

/** Market stream events. */
export interface TradeEvent {
  eventType: "trade";
  eventTime: number;
  symbol: string;
  tradeId: number;
  price: Decimal;
  qty: Decimal;
  tradeTime: number;
  isBuyerMaker: boolean;
}

export interface BookTickerEvent {
  eventType: "bookTicker";
  /** Shares the id space of depthUpdate's U/u. */
  updateId: number;
  symbol: string;
  bidPrice: Decimal;
  bidQty: Decimal;
  askPrice: Decimal;
  askQty: Decimal;
}

export interface DepthUpdateEvent {
  eventType: "depthUpdate";
  eventTime: number;
  symbol: string;
  firstUpdateId: number;
  finalUpdateId: number;
  bids: PriceLevel[];
  asks: PriceLevel[];
}

export interface ServerShutdownEvent {
  eventType: "serverShutdown";
  eventTime: number;
}

export type MarketEvent = TradeEvent | BookTickerEvent | DepthUpdateEvent;

/** User data events (ws-api `userDataStream.subscribe.signature`). */
export interface ExecutionReport {
  eventType: "executionReport";
  eventTime: number;
  symbol: string;
  clientOrderId: string;
  side: OrderSide;
  orderType: OrderType;
  timeInForce: string;
  quantity: Decimal;
  price: Decimal;
  stopPrice: Decimal;
  icebergQty: Decimal;
  orderListId: number;
  /** Set on cancels: the canceled order's client id (the `c` field is then the cancel's id). */
  originalClientOrderId: string;
  executionType: ExecutionType;
  orderStatus: OrderStatus;
  rejectReason: string;
  orderId: number;
  lastExecutedQty: Decimal;
  cumulativeFilledQty: Decimal;
  lastExecutedPrice: Decimal;
  commission: Decimal;
  commissionAsset: string | null;
  transactionTime: number;
  tradeId: number;
  executionId: number;
  isWorking: boolean;
  isMaker: boolean;
  orderCreationTime: number;
  cumulativeQuoteQty: Decimal;
  lastQuoteQty: Decimal;
  quoteOrderQty: Decimal;
  workingTime?: number;
  selfTradePreventionMode: string;
  preventedMatchId?: number;
  expiryReason?: string;
}

export interface AccountPositionUpdate {
  eventType: "outboundAccountPosition";
  eventTime: number;
  lastUpdateTime: number;
  balances: Balance[];
}

export interface BalanceUpdate {
  eventType: "balanceUpdate";
  eventTime: number;
  asset: string;
  delta: Decimal;
  clearTime: number;
}

export interface EventStreamTerminated {
  eventType: "eventStreamTerminated";
  eventTime: number;
}

/** An event type this client does not model (listStatus, externalLockUpdate, ...), passed through raw. */
export interface OtherUserDataEvent {
  eventType: "other";
  rawEventType: string;
  raw: Record<string, unknown>;
}

export type UserDataEvent =
  | ExecutionReport
  | AccountPositionUpdate
  | BalanceUpdate
  | EventStreamTerminated
  | OtherUserDataEvent;
