import type { MarketTrade } from "../pricing/market-data";

/**
 * Realised volatility over a sliding time window: sqrt(sum of squared log returns between consecutive trades),
 * a fraction of price (0.001 = 0.1% typical move over the window). A statistical estimate, so plain numbers;
 * it only becomes a price through the quote distance, which is decimal again.
 */
export class VolatilityEstimator {
  private readonly times: number[] = [];
  private readonly squares: number[] = [];
  private head = 0;
  private sum = 0;
  private lastPrice: number | null = null;

  constructor(private readonly windowMs: number) {
    if (!(windowMs > 0)) throw new RangeError("windowMs must be positive");
  }

  onTrade(trade: MarketTrade): void {
    const price = trade.price.toNumber();
    if (!(price > 0)) return;
    if (this.lastPrice !== null) {
      const r = Math.log(price / this.lastPrice);
      this.times.push(trade.time);
      this.squares.push(r * r);
      this.sum += r * r;
    }
    this.lastPrice = price;
    this.evict(trade.time);
  }

  /** Realised volatility of the returns inside (now - windowMs, now]. */
  volatility(now: number): number {
    this.evict(now);
    return Math.sqrt(Math.max(0, this.sum));
  }

  private evict(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - this.windowMs) {
      this.sum -= this.squares[this.head] as number;
      this.head++;
    }
    if (this.head === this.times.length) this.sum = 0;
    // Compact now and then so the arrays do not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.squares.splice(0, this.head);
      this.head = 0;
    }
  }
}
