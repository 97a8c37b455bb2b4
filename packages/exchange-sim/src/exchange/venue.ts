import type { Clock as BinanceClock } from "@bandkeeper/binance";
import type { MarketModel } from "../market/model";
import type {
  AccountResponse,
  AmendKeepPriorityResponse,
  BookTickerResponse,
  CancelOrderResponse,
  CancelReplaceFailureData,
  CancelReplaceSuccess,
  DepthResponse,
  ExchangeFilter,
  ExchangeInfoResponse,
  MarketEvent,
  MyTrade,
  NewOrderResponse,
  QueryOrderResponse,
  RecentTrade,
  SymbolInfo,
  SymbolStatus,
  UserEvent,
} from "./wire-types";

export type * from "./wire-types";

// The contract between the transport (src/server) and the transport-free exchange core.
// Requests arrive as the strings the client sent; results are the client's own wire types (wire-types.ts over
// @bandkeeper/binance/raw-types), so the server only serialises them; failures are ExchangeError carrying
// Binance's code, message and HTTP status. Transport-level parameters (timestamp, recvWindow, signature, apiKey)
// are checked and stripped by the server before it calls the core.

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
