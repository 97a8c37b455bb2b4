import { Decimal } from "../money/decimal";
import type { ReferenceMethod } from "../config/bot-config";
import type { BookTop, MarketTrade } from "./market-data";

/**
 * Running sums keep every digit so that adding a trade and later removing it cancels exactly (no drift). Results
 * are divided at the default 20 significant digits, so R stays short and cheap to compute with downstream.
 */
const Exact = Decimal.clone({ precision: 64 });
type Exact = InstanceType<typeof Exact>;
const ZERO = new Exact(0);

export interface ReferencePriceSettings {
  readonly method: ReferenceMethod;
  /** How many of the latest trades the trade-based methods use. */
  readonly trades: number;
  /** When set, trades older than now - windowMs leave the window as well. */
  readonly windowMs?: number | undefined;
  readonly twapWeight: number;
  /** The trades' weight against the book halves every this many ms of their age (see the class comment). */
  readonly tradeHalfLifeMs: number;
  /** Trades whose age exceeds this carry no weight at all: the reference is the book's. */
  readonly tradeStaleAfterMs: number;
  readonly outlierThreshold: number;
}

export type ReferenceUnavailable = "NO_DATA" | "CROSSED_BOOK";

/** The trades' weight is rounded to this many steps, so a slowly ageing window does not move R on every tick. */
const WEIGHT_STEPS = 64;

export type ReferencePrice =
  | { readonly ok: true; readonly price: Decimal; readonly method: ReferenceMethod; readonly time: number }
  | { readonly ok: false; readonly state: ReferenceUnavailable; readonly reason: string; readonly time: number };

/**
 * Reference price from trades and book tops, updated in O(1) per event.
 *
 * Over the retained trades p_0..p_{n-1} at local times t_0 <= ... <= t_{n-1} (the last `trades` trades, and
 * with `windowMs` only those at or after now - windowMs):
 * - VWAP = sum(p_i x q_i) / sum(q_i).
 * - TWAP weights each price by how long it stood: p_i from t_i until the next trade t_{i+1}, the last price from
 *   t_{n-1} until now. With a window, the price of the last trade that left the window is counted from the
 *   window start until t_0 (unless the count limit dropped trades inside the window: then it starts at t_0):
 *   TWAP = [sum_{i<n-1} p_i (t_{i+1} - t_i) + p_{n-1} (now - t_{n-1}) + p_carry (t_0 - windowStart)] / (now - start).
 *   With no elapsed time (a single trade at now) the TWAP is the last price.
 * - HYBRID = twapWeight x TWAP + (1 - twapWeight) x VWAP.
 * - MID = (bid + ask) / 2; MICROPRICE = (bid x askQty + ask x bidQty) / (bidQty + askQty).
 * - Sparse trades: a trade-based price describes the market around the middle of its window, so it ages with
 *   the window. With age a = (now - t_0) / 2 (t_0 the oldest retained trade), the trades weigh
 *   w = 2^(-a / tradeHalfLifeMs) (rounded to 1/64; 0 once the newest trade is older than tradeStaleAfterMs) and
 *   R = w x trades + (1 - w) x mid. On a liquid pair the window spans seconds and w rounds to about 1; on a pair
 *   with a print every few seconds or minutes the book's mid takes over, so R follows the market between prints
 *   and the first quotes need no trade at all.
 * Guards: a trade farther than outlierThreshold from the book's mid is ignored; the reference is unavailable
 * without a book (every method, since quoting checks the touch against it) or with a crossed one. Whether the
 * book is current is not judged here from its age (a quiet market keeps its book for hours): the host judges the
 * market-data connection and tells the bot (FeedStatus).
 */
export class ReferencePriceEngine {
  private readonly prices: Exact[];
  private readonly qtys: Exact[];
  private readonly times: number[];
  private head = 0;
  private size = 0;
  private sumPriceQty = ZERO;
  private sumQty = ZERO;
  /** sum over consecutive retained trades of p_i x (t_{i+1} - t_i). */
  private sumPriceTime = ZERO;
  /** The newest trade that left the buffer: its price stood at the window start if it left by age. */
  private evicted: { price: Exact; time: number } | null = null;
  private book: BookTop | null = null;
  private ignored = 0;

  constructor(private readonly settings: ReferencePriceSettings) {
    if (!Number.isInteger(settings.trades) || settings.trades < 1) throw new RangeError("trades must be a positive integer");
    this.prices = new Array<Exact>(settings.trades);
    this.qtys = new Array<Exact>(settings.trades);
    this.times = new Array<number>(settings.trades);
  }

  /** Trades ignored by the outlier guard so far. */
  get ignoredTrades(): number {
    return this.ignored;
  }

  get tradeCount(): number {
    return this.size;
  }

  onBookTop(top: BookTop): void {
    this.book = top;
  }

