import type { MarketTrade } from "../pricing/market-data";

/** How busy the tape is over the last minute: the liquidity half of fill avoidance's inputs. */
export interface TradeActivity {
  /** Public prints per minute over the last minute (or since the first event seen, if sooner). */
  readonly printsPerMinute: number;
  /** Mean notional (price x quantity, quote units) of those prints; 0 with none. */
  readonly meanPrintNotional: number;
}

const WINDOW_MS = 60_000;

/**
 * Counts public prints and their notional over a sliding minute. Plain numbers: a statistical estimate that only
 * shapes the quote distance. Before a full minute has passed, rates are over the time observed so far (at least a
 * second), so a liquid pair is recognised within its first second.
 */
export class TradeActivityEstimator {
  private readonly times: number[] = [];
  private readonly notionals: number[] = [];
  private head = 0;
  private sum = 0;
  private since: number | null = null;

  /** The first moment this view saw anything (a book or a trade): rates are measured from here. */
  observe(time: number): void {
    this.since ??= time;
  }

  onTrade(trade: MarketTrade): void {
    this.observe(trade.time);
    const notional = trade.price.toNumber() * trade.qty.toNumber();
    if (!(notional > 0)) return;
    this.times.push(trade.time);
    this.notionals.push(notional);
    this.sum += notional;
    this.evict(trade.time);
  }

  at(now: number): TradeActivity {
    this.evict(now);
    const count = this.times.length - this.head;
    const observedMs = this.since === null ? 0 : Math.min(WINDOW_MS, Math.max(1_000, now - this.since));
    if (observedMs === 0) return { printsPerMinute: 0, meanPrintNotional: 0 };
    return { printsPerMinute: (count * 60_000) / observedMs, meanPrintNotional: count === 0 ? 0 : this.sum / count };
  }

  private evict(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - WINDOW_MS) {
      this.sum -= this.notionals[this.head] as number;
      this.head++;
    }
    if (this.head === this.times.length) this.sum = 0;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.notionals.splice(0, this.head);
      this.head = 0;
    }
  }
}
