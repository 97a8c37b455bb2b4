import type { MarketTrade } from "../pricing/market-data";
import type { Side } from "../side";

export interface SweepSettings {
  readonly windowMs: number;
  /** Move in the aggressors' direction over the window, as a fraction of the first price. */
  readonly minMove: number;
  /** Share of the window's quantity that one aggressor side must take. */
  readonly minAggressorShare: number;
}

export interface SweepSignal {
  /** The side of our quotes the sweep is heading to: BUY when sellers hit bids down, SELL when buyers lift asks. */
  readonly threatenedSide: Side | null;
  /** Signed price change over the window as a fraction (negative = down). */
  readonly move: number;
  /** Share of the quantity taken by the dominant aggressor side. */
  readonly aggressorShare: number;
}

export const NO_SWEEP: SweepSignal = Object.freeze({ threatenedSide: null, move: 0, aggressorShare: 0 });

interface WindowTrade {
  readonly time: number;
  readonly price: number;
  readonly qty: number;
  readonly sellerAggressor: boolean;
}

/** Detects one-sided aggression that moves the price toward one of our sides within a short window. */
export class SweepDetector {
  private readonly trades: WindowTrade[] = [];
  private head = 0;
  private buyQty = 0;
  private sellQty = 0;

  constructor(private readonly settings: SweepSettings) {}

  onTrade(trade: MarketTrade): void {
    const qty = trade.qty.toNumber();
    const sellerAggressor = trade.isBuyerMaker === true;
    this.trades.push({ time: trade.time, price: trade.price.toNumber(), qty, sellerAggressor });
    if (sellerAggressor) this.sellQty += qty;
    else this.buyQty += qty;
    this.evict(trade.time);
  }

  signal(now: number): SweepSignal {
    this.evict(now);
    const first = this.trades[this.head];
    const last = this.trades.at(-1);
    const total = this.buyQty + this.sellQty;
    if (!first || !last || total <= 0) return NO_SWEEP;
    const move = (last.price - first.price) / first.price;
    const sellShare = this.sellQty / total;
    const sellersLead = sellShare >= 0.5;
    const aggressorShare = sellersLead ? sellShare : 1 - sellShare;
    const towardUs = sellersLead ? move <= -this.settings.minMove : move >= this.settings.minMove;
    const threatenedSide: Side | null =
      towardUs && aggressorShare >= this.settings.minAggressorShare ? (sellersLead ? "BUY" : "SELL") : null;
    return { threatenedSide, move, aggressorShare };
  }

  private evict(now: number): void {
    while (this.head < this.trades.length && (this.trades[this.head] as WindowTrade).time <= now - this.settings.windowMs) {
      const t = this.trades[this.head] as WindowTrade;
      if (t.sellerAggressor) this.sellQty -= t.qty;
      else this.buyQty -= t.qty;
      this.head++;
    }
    if (this.head === this.trades.length) {
      this.buyQty = 0;
      this.sellQty = 0;
    }
    if (this.head > 1024 && this.head * 2 > this.trades.length) {
      this.trades.splice(0, this.head);
      this.head = 0;
    }
  }
}
