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

/**
 * Largest relative move of a price over a sliding window: (max - min) / min of the prices seen in the window,
 * with monotonic queues so each update is O(1) amortised.
 */
export class PriceMoveWindow {
  private readonly maxQueue: { time: number; price: Decimal }[] = [];
  private readonly minQueue: { time: number; price: Decimal }[] = [];

  constructor(private readonly windowMs: number) {}

  record(time: number, price: Decimal): void {
    while (this.maxQueue.length > 0 && (this.maxQueue.at(-1) as { price: Decimal }).price.lte(price)) this.maxQueue.pop();
    while (this.minQueue.length > 0 && (this.minQueue.at(-1) as { price: Decimal }).price.gte(price)) this.minQueue.pop();
    this.maxQueue.push({ time, price });
    this.minQueue.push({ time, price });
  }

  move(now: number): number {
    const cutoff = now - this.windowMs;
    while (this.maxQueue.length > 1 && (this.maxQueue[0] as { time: number }).time <= cutoff) this.maxQueue.shift();
    while (this.minQueue.length > 1 && (this.minQueue[0] as { time: number }).time <= cutoff) this.minQueue.shift();
    const max = this.maxQueue[0];
    const min = this.minQueue[0];
    if (!max || !min || max.time <= cutoff || min.time <= cutoff) return 0;
    return max.price.minus(min.price).div(min.price).toNumber();
  }
}
