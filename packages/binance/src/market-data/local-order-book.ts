import type Decimal from "decimal.js";
import type { DepthSnapshot, DepthUpdateEvent, PriceLevel } from "../types";

/**
 * A local copy of one symbol's order book kept by Binance's documented procedure (SPEC.md section 9):
 * buffer diff events, take a REST snapshot no older than the first buffered event, drop what the snapshot
 * already holds, require the first remaining event to straddle it, then apply events in sequence; any gap
 * asks for a new snapshot. Pure: the caller does the IO and acts on the returned outcomes.
 *
 *   buffering --first event--> needs-snapshot --snapshot ok--> synced --gap--> needs-snapshot
 *                                   ^--stale snapshot (refetch)--'
 */
export type LocalBookState = "buffering" | "needs-snapshot" | "synced";

export type DiffOutcome =
  /** First event buffered: now fetch a snapshot. */
  | { kind: "snapshot-needed" }
  | { kind: "buffered" }
  /** Already contained in the book (`u < bookId`). */
  | { kind: "ignored" }
  | { kind: "applied" }
  /** Events were missed: the book is cleared; fetch a new snapshot (the event that showed the gap is kept). */
  | { kind: "resync-requested"; bookId: number; firstUpdateId: number };

export type SnapshotOutcome =
  /** `lastUpdateId` is older than the first buffered event: fetch the snapshot again. */
  | { kind: "stale"; lastUpdateId: number; firstBufferedUpdateId: number }
  | { kind: "synced"; bookId: number; replayed: number }
  /** The buffered events do not continue the snapshot: fetch a new one. */
  | { kind: "resync-requested"; bookId: number; firstUpdateId: number };

/** One side of the book, best level first, kept sorted by binary search over Decimal prices. */
class BookSide {
  private levels: PriceLevel[] = [];

  /** +1 for bids (high to low), -1 for asks (low to high). */
  constructor(private readonly direction: 1 | -1) {}

  clear(): void {
    this.levels = [];
  }

  load(levels: readonly PriceLevel[]): void {
    this.levels = levels.filter((l) => !l.qty.isZero()).sort((a, b) => this.direction * b.price.comparedTo(a.price));
  }

  set(price: Decimal, qty: Decimal): void {
    const levels = this.levels;
    let lo = 0;
    let hi = levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      // `ahead` > 0 when the level at mid sorts before `price`.
      const ahead = this.direction * (levels[mid] as PriceLevel).price.comparedTo(price);
      if (ahead > 0) lo = mid + 1;
      else hi = mid;
    }
    const existing = levels[lo];
    const found = existing !== undefined && existing.price.equals(price);
    if (qty.isZero()) {
      if (found) levels.splice(lo, 1);
    } else if (found) {
      levels[lo] = { price, qty };
    } else {
      levels.splice(lo, 0, { price, qty });
    }
  }

  best(): PriceLevel | undefined {
    return this.levels[0];
  }

  top(n: number): PriceLevel[] {
    return this.levels.slice(0, n);
  }

  get depth(): number {
    return this.levels.length;
  }
}

export interface LocalOrderBookOptions {
  /** Oldest buffered events are dropped beyond this; a later snapshot then simply has to be newer. */
  maxBufferedEvents?: number;
}

export class LocalOrderBook {
  private stateValue: LocalBookState = "buffering";
  private buffer: DepthUpdateEvent[] = [];
  private bookId = 0;
  /** After a snapshot, the first applied event must straddle `bookId + 1`. */
  private awaitingFirstEvent = false;
  private readonly bids = new BookSide(1);
  private readonly asks = new BookSide(-1);
  private readonly maxBufferedEvents: number;

  constructor(readonly symbol: string, options: LocalOrderBookOptions = {}) {
    this.maxBufferedEvents = options.maxBufferedEvents ?? 10_000;
  }

  get state(): LocalBookState {
    return this.stateValue;
  }

  /** The update id the book reflects; meaningful only while synced. */
  get lastUpdateId(): number {
    return this.bookId;
  }

  get bufferedEvents(): number {
    return this.buffer.length;
  }

  applyDiff(event: DepthUpdateEvent): DiffOutcome {
    if (this.stateValue !== "synced") {
      this.buffer.push(event);
      if (this.buffer.length > this.maxBufferedEvents) this.buffer.shift();
      if (this.stateValue === "buffering") {
        this.stateValue = "needs-snapshot";
        return { kind: "snapshot-needed" };
      }
      return { kind: "buffered" };
    }
    return this.applyInSequence(event);
  }

  applySnapshot(snapshot: DepthSnapshot): SnapshotOutcome {
    const first = this.buffer[0];
    if (first !== undefined && snapshot.lastUpdateId < first.firstUpdateId) {
      return { kind: "stale", lastUpdateId: snapshot.lastUpdateId, firstBufferedUpdateId: first.firstUpdateId };
    }
    const pending = this.buffer.filter((e) => e.finalUpdateId > snapshot.lastUpdateId);
    this.buffer = [];
    this.bids.load(snapshot.bids);
    this.asks.load(snapshot.asks);
    this.bookId = snapshot.lastUpdateId;
    this.awaitingFirstEvent = true;
    this.stateValue = "synced";
    for (let i = 0; i < pending.length; i++) {
      const outcome = this.applyInSequence(pending[i] as DepthUpdateEvent);
      if (outcome.kind === "resync-requested") {
        this.buffer.push(...pending.slice(i + 1));
        return outcome;
      }
    }
    return { kind: "synced", bookId: this.bookId, replayed: pending.length };
  }

  /** Forget everything, e.g. when the depth subscription itself was replaced. */
  reset(): void {
    this.clearBook();
    this.buffer = [];
    this.stateValue = "buffering";
  }

  bestBid(): PriceLevel | undefined {
    return this.stateValue === "synced" ? this.bids.best() : undefined;
  }

  bestAsk(): PriceLevel | undefined {
    return this.stateValue === "synced" ? this.asks.best() : undefined;
  }

  topBids(n: number): PriceLevel[] {
    return this.stateValue === "synced" ? this.bids.top(n) : [];
  }

  topAsks(n: number): PriceLevel[] {
    return this.stateValue === "synced" ? this.asks.top(n) : [];
  }

  get levelCount(): { bids: number; asks: number } {
    return { bids: this.bids.depth, asks: this.asks.depth };
  }

  private applyInSequence(event: DepthUpdateEvent): DiffOutcome {
    if (this.awaitingFirstEvent) {
      if (event.finalUpdateId <= this.bookId) return { kind: "ignored" };
      if (event.firstUpdateId > this.bookId + 1) return this.requestResync(event);
      this.awaitingFirstEvent = false;
    } else {
      if (event.finalUpdateId < this.bookId) return { kind: "ignored" };
      if (event.firstUpdateId > this.bookId + 1) return this.requestResync(event);
    }
    for (const level of event.bids) this.bids.set(level.price, level.qty);
    for (const level of event.asks) this.asks.set(level.price, level.qty);
    this.bookId = event.finalUpdateId;
    return { kind: "applied" };
  }

  private requestResync(event: DepthUpdateEvent): DiffOutcome & { kind: "resync-requested" } {
    const bookId = this.bookId;
    this.clearBook();
    this.buffer = [event];
    this.stateValue = "needs-snapshot";
    return { kind: "resync-requested", bookId, firstUpdateId: event.firstUpdateId };
  }

  private clearBook(): void {
    this.bids.clear();
    this.asks.clear();
    this.bookId = 0;
    this.awaitingFirstEvent = false;
  }
}
