import type { DepthSnapshot, DepthUpdateEvent } from "../types";
import { diffDepthStream, type MarketStream } from "../streams/market-stream";
import { LocalOrderBook, type LocalBookState } from "./local-order-book";

export interface BookSyncOptions {
  symbol: string;
  stream: MarketStream;
  fetchSnapshot: (symbol: string, limit: number) => Promise<DepthSnapshot>;
  /** The documented procedure asks for 5000 levels (weight 250); fewer is cheaper and enough near the touch. */
  snapshotLimit?: number;
  /** Wait before refetching after a failed or stale snapshot, so a lagging snapshot cannot burn request weight. */
  retryDelayMs?: number;
  /**
   * Fetch the snapshot at start instead of at the first diff event: on a quiet pair the first event may be minutes
   * away. Safe either way: an event the snapshot does not reach shows as a gap and resyncs.
   */
  snapshotAtStart?: boolean;
  /**
   * false: the caller routes the symbol's depthUpdate events to `apply` (one router for many books) instead of
   * every book listening to every message. Default true.
   */
  listen?: boolean;
}

export interface BookSyncStatus {
  state: LocalBookState;
  /** Why the book last left `synced` or why a snapshot was refetched. */
  reason?: string;
  resyncs: number;
  /** Snapshot attempts that failed or came back stale since the book was last synced. */
  failures: number;
}

/**
 * Keeps a LocalOrderBook in step with the diff-depth stream and REST snapshots: fetches a snapshot once events
 * are buffered, refetches when it is stale, and rebuilds from a new snapshot on any sequence gap (which also
 * covers events lost across a reconnect).
 */
export class BookSync {
  readonly book: LocalOrderBook;
  private fetching = false;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | undefined;
  private resyncs = 0;
  private failures = 0;
  private unsubscribe: (() => void) | undefined;
  private readonly updateListeners = new Set<(book: LocalOrderBook) => void>();
  private readonly statusListeners = new Set<(status: BookSyncStatus) => void>();

  constructor(private readonly options: BookSyncOptions) {
    this.book = new LocalOrderBook(options.symbol);
  }

  get status(): BookSyncStatus {
    return { state: this.book.state, resyncs: this.resyncs, failures: this.failures };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const stream = diffDepthStream(this.options.symbol);
    if (this.options.listen ?? true) {
      this.unsubscribe = this.options.stream.onMessage((m) => {
        if (m.stream === stream && m.event.eventType === "depthUpdate") this.apply(m.event);
      });
    }
    this.options.stream.subscribe([stream]);
    if (this.options.snapshotAtStart === true) this.fetchSnapshot();
  }

  /** One diff event of this symbol, in stream order (called by the stream listener, or by the caller's router). */
  apply(event: DepthUpdateEvent): void {
    if (this.stopped) return;
    const outcome = this.book.applyDiff(event);
    switch (outcome.kind) {
      case "applied":
        this.emitUpdate();
        return;
      case "snapshot-needed":
        this.emitStatus("awaiting snapshot");
        this.fetchSnapshot();
        return;
      case "resync-requested":
        this.resyncs += 1;
        this.emitStatus(`gap: book at ${outcome.bookId}, next event starts at ${outcome.firstUpdateId}`);
        this.fetchSnapshot();
        return;
      case "buffered":
      case "ignored":
        return;
    }
  }

  /**
   * Rebuilds the book from a fresh snapshot now, e.g. when a REST probe shows the exchange's book moved on while
   * no event reached us. Events that arrive meanwhile are buffered and replayed on top of it.
   */
  resync(reason: string): void {
    if (this.stopped) return;
    this.book.reset();
    this.resyncs += 1;
    this.emitStatus(reason);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.fetchSnapshot();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.book.reset();
  }

  onUpdate(listener: (book: LocalOrderBook) => void): () => void {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
  }

  onStatus(listener: (status: BookSyncStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private fetchSnapshot(): void {
    if (this.fetching || this.stopped || this.retryTimer !== undefined) return;
    this.fetching = true;
    const { symbol, snapshotLimit } = this.options;
    this.options.fetchSnapshot(symbol, snapshotLimit ?? 5000).then(
      (snapshot) => {
        this.fetching = false;
        if (this.stopped || this.book.state === "synced") return;
        const outcome = this.book.applySnapshot(snapshot);
        switch (outcome.kind) {
          case "synced":
            this.failures = 0;
            this.emitStatus(`synced at ${outcome.bookId}`);
            this.emitUpdate();
            return;
          case "stale":
            this.failures += 1;
            this.emitStatus(`snapshot ${outcome.lastUpdateId} older than first event ${outcome.firstBufferedUpdateId}`);
            this.retryLater();
            return;
          case "resync-requested":
            this.resyncs += 1;
            this.emitStatus(`gap after snapshot: book at ${outcome.bookId}, next event starts at ${outcome.firstUpdateId}`);
            this.fetchSnapshot();
            return;
        }
      },
      (err: unknown) => {
        this.fetching = false;
        if (this.stopped) return;
        this.failures += 1;
        this.emitStatus(`snapshot fetch failed: ${err instanceof Error ? err.message : String(err)}`);
        this.retryLater();
      },
    );
  }

  /**
   * The first retry goes at once: a snapshot fetched before the first event (snapshotAtStart) is often just older
   * than it, and the next one will not be. Further retries wait, so a lagging snapshot cannot burn request weight.
   */
  private retryLater(): void {
    if (this.failures === 1) {
      this.fetchSnapshot();
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.book.state !== "synced") this.fetchSnapshot();
    }, this.options.retryDelayMs ?? 500);
  }

  private emitUpdate(): void {
    for (const l of this.updateListeners) l(this.book);
  }

  private emitStatus(reason: string): void {
    const status: BookSyncStatus = { state: this.book.state, reason, resyncs: this.resyncs, failures: this.failures };
    for (const l of this.statusListeners) l(status);
  }
}
