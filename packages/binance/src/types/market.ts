// Public market data: price levels, the depth snapshot, the book ticker, recent trades.
import type Decimal from "decimal.js";

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

/** One public trade from GET /api/v3/trades (`time` is the exchange's trade time). */
export interface RecentTrade {
  id: number;
  price: Decimal;
  qty: Decimal;
  quoteQty: Decimal;
  time: number;
  isBuyerMaker: boolean;
}
