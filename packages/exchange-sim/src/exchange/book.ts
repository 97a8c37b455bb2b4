import type Decimal from "decimal.js";

import { ZERO } from "./num";
import type { OrderState } from "./order";

/** Sorted set of integer price ticks; binary search for lookups, splice for (rare) level insert/remove. */
export class PriceLadder {
  private readonly ticks: number[] = [];

  get size(): number {
    return this.ticks.length;
  }

  private indexOf(tick: number): number {
    let lo = 0;
    let hi = this.ticks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ticks[mid] as number) < tick) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(tick: number): void {
    const i = this.indexOf(tick);
    if (this.ticks[i] !== tick) this.ticks.splice(i, 0, tick);
  }

  remove(tick: number): void {
    const i = this.indexOf(tick);
    if (this.ticks[i] === tick) this.ticks.splice(i, 1);
  }

  clear(): void {
    this.ticks.length = 0;
  }

  lowest(): number | undefined {
    return this.ticks[0];
  }

  highest(): number | undefined {
    return this.ticks[this.ticks.length - 1];
  }

  /** Ticks from the best outward: descending for bids, ascending for asks. */
  *fromBest(descending: boolean): Generator<number> {
    if (descending) for (let i = this.ticks.length - 1; i >= 0; i--) yield this.ticks[i] as number;
    else for (const tick of this.ticks) yield tick;
  }
}

/** API orders at one price, in time priority (an intrusive doubly linked list: O(1) cancel from anywhere). */
export class OrderLevel {
  head: OrderState | undefined;
  tail: OrderState | undefined;
  total: Decimal = ZERO;
  count = 0;

  constructor(
    readonly tick: number,
    readonly price: Decimal,
  ) {}

  append(order: OrderState): void {
    order.prev = this.tail;
    order.next = undefined;
    if (this.tail) this.tail.next = order;
    else this.head = order;
    this.tail = order;
    this.total = this.total.add(order.remainingQty());
    this.count++;
  }

  unlink(order: OrderState): void {
    if (order.prev) order.prev.next = order.next;
    else this.head = order.next;
    if (order.next) order.next.prev = order.prev;
    else this.tail = order.prev;
    order.prev = undefined;
    order.next = undefined;
    this.count--;
  }
}

/** One side of the API orders' book. */
export class OrderBookSide {
  readonly levels = new Map<number, OrderLevel>();
  readonly ladder = new PriceLadder();

  constructor(readonly isBid: boolean) {}

  bestTick(): number | undefined {
    return this.isBid ? this.ladder.highest() : this.ladder.lowest();
  }

  best(): OrderLevel | undefined {
    const tick = this.bestTick();
    return tick === undefined ? undefined : this.levels.get(tick);
  }

  add(order: OrderState): void {
    let level = this.levels.get(order.tick);
    if (!level) {
      level = new OrderLevel(order.tick, order.price);
      this.levels.set(order.tick, level);
      this.ladder.insert(order.tick);
    }
    level.append(order);
  }

  /** Removes an order (its remaining quantity leaves the level total). */
  remove(order: OrderState): void {
    const level = this.levels.get(order.tick);
    if (!level) return;
    level.total = level.total.sub(order.remainingQty());
    level.unlink(order);
    if (level.count === 0) {
      this.levels.delete(order.tick);
      this.ladder.remove(order.tick);
    }
  }

  /** Records a fill of a resting order: the level total shrinks; a filled order leaves the book. */
  reduce(order: OrderState, qty: Decimal): void {
    const level = this.levels.get(order.tick);
    if (!level) return;
    level.total = level.total.sub(qty);
    if (order.remainingQty().lte(0)) {
      level.unlink(order);
      if (level.count === 0) {
        this.levels.delete(order.tick);
        this.ladder.remove(order.tick);
      }
    }
  }

  qtyAt(tick: number): Decimal {
    return this.levels.get(tick)?.total ?? ZERO;
  }
}

/** One side of the public (everyone else's) book: absolute quantities per price tick. */
export class PublicBookSide {
  readonly levels = new Map<number, Decimal>();
  readonly ladder = new PriceLadder();

  constructor(readonly isBid: boolean) {}

  bestTick(): number | undefined {
    return this.isBid ? this.ladder.highest() : this.ladder.lowest();
  }

  set(tick: number, qty: Decimal): void {
    if (qty.lte(0)) {
      if (this.levels.delete(tick)) this.ladder.remove(tick);
      return;
    }
    if (!this.levels.has(tick)) this.ladder.insert(tick);
    this.levels.set(tick, qty);
  }

  qtyAt(tick: number): Decimal {
    return this.levels.get(tick) ?? ZERO;
  }

  clear(): void {
    this.levels.clear();
    this.ladder.clear();
  }
}
