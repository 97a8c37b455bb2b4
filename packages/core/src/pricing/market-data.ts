import type { Decimal } from "../money/decimal";

/**
 * A public trade. `time` is the local receive time on the injected clock (not the exchange's trade time), so
 * staleness and TWAP weights are measured on the same clock as `now`.
 */
export interface MarketTrade {
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly time: number;
  /** Binance's `m`: true when the buyer was the maker, i.e. a seller took liquidity. */
  readonly isBuyerMaker?: boolean;
}

/** Best bid and ask, from bookTicker or the local order book; `time` is the local receive time. */
export interface BookTop {
  readonly bidPrice: Decimal;
  readonly bidQty: Decimal;
  readonly askPrice: Decimal;
  readonly askQty: Decimal;
  readonly time: number;
}

/** One price level of the local order book (from the documented snapshot + diff procedure). */
export interface BookLevel {
  readonly price: Decimal;
  readonly qty: Decimal;
}

/**
 * The best levels of the local order book, best first on each side, as the engine's depth book holds them; `time`
 * is the local receive time of the update that produced it. The top level equals a BookTop of the same moment.
 */
export interface BookDepth {
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  readonly time: number;
}

/**
 * The health of a symbol's market-data connection, as the host judges it from the connection itself (any message
 * on it, ping/pong, a REST probe of a symbol that has been silent a while), never from how busy the market is: a
 * quiet market on a live connection is LIVE. STALE means the data cannot be trusted (socket silent, resync
 * failing); `reason` says why, for the bot's named state.
 */
export type FeedStatus = { readonly live: true; readonly time: number } | { readonly live: false; readonly reason: string; readonly time: number };