  /** Returns false when the trade was ignored (outlier, zero quantity or older than the latest trade). */
  onTrade(trade: MarketTrade): boolean {
    if (!trade.qty.gt(0) || !trade.price.gt(0)) return false;
    if (this.size > 0 && trade.time < this.lastTime()) return false;
    const mid = this.book && this.book.bidPrice.lt(this.book.askPrice) ? this.mid() : null;
    if (mid && trade.price.minus(mid).abs().div(mid).gt(this.settings.outlierThreshold)) {
      this.ignored++;
      return false;
    }
    this.evictExpired(trade.time);
    if (this.size === this.settings.trades) this.evictOldest();
    const price = new Exact(trade.price);
    const qty = new Exact(trade.qty);
    if (this.size > 0) {
      this.sumPriceTime = this.sumPriceTime.plus(this.lastPrice().times(trade.time - this.lastTime()));
    }
    const slot = (this.head + this.size) % this.settings.trades;
    this.prices[slot] = price;
    this.qtys[slot] = qty;
    this.times[slot] = trade.time;
    this.size++;
    this.sumPriceQty = this.sumPriceQty.plus(price.times(qty));
    this.sumQty = this.sumQty.plus(qty);
    return true;
  }

  mid(): Decimal | null {
    const b = this.book;
    return b ? new Decimal(b.bidPrice.plus(b.askPrice).div(2)) : null;
  }

  microprice(): Decimal | null {
    const b = this.book;
    if (!b) return null;
    const depth = b.bidQty.plus(b.askQty);
    if (depth.isZero()) return this.mid();
    return b.bidPrice.times(b.askQty).plus(b.askPrice.times(b.bidQty)).div(depth);
  }

  vwap(now: number): Decimal | null {
    this.evictExpired(now);
    return this.size === 0 ? null : new Decimal(this.sumPriceQty).div(new Decimal(this.sumQty));
  }

  twap(now: number): Decimal | null {
    this.evictExpired(now);
    if (this.size === 0) return null;
    const end = Math.max(now, this.lastTime());
    const first = this.times[this.head] as number;
    const windowStart = this.settings.windowMs === undefined ? first : end - this.settings.windowMs;
    const carry = this.evicted;
    let numerator = this.sumPriceTime.plus(this.lastPrice().times(end - this.lastTime()));
    let start = first;
    // A carry newer than the window start means the count limit cut into the window: measure from t_0 then.
    if (carry && carry.time < windowStart && windowStart < first) {
      numerator = numerator.plus(carry.price.times(first - windowStart));
      start = windowStart;
    }
    const elapsed = end - start;
    return elapsed <= 0 ? new Decimal(this.lastPrice()) : new Decimal(numerator).div(elapsed);
  }

  reference(now: number): ReferencePrice {
    const unavailable = (state: ReferenceUnavailable, reason: string): ReferencePrice => ({ ok: false, state, reason, time: now });
    const { method } = this.settings;
    const b = this.book;
    if (!b) return unavailable("NO_DATA", "no book data yet");
    if (b.bidPrice.gte(b.askPrice)) return unavailable("CROSSED_BOOK", `bid ${b.bidPrice.toFixed()} >= ask ${b.askPrice.toFixed()}`);
    if (method === "MICROPRICE") return { ok: true, price: this.microprice() as Decimal, method, time: now };
    const mid = this.mid() as Decimal;
    if (method === "MID") return { ok: true, price: mid, method, time: now };
    const weight = this.tradeWeight(now);
    if (weight === 0) return { ok: true, price: mid, method, time: now };
    const twap = this.twap(now) as Decimal;
    const vwap = this.vwap(now) as Decimal;
    const w = this.settings.twapWeight;
    const trades = method === "TWAP" ? twap : method === "VWAP" ? vwap : twap.times(w).plus(vwap.times(1 - w));
    const price = weight === 1 ? trades : trades.times(weight).plus(mid.times(1 - weight));
    return { ok: true, price, method, time: now };
  }

  /** How much the retained trades weigh against the book's mid at `now` (see the class comment). */
  tradeWeight(now: number): number {
    this.evictExpired(now);
    if (this.size === 0 || now - this.lastTime() > this.settings.tradeStaleAfterMs) return 0;
    const age = Math.max(0, now - (this.times[this.head] as number)) / 2;
    return Math.round(WEIGHT_STEPS * 2 ** (-age / this.settings.tradeHalfLifeMs)) / WEIGHT_STEPS;
  }

  private lastIndex(): number {
    return (this.head + this.size - 1) % this.settings.trades;
  }

  private lastTime(): number {
    return this.times[this.lastIndex()] as number;
  }

  private lastPrice(): Exact {
    return this.prices[this.lastIndex()] as Exact;
  }

  private evictExpired(now: number): void {
    const windowMs = this.settings.windowMs;
    if (windowMs === undefined) return;
    while (this.size > 0 && (this.times[this.head] as number) < now - windowMs) this.evictOldest();
  }

  private evictOldest(): void {
    const i = this.head;
    const price = this.prices[i] as Exact;
    const qty = this.qtys[i] as Exact;
    this.sumPriceQty = this.sumPriceQty.minus(price.times(qty));
    this.sumQty = this.sumQty.minus(qty);
    if (this.size > 1) {
      const next = (i + 1) % this.settings.trades;
      this.sumPriceTime = this.sumPriceTime.minus(price.times((this.times[next] as number) - (this.times[i] as number)));
    } else {
      this.sumPriceTime = ZERO;
    }
    this.evicted = { price, time: this.times[i] as number };
    this.head = (i + 1) % this.settings.trades;
    this.size--;
  }
}
