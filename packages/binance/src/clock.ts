/** Epoch-millisecond time source; injected so tests and replay control time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Local clock corrected by the measured exchange offset: Binance rejects timestamps more than 1 s ahead of its
 * own time or older than recvWindow, so signed requests use this rather than the raw local clock.
 */
export class ServerTimeOffset {
  private offsetMs = 0;

  constructor(private readonly clock: Clock) {}

  /** `serverTime` measured between two local reads; assumes the answer was produced halfway. */
  record(serverTime: number, sentAt: number, receivedAt: number): void {
    this.offsetMs = serverTime - (sentAt + receivedAt) / 2;
  }

  get offset(): number {
    return this.offsetMs;
  }

  serverNow(): number {
    return Math.round(this.clock.now() + this.offsetMs);
  }

  /** A server-time instant expressed on the local clock. */
  toLocal(serverTime: number): number {
    return serverTime - this.offsetMs;
  }
}

export interface TimeSyncOptions {
  /**
   * Once measured, the offset is re-measured in the background by the first signed request made after it is
   * this old (ms, default 60 s; 0 = only on demand). A -1021 answer re-measures it at once, whatever this is.
   */
  resyncIntervalMs?: number;
}

/**
 * Keeps a ServerTimeOffset fresh without a timer of its own: signed requests ask it to refresh when the
 * measurement is old (the request itself goes out at once with the current offset), and a -1021 answer makes
 * the sender await a new measurement and try once more. Concurrent measurements share one request.
 */
export class ServerTimeSync {
  private inFlight: Promise<number> | undefined;
  private syncedAt: number | undefined;
  private readonly errorListeners = new Set<(error: Error) => void>();
  private readonly resyncIntervalMs: number;

  constructor(
    readonly offset: ServerTimeOffset,
    private readonly clock: Clock,
    /** The exchange's time in ms (GET /api/v3/time). */
    private readonly fetchServerTime: () => Promise<number>,
    options: TimeSyncOptions = {},
  ) {
    this.resyncIntervalMs = options.resyncIntervalMs ?? 60_000;
  }

  /** Local time of the last successful measurement. */
  get lastSyncedAt(): number | undefined {
    return this.syncedAt;
  }

  /** Measures the offset now (or joins the measurement in flight); resolves with it, server minus local, ms. */
  sync(): Promise<number> {
    this.inFlight ??= this.measure().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Starts a background measurement if the last one is older than the resync interval. Never throws. */
  refreshIfDue(): void {
    if (this.resyncIntervalMs <= 0 || this.inFlight !== undefined || this.syncedAt === undefined) return;
    if (this.clock.now() - this.syncedAt < this.resyncIntervalMs) return;
    this.sync().catch((err: unknown) => {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const listener of this.errorListeners) listener(error);
    });
  }

  /** Background measurements that failed (the offset in use stays as it was). */
  onError(listener: (error: Error) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  private async measure(): Promise<number> {
    const sentAt = this.clock.now();
    const serverTime = await this.fetchServerTime();
    const receivedAt = this.clock.now();
    this.offset.record(serverTime, sentAt, receivedAt);
    this.syncedAt = receivedAt;
    return this.offset.offset;
  }
}

/** Binance's answer to a timestamp outside recvWindow or ahead of its clock: rejected before execution. */
export const TIMESTAMP_OUTSIDE_RECV_WINDOW = -1021;
