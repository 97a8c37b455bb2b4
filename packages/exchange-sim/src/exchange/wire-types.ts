import type {
  RawAccount,
  RawAggTradeEvent,
  RawAmendedOrder,
  RawAmendKeepPriority,
  RawApiErrorBody,
  RawBalance,
  RawBalanceUpdateEvent,
  RawBookTicker,
  RawBookTickerEvent,
  RawCanceledOrder,
  RawCancelReplace,
  RawDepthSnapshot,
  RawDepthUpdateEvent,
  RawExchangeFilter,
  RawExchangeInfo,
  RawExecutionReportEvent,
  RawFill,
  RawMyTrade,
  RawOrderAck,
  RawOrderFull,
  RawOrderResult,
  RawOutboundAccountPositionEvent,
  RawPriceLevel,
  RawQueriedOrder,
  RawRateLimit,
  RawRecentTrade,
  RawSelfTradePreventionMode,
  RawSymbolFilter,
  RawSymbolInfo,
  RawTradeEvent,
} from "@bandkeeper/binance/raw-types";
import type {
  ExecutionType,
  NewOrderResponseType,
  OrderSide,
  OrderStatus as ClientOrderStatus,
  OrderType as ClientOrderType,
  TimeInForce,
} from "@bandkeeper/binance/types";

// Responses and events of the exchange core, in one wire vocabulary with the client: every type here is one of
// @bandkeeper/binance/raw-types, at most with some fields narrowed to the values the simulator sends. A field the
// client's wire types name and the simulator leaves out is a compile error, and so is a narrowing the wire does
// not allow.

type Narrowed<Raw, Fields extends { [K in keyof Fields]: K extends keyof Raw ? Raw[K] : never }> = Omit<Raw, keyof Fields> &
  Fields;

export type SymbolStatus = "TRADING" | "END_OF_DAY" | "HALT" | "BREAK" | "CANCEL_ONLY";
export type { ExecutionType, OrderSide, TimeInForce };
/** The order types the simulator models (stop, take-profit and their limits answer -1116). */
export type OrderType = Extract<ClientOrderType, "LIMIT" | "LIMIT_MAKER" | "MARKET">;
/** The statuses the simulator's orders take: it answers at once, so nothing is pending. */
export type OrderStatus = Exclude<ClientOrderStatus, "PENDING_NEW" | "PENDING_CANCEL">;
export type NewOrderRespType = NewOrderResponseType;
export type SelfTradePreventionMode = RawSelfTradePreventionMode;

/** The order fields the simulator knows more narrowly than the wire's strings; it has no order lists. */
interface OrderFields {
  orderListId: -1;
  status: OrderStatus;
  timeInForce: TimeInForce;
  type: OrderType;
  side: OrderSide;
  selfTradePreventionMode: SelfTradePreventionMode;
}

// ---------------------------------------------------------------------------------------------------------
// exchangeInfo

/** The filters a simulated symbol may carry: Binance's, less the two it does not model. */
export type SymbolFilter = Exclude<RawSymbolFilter, { filterType: "MAX_NUM_ICEBERG_ORDERS" | "MAX_POSITION" }>;
export type ExchangeFilter = Extract<RawExchangeFilter, { filterType: "EXCHANGE_MAX_NUM_ORDERS" | "EXCHANGE_MAX_NUM_ALGO_ORDERS" }>;

export type SymbolInfo = Narrowed<
  RawSymbolInfo,
  {
    status: SymbolStatus;
    otoAllowed: boolean;
    opoAllowed: boolean;
    amendAllowed: boolean;
    pegInstructionsAllowed: boolean;
    filters: SymbolFilter[];
    permissionSets: string[][];
    defaultSelfTradePreventionMode: SelfTradePreventionMode;
    allowedSelfTradePreventionModes: SelfTradePreventionMode[];
  }
>;

export type RateLimitInfo = Narrowed<
  RawRateLimit,
  { rateLimitType: "REQUEST_WEIGHT" | "ORDERS" | "RAW_REQUESTS"; interval: "SECOND" | "MINUTE" | "DAY" }
>;

export type ExchangeInfoResponse = Narrowed<
  RawExchangeInfo,
  { timezone: "UTC"; rateLimits: RateLimitInfo[]; exchangeFilters: ExchangeFilter[]; symbols: SymbolInfo[] }
>;

// ---------------------------------------------------------------------------------------------------------
// Market data

export type PriceLevel = RawPriceLevel;
export type DepthResponse = RawDepthSnapshot;
export type BookTickerResponse = RawBookTicker;
export type RecentTrade = RawRecentTrade;

