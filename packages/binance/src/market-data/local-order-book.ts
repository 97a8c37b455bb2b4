import type Decimal from "decimal.js";
import type { DepthSnapshot, DepthUpdateEvent, PriceLevel } from "../types";

/**
 * A local copy of one symbol's order book kept by Binance's documented procedure (docs/binance-api.md, "Local order book"):
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

interface Level extends PriceLevel {
  /** `price` as a double: orders levels cheaply; exact Decimal comparison settles equal doubles. */
  key: number;
}

/** Levels per chunk before it splits: keeps every insert or delete a short splice however deep the book. */
const CHUNK_SIZE = 64;

/**
 * One side of the book, best level first: a sorted list of short sorted chunks, so a change anywhere in a
 * 5000-level book moves at most a chunk's worth of entries.
 */
class BookSide {
  private chunks: Level[][] = [];
  private count = 0;

  /** +1 for bids (high to low), -1 for asks (low to high). */
  constructor(private readonly direction: 1 | -1) {}

  clear(): void {
    this.chunks = [];
    this.count = 0;
  }

  load(levels: readonly PriceLevel[]): void {
    this.clear();
    for (const l of levels) this.set(l.price, l.qty);
  }

  /** > 0 when `level` sorts before a level at `price` (whose double is `key`). */
  private ahead(level: Level, price: Decimal, key: number): number {
    const byKey = level.key === key ? level.price.comparedTo(price) : level.key > key ? 1 : -1;
    return this.direction * byKey;
  }

  set(price: Decimal, qty: Decimal): void {
    const key = price.toNumber();
    const chunks = this.chunks;
    // The chunk whose last level does not sort before `price`; past the end means after every level.
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid] as Level[];
      if (this.ahead(chunk[chunk.length - 1] as Level, price, key) > 0) lo = mid + 1;
      else hi = mid;
    }
    const ci = lo === chunks.length ? chunks.length - 1 : lo;
    const chunk = chunks[ci];
    if (chunk === undefined) {
      if (!qty.isZero()) {
        chunks.push([{ price, qty, key }]);
        this.count = 1;
      }
      return;
    }
    lo = 0;
    hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ahead(chunk[mid] as Level, price, key) > 0) lo = mid + 1;
      else hi = mid;
    }
    const existing = chunk[lo];
    const found = existing !== undefined && existing.key === key && existing.price.equals(price);
    if (qty.isZero()) {
      if (!found) return;
      chunk.splice(lo, 1);
      this.count -= 1;
      if (chunk.length === 0) chunks.splice(ci, 1);
    } else if (found) {
      existing.qty = qty;
    } else {
      chunk.splice(lo, 0, { price, qty, key });
      this.count += 1;
      if (chunk.length > 2 * CHUNK_SIZE) chunks.splice(ci + 1, 0, chunk.splice(CHUNK_SIZE));
    }
  }

  best(): PriceLevel | undefined {
    const l = this.chunks[0]?.[0];
    return l === undefined ? undefined : { price: l.price, qty: l.qty };
  }

  top(n: number): PriceLevel[] {
    const out: PriceLevel[] = [];
    for (const chunk of this.chunks) {
      for (const l of chunk) {
        if (out.length >= n) return out;
        out.push({ price: l.price, qty: l.qty });
      }
    }
    return out;
  }

  get depth(): number {
    return this.count;
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
