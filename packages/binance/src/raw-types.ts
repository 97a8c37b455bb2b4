/**
 * Wire shapes exactly as Binance sends them (decimals as strings, times as epoch ms numbers). Parsers in
 * parse.ts turn these into the domain values in types.ts; nothing outside this package should need them,
 * except the simulator, which builds its responses and events from them (packages/exchange-sim's
 * src/exchange/venue.ts): a field named here that it does not send is a compile error there. Add a field here
 * when the client starts to read it.
 */

export interface RawApiErrorBody {
  code: number;
  msg: string;
  data?: unknown;
}

export type RawPriceLevel = [price: string, qty: string];

export interface RawDepthSnapshot {
  lastUpdateId: number;
  bids: RawPriceLevel[];
  asks: RawPriceLevel[];
}

export interface RawBookTicker {
  symbol: string;
  bidPrice: string;
  bidQty: string;
  askPrice: string;
  askQty: string;
}

/** GET /api/v3/trades. */
export interface RawRecentTrade {
  id: number;
  price: string;
  qty: string;
  quoteQty: string;
  time: number;
  isBuyerMaker: boolean;
  isBestMatch: boolean;
}

/** GET /api/v3/aggTrades; the aggTrade stream adds e, E and s. */
export interface RawAggTrade {
  a: number;
  p: string;
  q: string;
  f: number;
  l: number;
  T: number;
  m: boolean;
  M: boolean;
}

/** GET /api/v3/klines: one interval as an array. */
export type RawKline = [
  openTime: number,
  open: string,
  high: string,
  low: string,
  close: string,
  volume: string,
  closeTime: number,
  quoteVolume: string,
  count: number,
  takerBuyVolume: string,
  takerBuyQuoteVolume: string,
  unused: string,
];

/** GET /api/v3/ticker/24hr (type FULL). */
export interface RawTicker24h {
  symbol: string;
  priceChange: string;
  priceChangePercent: string;
  weightedAvgPrice: string;
  prevClosePrice: string;
  lastPrice: string;
  lastQty: string;
  bidPrice: string;
  bidQty: string;
  askPrice: string;
  askQty: string;
  openPrice: string;
  highPrice: string;
  lowPrice: string;
  volume: string;
  quoteVolume: string;
  openTime: number;
  closeTime: number;
  firstId: number;
  lastId: number;
  count: number;
}

/** GET /api/v3/ticker/24hr with type MINI. */
export type RawMiniTicker24h = Pick<
  RawTicker24h,
  "symbol" | "openPrice" | "highPrice" | "lowPrice" | "lastPrice" | "volume" | "quoteVolume" | "openTime" | "closeTime" | "firstId" | "lastId" | "count"
>;

export interface RawRateLimit {
  rateLimitType: "REQUEST_WEIGHT" | "ORDERS" | "RAW_REQUESTS" | "CONNECTIONS";
  interval: "SECOND" | "MINUTE" | "HOUR" | "DAY";
  intervalNum: number;
  limit: number;
  count?: number;
}

export interface RawFilter {
  filterType: string;
  [field: string]: string | number | boolean;
}

/** The symbol filters Binance documents, each with its fields (RawFilter is the loose form any of them fits). */
export type RawSymbolFilter =
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
  | { filterType: "MAX_NUM_ICEBERG_ORDERS"; maxNumIcebergOrders: number }
  | { filterType: "MAX_POSITION"; maxPosition: string }
  | { filterType: "MAX_NUM_ORDER_AMENDS"; maxNumOrderAmends: number }
  | { filterType: "MAX_NUM_ORDER_LISTS"; maxNumOrderLists: number };

