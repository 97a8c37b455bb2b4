/**
 * Wire shapes exactly as Binance sends them (decimals as strings, times as epoch ms numbers). Parsers in
 * parse.ts turn these into the domain values in types.ts; nothing outside this package should need them,
 * except a simulator that must produce them.
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
  balances: { asset: string; free: string; locked: string }[];
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