// ---------------------------------------------------------------------------------------------------------
// Orders

export type NewOrderAck = Narrowed<RawOrderAck, { orderListId: -1 }>;
export type NewOrderResult = Narrowed<RawOrderResult, OrderFields>;
export type Fill = RawFill;
export type NewOrderFull = Narrowed<RawOrderFull, OrderFields>;
export type NewOrderResponse = NewOrderAck | NewOrderResult | NewOrderFull;
export type CancelOrderResponse = Narrowed<RawCanceledOrder, OrderFields>;
/** GET /api/v3/order and each element of GET /api/v3/openOrders. */
export type QueryOrderResponse = Narrowed<RawQueriedOrder, OrderFields & { stopPrice: string; icebergQty: string }>;
export type ErrorBody = RawApiErrorBody;

export type CancelReplaceSuccess = Narrowed<
  RawCancelReplace,
  { cancelResult: "SUCCESS"; newOrderResult: "SUCCESS"; cancelResponse: CancelOrderResponse; newOrderResponse: NewOrderResponse }
>;

/** The `data` of a 400 -2022 or 409 -2021 cancelReplace error. */
export type CancelReplaceFailureData = Narrowed<
  RawCancelReplace,
  {
    cancelResult: "SUCCESS" | "FAILURE";
    newOrderResult: "SUCCESS" | "FAILURE" | "NOT_ATTEMPTED";
    cancelResponse: CancelOrderResponse | ErrorBody;
    newOrderResponse: NewOrderResponse | ErrorBody | null;
  }
>;

/** PUT /api/v3/order/amend/keepPriority; note the field names differ from other order responses. */
export type AmendKeepPriorityResponse = Narrowed<RawAmendKeepPriority, { amendedOrder: Narrowed<RawAmendedOrder, OrderFields> }>;

export type MyTrade = Narrowed<RawMyTrade, { orderListId: -1 }>;

// ---------------------------------------------------------------------------------------------------------
// Accounts

export type Balance = RawBalance;
export type AccountResponse = Narrowed<RawAccount, { accountType: "SPOT"; permissions: ["SPOT"] }>;

// ---------------------------------------------------------------------------------------------------------
// Market stream payloads (raw, unwrapped; the server adds {"stream","data"} for combined connections)

export type TradeEvent = RawTradeEvent;
export type AggTradeEvent = RawAggTradeEvent;
/** No `e`/`E` on the real stream; `u` is in the same id space as depthUpdate's U/u and depth's lastUpdateId. */
export type BookTickerEvent = RawBookTickerEvent;
export type DepthUpdateEvent = RawDepthUpdateEvent;

/**
 * What `onMarketEvent` listeners receive. `stream` is the suffix of the stream name after `<symbol>@`:
 * "trade" and "aggTrade" on each trade, "bookTicker" on each best bid/ask change (real time),
 * "depth@100ms" once per 100 ms batch that changed the book and "depth" once per 1000 ms batch
 * (both emitted from `tick()`). Partial depth streams (`depth5|10|20`) are served by the server from `depth()`.
 */
export type MarketEvent =
  | { stream: "trade"; data: TradeEvent }
  | { stream: "aggTrade"; data: AggTradeEvent }
  | { stream: "bookTicker"; data: BookTickerEvent }
  | { stream: "depth@100ms"; data: DepthUpdateEvent }
  | { stream: "depth"; data: DepthUpdateEvent };

// ---------------------------------------------------------------------------------------------------------
// User data payloads (the server wraps each as {"subscriptionId", "event"})

export type ExecutionReportEvent = Narrowed<
  RawExecutionReportEvent,
  { S: OrderSide; o: OrderType; f: TimeInForce; g: -1; x: ExecutionType; X: OrderStatus; W: number; V: SelfTradePreventionMode }
>;
export type OutboundAccountPositionEvent = RawOutboundAccountPositionEvent;
export type BalanceUpdateEvent = RawBalanceUpdateEvent;

/**
 * Delivered synchronously when the action completes, before the call that caused it returns (a transport that
 * must answer the request first buffers them). Emitted in Binance's order: for an order action every executionReport of that action
 * (NEW, then each TRADE; or CANCELED / EXPIRED) followed by one outboundAccountPosition with the changed
 * assets. A deposit emits balanceUpdate then outboundAccountPosition.
 */
export type UserEvent = ExecutionReportEvent | OutboundAccountPositionEvent | BalanceUpdateEvent;
