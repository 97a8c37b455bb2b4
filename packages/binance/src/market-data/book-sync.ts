import type { DepthSnapshot } from "../types";
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
}

export interface BookSyncStatus {
  state: LocalBookState;
  /** Why the book last left `synced` or why a snapshot was refetched. */
  reason?: string;
  resyncs: number;
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
  private unsubscribe: (() => void) | undefined;
  private readonly updateListeners = new Set<(book: LocalOrderBook) => void>();
  private readonly statusListeners = new Set<(status: BookSyncStatus) => void>();

  constructor(private readonly options: BookSyncOptions) {
    this.book = new LocalOrderBook(options.symbol);
  }

  get status(): BookSyncStatus {
    return { state: this.book.state, resyncs: this.resyncs };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const stream = diffDepthStream(this.options.symbol);
    this.unsubscribe = this.options.stream.onMessage((m) => {
      if (m.stream !== stream || m.event.eventType !== "depthUpdate") return;
      const outcome = this.book.applyDiff(m.event);
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
    });
    this.options.stream.subscribe([stream]);
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
            this.emitStatus(`synced at ${outcome.bookId}`);
            this.emitUpdate();
            return;
          case "stale":
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
        this.emitStatus(`snapshot fetch failed: ${err instanceof Error ? err.message : String(err)}`);
        this.retryLater();
      },
    );
  }

  private retryLater(): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.book.state === "needs-snapshot") this.fetchSnapshot();
    }, this.options.retryDelayMs ?? 500);
  }

  private emitUpdate(): void {
    for (const l of this.updateListeners) l(this.book);
  }

  private emitStatus(reason: string): void {
    const status: BookSyncStatus = { state: this.book.state, reason, resyncs: this.resyncs };
    for (const l of this.statusListeners) l(status);
  }
}
