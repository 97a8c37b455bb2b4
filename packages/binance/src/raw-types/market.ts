// Market data as REST answers it: depth, book ticker, trades, aggregate trades, klines, 24-hour tickers.

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
