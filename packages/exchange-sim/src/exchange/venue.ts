import type { Clock as BinanceClock } from "@bandkeeper/binance";
import type { MarketModel } from "../market/model";

// The contract between the transport (src/server) and the transport-free exchange core.
// Requests arrive as the strings the client sent; results are shaped exactly like Binance's JSON so the
// server only serialises them; failures are ExchangeError carrying Binance's code, message and HTTP status.
// Transport-level parameters (timestamp, recvWindow, signature, apiKey) are checked and stripped by the
// server before it calls the core.

/** Epoch milliseconds from outside: the core never reads the wall clock. The client's interface, one vocabulary. */
export type Clock = BinanceClock;

export type AccountId = string;

/** Binance's error body plus the HTTP status it travels with. `data` is set only on cancelReplace failures. */
export class ExchangeError extends Error {
  readonly code: number;
  readonly msg: string;
  readonly httpStatus: number;
  readonly data: CancelReplaceFailureData | undefined;

  constructor(code: number, msg: string, httpStatus = 400, data?: CancelReplaceFailureData) {
    super(`${code} ${msg}`);
    this.name = "ExchangeError";
    this.code = code;
    this.msg = msg;
    this.httpStatus = httpStatus;
    this.data = data;
  }

  /** The JSON body Binance sends for this error. */
  toJSON(): { code: number; msg: string; data?: CancelReplaceFailureData } {
    return this.data === undefined
      ? { code: this.code, msg: this.msg }
      : { code: this.code, msg: this.msg, data: this.data };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Enums

export type SymbolStatus = "TRADING" | "END_OF_DAY" | "HALT" | "BREAK" | "CANCEL_ONLY";
export type OrderSide = "BUY" | "SELL";
export type OrderType = "LIMIT" | "LIMIT_MAKER" | "MARKET";
export type TimeInForce = "GTC" | "IOC" | "FOK";
export type OrderStatus =
  | "NEW"
  | "PARTIALLY_FILLED"
  | "FILLED"
  | "CANCELED"
  | "REJECTED"
  | "EXPIRED"
  | "EXPIRED_IN_MATCH";
export type ExecutionType = "NEW" | "CANCELED" | "REPLACED" | "REJECTED" | "TRADE" | "EXPIRED" | "TRADE_PREVENTION";
export type NewOrderRespType = "ACK" | "RESULT" | "FULL";
export type CancelReplaceMode = "STOP_ON_FAILURE" | "ALLOW_FAILURE";
export type CancelRestrictions = "ONLY_NEW" | "ONLY_PARTIALLY_FILLED";
export type SelfTradePreventionMode = "NONE" | "EXPIRE_TAKER" | "EXPIRE_MAKER" | "EXPIRE_BOTH" | "DECREMENT";

// ---------------------------------------------------------------------------------------------------------
// Request parameters: strings exactly as received (validation, including enum values, is the core's job).

export interface ExchangeInfoParams {
  symbol?: string;
  /** Already parsed from the JSON array in `symbols=["A","B"]`. */
  symbols?: readonly string[];
  symbolStatus?: string;
}

export interface NewOrderParams {
  symbol?: string;
  side?: string;
  type?: string;
  timeInForce?: string;
  quantity?: string;
  quoteOrderQty?: string;
  price?: string;
  newClientOrderId?: string;
  newOrderRespType?: string;
  strategyId?: string;
  strategyType?: string;
  stopPrice?: string;
  trailingDelta?: string;
  icebergQty?: string;
  selfTradePreventionMode?: string;
}

export interface CancelOrderParams {
  symbol?: string;
  orderId?: string;
  origClientOrderId?: string;
  newClientOrderId?: string;
  cancelRestrictions?: string;
}

export interface QueryOrderParams {
  symbol?: string;
  orderId?: string;
  origClientOrderId?: string;
}

export interface CancelReplaceParams extends NewOrderParams {
  cancelReplaceMode?: string;
  cancelOrderId?: string;
  cancelOrigClientOrderId?: string;
  cancelNewClientOrderId?: string;
  cancelRestrictions?: string;
  orderRateLimitExceededMode?: string;
}

export interface AmendKeepPriorityParams {
  symbol?: string;
  orderId?: string;
  origClientOrderId?: string;
  newClientOrderId?: string;
  newQty?: string;
}

export interface AllOrdersParams {
  symbol?: string;
  orderId?: string;
  startTime?: string;
  endTime?: string;
  limit?: string;
}

export interface MyTradesParams {
  symbol?: string;
  orderId?: string;
  startTime?: string;
  endTime?: string;
  fromId?: string;
  limit?: string;
}

// ---------------------------------------------------------------------------------------------------------
// exchangeInfo

export type SymbolFilter =
  | { filterType: "PRICE_FILTER"; minPrice: string; maxPrice: string; tickSize: string }
  | { filterType: "LOT_SIZE"; minQty: string; maxQty: string; stepSize: string }
  | { filterType: "MARKET_LOT_SIZE"; minQty: string; maxQty: string; stepSize: string }
  | { filterType: "ICEBERG_PARTS"; limit: number }
  | {
      filterType: "TRAILING_DELTA";
      minTrailingAboveDelta: number;
      maxTrailingAboveDelta: number;
      minTrailingBelowDelta: number;
      maxTrailingBelowDelta: number;
    }
  | {
      filterType: "PERCENT_PRICE_BY_SIDE";
      bidMultiplierUp: string;
      bidMultiplierDown: string;
      askMultiplierUp: string;
      askMultiplierDown: string;
      avgPriceMins: number;
    }
  | { filterType: "PERCENT_PRICE"; multiplierUp: string; multiplierDown: string; avgPriceMins: number }
  | {
      filterType: "NOTIONAL";
      minNotional: string;
      applyMinToMarket: boolean;
      maxNotional: string;
      applyMaxToMarket: boolean;
      avgPriceMins: number;
    }
  | { filterType: "MIN_NOTIONAL"; minNotional: string; applyToMarket: boolean; avgPriceMins: number }
  | { filterType: "MAX_NUM_ORDERS"; maxNumOrders: number }
  | { filterType: "MAX_NUM_ALGO_ORDERS"; maxNumAlgoOrders: number }
  | { filterType: "MAX_NUM_ORDER_AMENDS"; maxNumOrderAmends: number }
  | { filterType: "MAX_NUM_ORDER_LISTS"; maxNumOrderLists: number };

export type ExchangeFilter =
  | { filterType: "EXCHANGE_MAX_NUM_ORDERS"; maxNumOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ALGO_ORDERS"; maxNumAlgoOrders: number };

export interface SymbolInfo {
  symbol: string;
  status: SymbolStatus;
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
  otoAllowed: boolean;
  opoAllowed: boolean;
  quoteOrderQtyMarketAllowed: boolean;
  allowTrailingStop: boolean;
  cancelReplaceAllowed: boolean;
  amendAllowed: boolean;
  pegInstructionsAllowed: boolean;
  isSpotTradingAllowed: boolean;
  isMarginTradingAllowed: boolean;
  filters: SymbolFilter[];
  permissions: string[];
  permissionSets: string[][];
  defaultSelfTradePreventionMode: SelfTradePreventionMode;
  allowedSelfTradePreventionModes: SelfTradePreventionMode[];
}

export interface RateLimitInfo {
  rateLimitType: "REQUEST_WEIGHT" | "ORDERS" | "RAW_REQUESTS";
  interval: "SECOND" | "MINUTE" | "DAY";
  intervalNum: number;
  limit: number;
}

export interface ExchangeInfoResponse {
  timezone: "UTC";
  serverTime: number;
  rateLimits: RateLimitInfo[];
  exchangeFilters: ExchangeFilter[];
  symbols: SymbolInfo[];
}

// ---------------------------------------------------------------------------------------------------------
// Market data

export type PriceLevel = [price: string, qty: string];

export interface DepthResponse {
  lastUpdateId: number;
  bids: PriceLevel[];
  asks: PriceLevel[];
}

export interface BookTickerResponse {
  symbol: string;
  bidPrice: string;
  bidQty: string;
  askPrice: string;
  askQty: string;
}

export interface RecentTrade {
  id: number;
  price: string;
  qty: string;
  quoteQty: string;
  time: number;
  isBuyerMaker: boolean;
  isBestMatch: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Orders

export interface NewOrderAck {
  symbol: string;
  orderId: number;
  orderListId: -1;
  clientOrderId: string;
  transactTime: number;
}

export interface NewOrderResult extends NewOrderAck {
  price: string;
  origQty: string;
  executedQty: string;
  origQuoteOrderQty: string;
  cummulativeQuoteQty: string;
  status: OrderStatus;
  timeInForce: TimeInForce;
  type: OrderType;
  side: OrderSide;
  workingTime: number;
  selfTradePreventionMode: SelfTradePreventionMode;
}

export interface Fill {
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string;
  tradeId: number;
}

export interface NewOrderFull extends NewOrderResult {
  fills: Fill[];
}

export type NewOrderResponse = NewOrderAck | NewOrderResult | NewOrderFull;

export interface CancelOrderResponse {
  symbol: string;
  origClientOrderId: string;
  orderId: number;
  orderListId: -1;
  clientOrderId: string;
  transactTime: number;
  price: string;
  origQty: string;
  executedQty: string;
  origQuoteOrderQty: string;
  cummulativeQuoteQty: string;
  status: OrderStatus;
  timeInForce: TimeInForce;
  type: OrderType;
  side: OrderSide;
  selfTradePreventionMode: SelfTradePreventionMode;
}

/** GET /api/v3/order and each element of GET /api/v3/openOrders. */
export interface QueryOrderResponse {
  symbol: string;
  orderId: number;
  orderListId: -1;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: OrderStatus;
  timeInForce: TimeInForce;
  type: OrderType;
  side: OrderSide;
  stopPrice: string;
  icebergQty: string;
  time: number;
  updateTime: number;
  isWorking: boolean;
  workingTime: number;
  origQuoteOrderQty: string;
  selfTradePreventionMode: SelfTradePreventionMode;
}

export interface ErrorBody {
  code: number;
  msg: string;
}

export interface CancelReplaceSuccess {
  cancelResult: "SUCCESS";
  newOrderResult: "SUCCESS";
  cancelResponse: CancelOrderResponse;
  newOrderResponse: NewOrderResponse;
}

/** The `data` of a 400 -2022 or 409 -2021 cancelReplace error. */
export interface CancelReplaceFailureData {
  cancelResult: "SUCCESS" | "FAILURE";
  newOrderResult: "SUCCESS" | "FAILURE" | "NOT_ATTEMPTED";
  cancelResponse: CancelOrderResponse | ErrorBody;
  newOrderResponse: NewOrderResponse | ErrorBody | null;
}

/** PUT /api/v3/order/amend/keepPriority; note the field names differ from other order responses. */
export interface AmendKeepPriorityResponse {
  transactTime: number;
  executionId: number;
  amendedOrder: {
    symbol: string;
    orderId: number;
    orderListId: -1;
    origClientOrderId: string;
    clientOrderId: string;
    price: string;
    qty: string;
    executedQty: string;
    preventedQty: string;
    quoteOrderQty: string;
    cumulativeQuoteQty: string;
    status: OrderStatus;
    timeInForce: TimeInForce;
    type: OrderType;
    side: OrderSide;
    workingTime: number;
    selfTradePreventionMode: SelfTradePreventionMode;
  };
}

export interface MyTrade {
  symbol: string;
  id: number;
  orderId: number;
  orderListId: -1;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
  isBestMatch: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Accounts

export interface AccountSetup {
  apiKey: string;
  /** HMAC secret (or public key for RSA/Ed25519), kept only so the server can verify signatures. */
  secret: string;
  /** Initial free balances, e.g. { USDT: "1000000", BTC: "10" }. */
  balances: Readonly<Record<string, string>>;
  /** Commission rates as decimal strings; default maker 0.001, taker 0.001. */
  commission?: { maker?: string; taker?: string };
  uid?: number;
  canTrade?: boolean;
}

export interface AccountCredentials {
  accountId: AccountId;
  apiKey: string;
  secret: string;
}

export interface Balance {
  asset: string;
  free: string;
  locked: string;
}

export interface AccountResponse {
  makerCommission: number;
  takerCommission: number;
  buyerCommission: number;
  sellerCommission: number;
  commissionRates: { maker: string; taker: string; buyer: string; seller: string };
  canTrade: boolean;
  canWithdraw: boolean;
  canDeposit: boolean;
  brokered: boolean;
  requireSelfTradePrevention: boolean;
  preventSor: boolean;
  updateTime: number;
  accountType: "SPOT";
  balances: Balance[];
  permissions: ["SPOT"];
  uid: number;
}

// ---------------------------------------------------------------------------------------------------------
// Market stream payloads (raw, unwrapped; the server adds {"stream","data"} for combined connections)

export interface TradeEvent {
  e: "trade";
  E: number;
  s: string;
  t: number;
  p: string;
  q: string;
  T: number;
  m: boolean;
  M: boolean;
}

export interface AggTradeEvent {
  e: "aggTrade";
  E: number;
  s: string;
  a: number;
  p: string;
  q: string;
  f: number;
  l: number;
  T: number;
  m: boolean;
  M: boolean;
}

/** No `e`/`E` on the real stream; `u` is in the same id space as depthUpdate's U/u and depth's lastUpdateId. */
export interface BookTickerEvent {
  u: number;
  s: string;
  b: string;
  B: string;
  a: string;
  A: string;
}

export interface DepthUpdateEvent {
  e: "depthUpdate";
  E: number;
  s: string;
  U: number;
  u: number;
  b: PriceLevel[];
  a: PriceLevel[];
}

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

export interface ExecutionReportEvent {
  e: "executionReport";
  E: number;
  s: string;
  c: string;
  S: OrderSide;
  o: OrderType;
  f: TimeInForce;
  q: string;
  p: string;
  P: string;
  F: string;
  g: -1;
  C: string;
  x: ExecutionType;
  X: OrderStatus;
  r: string;
  i: number;
  l: string;
  z: string;
  L: string;
  n: string;
  N: string | null;
  T: number;
  t: number;
  I: number;
  w: boolean;
  m: boolean;
  M: boolean;
  O: number;
  Z: string;
  Y: string;
  Q: string;
  W: number;
  V: SelfTradePreventionMode;
}

export interface OutboundAccountPositionEvent {
  e: "outboundAccountPosition";
  E: number;
  u: number;
  B: { a: string; f: string; l: string }[];
}

export interface BalanceUpdateEvent {
  e: "balanceUpdate";
  E: number;
  a: string;
  d: string;
  T: number;
}

/**
 * Delivered synchronously when the action completes, before the call that caused it returns (a transport that
 * must answer the request first buffers them). Emitted in Binance's order: for an order action every executionReport of that action
 * (NEW, then each TRADE; or CANCELED / EXPIRED) followed by one outboundAccountPosition with the changed
 * assets. A deposit emits balanceUpdate then outboundAccountPosition.
 */
export type UserEvent = ExecutionReportEvent | OutboundAccountPositionEvent | BalanceUpdateEvent;

export type Unsubscribe = () => void;

// ---------------------------------------------------------------------------------------------------------
// The exchange surface

export interface Venue {
  readonly clock: Clock;

  // Reference data and market data (security NONE)
  exchangeInfo(params?: ExchangeInfoParams): ExchangeInfoResponse;
  /** `limit` as received (default 100, max 5000). */
  depth(symbol: string | undefined, limit?: string): DepthResponse;
  /** `?symbol=X`. */
  bookTicker(symbol: string | undefined): BookTickerResponse;
  /** No symbol (every symbol) or `?symbols=[...]`. */
  bookTickers(symbols?: readonly string[]): BookTickerResponse[];
  /** `limit` as received (default 500, max 1000). */
  recentTrades(symbol: string | undefined, limit?: string): RecentTrade[];

  // Accounts
  createAccount(setup: AccountSetup): AccountCredentials;
  /** The credentials for an API key, or undefined (the server then answers -2015 / -2014). */
  accountByApiKey(apiKey: string): AccountCredentials | undefined;
  account(accountId: AccountId, omitZeroBalances?: boolean): AccountResponse;
  /** Credits (or debits, if negative) a free balance; emits balanceUpdate + outboundAccountPosition. */
  adjustBalance(accountId: AccountId, asset: string, delta: string): void;

  // Trading (security TRADE / USER_DATA)
  placeOrder(accountId: AccountId, params: NewOrderParams): NewOrderResponse;
  cancelOrder(accountId: AccountId, params: CancelOrderParams): CancelOrderResponse;
  /** Success returns the 200 body; failures throw ExchangeError -2022 (400) / -2021 (409) with `data`.
   * `newOrderRejection` (e.g. the server's -1015) makes the new order fail with that error without trying it. */
  cancelReplace(
    accountId: AccountId,
    params: CancelReplaceParams,
    options?: { newOrderRejection?: ExchangeError },
  ): CancelReplaceSuccess;
  queryOrder(accountId: AccountId, params: QueryOrderParams): QueryOrderResponse;
  /** The account's orders on a symbol, open and retained closed ones (order-history.ts). */
  allOrders(accountId: AccountId, params: AllOrdersParams): QueryOrderResponse[];
  openOrders(accountId: AccountId, symbol?: string): QueryOrderResponse[];
  cancelAllOpenOrders(accountId: AccountId, symbol: string | undefined): CancelOrderResponse[];
  /** Reduces an open order's quantity in place, keeping its queue priority (needs `amendAllowed`). Engine
   * rejections are -2038; reducing to or below the executed quantity expires the order. */
  amendKeepPriority(accountId: AccountId, params: AmendKeepPriorityParams): AmendKeepPriorityResponse;
  myTrades(accountId: AccountId, params: MyTradesParams): MyTrade[];

  // Subscriptions
  onMarketEvent(symbol: string, listener: (event: MarketEvent) => void): Unsubscribe;
  onUserEvent(accountId: AccountId, listener: (event: UserEvent) => void): Unsubscribe;

  // Simulation control
  /** Advances every market model to clock.now(), applies public trades to resting orders and flushes the
   * depth batches whose 100 ms / 1000 ms window has closed. The server calls it on a timer (e.g. every 10 ms). */
  tick(): void;
  /** Placement needs TRADING ("Market is closed." otherwise); cancels are accepted in every status. */
  setSymbolStatus(symbol: string, status: SymbolStatus): void;
  symbols(): readonly string[];
  /** Whether every symbol's public market has played to its end (only finite replays ever do). */
  marketsFinished(): boolean;
  /** The earliest clock time at which `tick()` has something to do (a market step or a depth batch due), for
   * drivers that move a simulated clock from event to event. */
  nextEventTime(): number | undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Construction: `new SimulatedExchange(options)` (src/exchange/simulated-exchange.ts) implements Venue.

/** The constructor ticks once, so synthetic books exist before the first request; a replay that should be
 * seen from its first record by listeners subscribed after construction needs a later `startAt`. */
export interface SimulatedExchangeOptions {
  clock: Clock;
  /** exchangeInfo-shaped symbol definitions; default BTCUSDT, ETHUSDT, BNBUSDT (see instruments.ts). */
  symbols?: readonly SymbolInfo[];
  /** The public market per symbol; a symbol without one gets a SyntheticMarket with that symbol's defaults. */
  markets?: Readonly<Record<string, MarketModel>>;
  /** Exchange-wide filters (default none, like Binance's exchangeInfo today); EXCHANGE_MAX_NUM_ORDERS is enforced. */
  exchangeFilters?: readonly ExchangeFilter[];
  /** Seed for the default synthetic markets (deterministic for a seed). */
  seed?: number;
  /** Whether a resting order waits for the public quantity ahead of it at its price before public trades fill
   * it (default true). */
  queuePosition?: boolean;
  /** Closed orders kept queryable per symbol (default 100,000); older ones answer -2013. */
  retainClosedOrders?: number;
  /** Trades kept per account and symbol for myTrades (default 100,000). */
  retainTrades?: number;
  /** Called when a market or user event listener throws; default rethrows outside the exchange action. */
  onListenerError?: (error: unknown) => void;
  /** The first order id, aggTrade id and execution id of every sequence (default 1). A server passes a time-based
   * base so that a restarted simulator never reuses an id, as Binance never does. */
  idBase?: number;
  /** The first trade id of the exchange's own trades (default 1); left alone for replayed markets, whose
   * recorded trade ids pass through. */
  tradeIdBase?: number;
  /** Where the default synthetic markets start, per symbol (a restarted simulator resumes at its last price). */
  startPrices?: Readonly<Record<string, string>>;
}