export type RawExchangeFilter =
  | { filterType: "EXCHANGE_MAX_NUM_ORDERS"; maxNumOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ALGO_ORDERS"; maxNumAlgoOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ICEBERG_ORDERS"; maxNumIcebergOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ORDER_LISTS"; maxNumOrderLists: number };

export type RawSelfTradePreventionMode = "NONE" | "EXPIRE_TAKER" | "EXPIRE_MAKER" | "EXPIRE_BOTH" | "DECREMENT";

export interface RawSymbolInfo {
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
  otoAllowed?: boolean;
  opoAllowed?: boolean;
  quoteOrderQtyMarketAllowed: boolean;
  allowTrailingStop: boolean;
  cancelReplaceAllowed: boolean;
  amendAllowed?: boolean;
  pegInstructionsAllowed?: boolean;
  isSpotTradingAllowed: boolean;
  isMarginTradingAllowed: boolean;
  filters: RawFilter[];
  permissions: string[];
  permissionSets?: string[][];
  defaultSelfTradePreventionMode: string;
  allowedSelfTradePreventionModes: string[];
}

export interface RawExchangeInfo {
  timezone: string;
  serverTime: number;
  rateLimits: RawRateLimit[];
  exchangeFilters: RawFilter[];
  symbols: RawSymbolInfo[];
}

export interface RawOrderAck {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  transactTime: number;
}

export interface RawOrderResult extends RawOrderAck {
  price: string;
  origQty: string;
  executedQty: string;
  origQuoteOrderQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  workingTime: number;
  selfTradePreventionMode: string;
}

export interface RawFill {
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string;
  tradeId: number;
}

export interface RawOrderFull extends RawOrderResult {
  fills: RawFill[];
}

export interface RawCanceledOrder {
  symbol: string;
  origClientOrderId: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  transactTime: number;
  price: string;
  origQty: string;
  executedQty: string;
  origQuoteOrderQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  selfTradePreventionMode: string;
}

export interface RawQueriedOrder {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  stopPrice?: string;
  icebergQty?: string;
  time: number;
  updateTime: number;
  isWorking: boolean;
  workingTime: number;
  origQuoteOrderQty: string;
  selfTradePreventionMode: string;
}

export interface RawCancelReplace {
  cancelResult: "SUCCESS" | "FAILURE" | "NOT_ATTEMPTED";
  newOrderResult: "SUCCESS" | "FAILURE" | "NOT_ATTEMPTED";
  cancelResponse: RawCanceledOrder | RawApiErrorBody | null;
  newOrderResponse: RawOrderAck | RawOrderResult | RawOrderFull | RawApiErrorBody | null;
}

/** PUT /api/v3/order/amend/keepPriority; the order's field names differ from other order responses. */
export interface RawAmendKeepPriority {
  transactTime: number;
  executionId: number;
  amendedOrder: RawAmendedOrder;
}

export interface RawAmendedOrder {
  symbol: string;
  orderId: number;
  orderListId: number;
  origClientOrderId: string;
  clientOrderId: string;
  price: string;
  qty: string;
  executedQty: string;
  preventedQty: string;
  quoteOrderQty: string;
  cumulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  workingTime: number;
  selfTradePreventionMode: string;
}

export interface RawBalance {
  asset: string;
  free: string;
  locked: string;
}

export interface RawAccount {
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
  accountType: string;
  balances: RawBalance[];
  permissions: string[];
  uid: number;
}

export interface RawMyTrade {
  symbol: string;
  id: number;
  orderId: number;
  orderListId: number;
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

/** Market stream events (inside the combined-stream wrapper `{stream, data}`). */
export interface RawTradeEvent {
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

export interface RawAggTradeEvent extends RawAggTrade {
  e: "aggTrade";
  E: number;
  s: string;
}

/** No `e`/`E` on the real stream; `u` is in the same id space as depthUpdate's U/u and depth's lastUpdateId. */
export interface RawBookTickerEvent {
  u: number;
  s: string;
  b: string;
  B: string;
  a: string;
  A: string;
}

export interface RawDepthUpdateEvent {
  e: "depthUpdate";
  E: number;
  s: string;
  U: number;
  u: number;
  b: RawPriceLevel[];
  a: RawPriceLevel[];
}

export interface RawCombinedStreamMessage {
  stream: string;
  data: unknown;
}

/** User data events (inside `RawUserDataEnvelope.event`). */
export interface RawExecutionReportEvent {
  e: "executionReport";
  E: number;
  s: string;
  c: string;
  S: string;
  o: string;
  f: string;
  q: string;
  p: string;
  P: string;
  F: string;
  g: number;
  C: string;
  x: string;
  X: string;
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
  W?: number;
  V: string;
  /** Set when self-trade prevention expired the order. */
  v?: number;
  /** Why the order expired, when it did. */
  eR?: string;
}

export interface RawOutboundAccountPositionEvent {
  e: "outboundAccountPosition";
  E: number;
  u: number;
  B: { a: string; f: string; l: string }[];
}

export interface RawBalanceUpdateEvent {
  e: "balanceUpdate";
  E: number;
  a: string;
  d: string;
  T: number;
}

/** WebSocket API framing. */
export interface RawWsApiRequest {
  id: string | number;
  method: string;
  params?: Record<string, string | number | boolean>;
}

export interface RawWsApiResponse {
  id: string | number | null;
  status: number;
  result?: unknown;
  error?: RawApiErrorBody;
  rateLimits?: RawRateLimit[];
}

export interface RawUserDataEnvelope {
  subscriptionId?: number;
  event: { e: string; [field: string]: unknown };
}
