import type { Decimal } from "../money/decimal";

/** Events counted over a sliding window, e.g. orders sent in the last 10 s. O(1) amortised. */
export class SlidingCounter {
  private readonly times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  record(time: number): void {
    this.times.push(time);
  }

  count(now: number): number {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - this.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
}

interface PricePoint {
  readonly time: number;
  readonly price: Decimal;
}

/** A deque over an array with a moving head, compacted now and then. */
class PointQueue {
  private readonly items: PricePoint[] = [];
  private head = 0;

  get first(): PricePoint | undefined {
    return this.items[this.head];
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends, first dropping the points at the back that the new one outranks (`keepHigh`: lower or equal prices). */
  pushOutranking(point: PricePoint, keepHigh: boolean): void {
    const items = this.items;
    while (this.length > 0) {
      const last = items[items.length - 1] as PricePoint;
      if (keepHigh ? !last.price.lte(point.price) : !last.price.gte(point.price)) break;
      items.pop();
    }
    items.push(point);
  }

  /** Drops points from the front up to and including time `cutoff`. */
  dropUntil(cutoff: number): void {
    while (this.length > 0 && (this.items[this.head] as PricePoint).time <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * Largest relative move of a price over a sliding window: (max - min) / min of the prices seen in the window,
 * with monotonic queues so each update is O(1) amortised.
 */
export class PriceMoveWindow {
  private readonly maxQueue = new PointQueue();
  private readonly minQueue = new PointQueue();
  /** The last answer, for the extremes it was computed from: most calls find them unchanged. */
  private last: { max: PricePoint; min: PricePoint; move: number } | null = null;

  constructor(private readonly windowMs: number) {}

  record(time: number, price: Decimal): void {
    const point = { time, price };
    this.maxQueue.pushOutranking(point, true);
    this.minQueue.pushOutranking(point, false);
  }

  move(now: number): number {
    const cutoff = now - this.windowMs;
    this.maxQueue.dropUntil(cutoff);
    this.minQueue.dropUntil(cutoff);
    const max = this.maxQueue.first;
    const min = this.minQueue.first;
    if (!max || !min) return 0;
    if (this.last?.max !== max || this.last.min !== min) {
      this.last = { max, min, move: max.price.minus(min.price).div(min.price).toNumber() };
    }
    return this.last.move;
  }
}
