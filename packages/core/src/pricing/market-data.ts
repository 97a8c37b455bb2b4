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
