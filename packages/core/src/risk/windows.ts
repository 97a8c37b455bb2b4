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

  /** Drops points from the back while `drop` holds, then appends. */
  pushAfterDropping(point: PricePoint, drop: (last: PricePoint) => boolean): void {
    while (this.length > 0 && drop(this.items[this.items.length - 1] as PricePoint)) this.items.pop();
    this.items.push(point);
  }

  shiftWhile(expired: (p: PricePoint) => boolean): void {
    while (this.length > 0 && expired(this.items[this.head] as PricePoint)) this.head++;
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

  constructor(private readonly windowMs: number) {}

  record(time: number, price: Decimal): void {
    const point = { time, price };
    this.maxQueue.pushAfterDropping(point, (last) => last.price.lte(price));
    this.minQueue.pushAfterDropping(point, (last) => last.price.gte(price));
  }

  move(now: number): number {
    const cutoff = now - this.windowMs;
    const expired = (p: PricePoint) => p.time <= cutoff;
    this.maxQueue.shiftWhile(expired);
    this.minQueue.shiftWhile(expired);
    const max = this.maxQueue.first;
    const min = this.minQueue.first;
    if (!max || !min) return 0;
    return max.price.minus(min.price).div(min.price).toNumber();
  }
}
