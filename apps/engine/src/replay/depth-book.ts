// The bot's local order book in a replay: the recorded book changes (snapshot and diffs, or a tape's levels) at
// their recorded local receive time, as the live engine's depth book would hold them, and the best levels a side
// as core's BookDepth, delivered when they changed (as the live feed delivers them).
import { Decimal, type BookDepth, type BookLevel, type BookTop } from "@bandkeeper/core";
import type { MarketStep } from "@bandkeeper/exchange-sim/market/model";

/** Levels a side in each BookDepth, as the live engine's market feed delivers them. */
export const DEPTH_LEVELS = 10;

export class DepthBook {
  private readonly bids = new BookSide(true);
  private readonly asks = new BookSide(false);
  private shown = "";

  /** Applies one recorded change; returns the new best levels if they differ from the last returned. */
  apply(step: Omit<MarketStep, "time">, time: number): BookDepth | undefined {
    if (step.reset) {
      this.bids.clear();
      this.asks.clear();
    }
    for (const level of step.levels) (level.side === "bid" ? this.bids : this.asks).set(level.price, level.qty);
    const bids = this.bids.best(DEPTH_LEVELS);
    const asks = this.asks.best(DEPTH_LEVELS);
    const key = `${bids.map(([p, q]) => `${p}:${q}`).join(",")}|${asks.map(([p, q]) => `${p}:${q}`).join(",")}`;
    if (key === this.shown) return undefined;
    this.shown = key;
    return { bids: bids.map(toLevel), asks: asks.map(toLevel), time };
  }

  /** The best level of each side as a book top, or undefined while a side is empty. */
  top(time: number): BookTop | undefined {
    const [bid] = this.bids.best(1);
    const [ask] = this.asks.best(1);
    if (!bid || !ask) return undefined;
    return { bidPrice: new Decimal(bid[0]), bidQty: new Decimal(bid[1]), askPrice: new Decimal(ask[0]), askQty: new Decimal(ask[1]), time };
  }
}

/**
 * One side's levels, kept in price order (best first) as they change: a recorded book is up to 1,000 levels deep
 * and a diff touches a few, so the order is kept by binary insertion rather than found again at every step.
 */
class BookSide {
  private readonly qtyAt = new Map<string, string>();
  /** Prices best first, as numbers beside their text. */
  private readonly values: number[] = [];
  private readonly texts: string[] = [];

  constructor(private readonly highestFirst: boolean) {}

  clear(): void {
    this.qtyAt.clear();
    this.values.length = 0;
    this.texts.length = 0;
  }

  /** A level's absolute quantity; "0" removes it. */
  set(price: string, qty: string): void {
    const known = this.qtyAt.has(price);
    if (Number(qty) === 0) {
      if (!known) return;
      this.qtyAt.delete(price);
      const at = this.texts.indexOf(price, this.position(Number(price)));
      this.values.splice(at, 1);
      this.texts.splice(at, 1);
      return;
    }
    this.qtyAt.set(price, qty);
    if (known) return;
    const value = Number(price);
    const at = this.position(value);
    this.values.splice(at, 0, value);
    this.texts.splice(at, 0, price);
  }

  /** The `count` best levels, best first. */
  best(count: number): [string, string][] {
    const levels: [string, string][] = [];
    for (let i = 0; i < this.texts.length && i < count; i++) {
      const price = this.texts[i] as string;
      levels.push([price, this.qtyAt.get(price) as string]);
    }
    return levels;
  }

  /** The first index whose price is not better than `value`. */
  private position(value: number): number {
    let low = 0;
    let high = this.values.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const other = this.values[mid] as number;
      if (this.highestFirst ? other > value : other < value) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

const toLevel = ([price, qty]: [string, string]): BookLevel => ({ price: new Decimal(price), qty: new Decimal(qty) });
