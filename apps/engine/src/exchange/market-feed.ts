// Market data for every bot of the process that shares a venue: one combined-stream connection; per watched symbol
// its trade, bookTicker and diff-depth streams, one local order book (snapshot + diff) and one trade seed from REST,
// shared by all the symbol's bots; events routed to the symbol's listeners with their local receive time.
//
// Health is judged by the connection, never by how busy the market is: the socket's frames (events, Binance's
// pings every 20 s, the pongs to our own heartbeat pings) say it is alive; a symbol silent for a while gets a cheap
// REST probe (depth limit 5) that tells a quiet book from a stuck stream. STALE, with a named reason, only when the
// connection is down past a grace or was cut for silence, or the depth book cannot be resynced.
import type { MarketTapes } from "../persistence/market-tapes";
import type { BinanceClient, DepthSnapshot, MarketStream, MarketStreamMessage, RecentTrade, SocketHealth } from "@bandkeeper/binance";
import { BookSync, bookTickerStream, diffDepthStream, tradeStream } from "@bandkeeper/binance";
import type { Clock, FeedStatus } from "@bandkeeper/core";
import { SharedDecisionViews } from "./decision-views";
import { SymbolFeed, type ConnectionState, type MarketListener } from "./symbol-feed";

export type { FeedTrade, MarketListener } from "./symbol-feed";

export interface MarketFeedSettings {
  /** Levels a side in each BookDepth delivered to the bots. */
  depthLevels: number;
  /** Levels of the REST snapshot a book starts from (1000: weight 50 on Binance; the documented 5000 costs 250). */
  snapshotLimit: number;
  /** The connection down this long (reconnecting) makes its symbols STALE; a connection cut for silence at once. */
  downGraceMs: number;
  /** A depth book out of sync this long (resync failing) makes the symbol STALE. */
  resyncGraceMs: number;
  /** A symbol with no event for this long gets a REST probe (depth limit 5, weight 5) to tell quiet from stuck. */
  quietProbeMs: number;
  /** After a reconnect, a symbol whose book no event has continued yet is probed this soon. */
  reconnectProbeMs: number;
  /** A probe that finds the exchange's book ahead of ours waits this long for the diff in flight before resyncing. */
  probeSettleMs: number;
  /** Housekeeping period: grace expiries and probes. */
  checkEveryMs: number;
  /** Pause between failed snapshot attempts. */
  retryDelayMs: number;
  /** Recent trades kept per symbol for bots that join later (REST seed plus the stream). */
  historyTrades: number;
  /** The stream's heartbeat ping, pong timeout and silence cut (see MarketStreamOptions); undefined = the client's defaults. */
  heartbeatMs?: number;
  pongTimeoutMs?: number;
  silentAfterMs?: number;
}

export const DEFAULT_MARKET_FEED_SETTINGS: MarketFeedSettings = {
  depthLevels: 10,
  snapshotLimit: 1000,
  downGraceMs: 5_000,
  resyncGraceMs: 5_000,
  quietProbeMs: 30_000,
  reconnectProbeMs: 2_000,
  probeSettleMs: 1_000,
  checkEveryMs: 1_000,
  retryDelayMs: 1_000,
  historyTrades: 1_000,
};

/** The REST calls the feed makes; without them it carries trades and bookTicker only (benchmarks). */
export interface MarketFeedRest {
  depth(symbol: string, limit: number): Promise<DepthSnapshot>;
  recentTrades(symbol: string, limit: number): Promise<RecentTrade[]>;
  /** An exchange time on the local clock (the client's server-time offset). */
  toLocal(serverTime: number): number;
}

export interface MarketFeedOptions {
  clock: Clock;
  rest?: MarketFeedRest;
  settings?: Partial<MarketFeedSettings>;
  onError?: (error: Error, context: string) => void;
  /** A symbol's status changed (for the logs). */
  onStatus?: (symbol: string, status: FeedStatus) => void;
  /** The stream's connection was opened again after its first (for the reconnect counter). */
  onReconnect?: () => void;
  /** Where the raw frames and book snapshots are recorded for replay, if anywhere. */
  tapes?: MarketTapes;
}

export class MarketFeed {
  private readonly symbols = new Map<string, SymbolFeed>();
  private readonly offMessage: () => void;
  private readonly offHealth: () => void;
  private readonly offStatus: () => void;
  private readonly offFrame: () => void;
  private readonly settings: MarketFeedSettings;
  private readonly clock: Clock;
  private connection: ConnectionState;
  private started = false;
  private housekeeping: NodeJS.Timeout | undefined;
  /** Market views and quote policies of this venue's bots: bots on one symbol do the market's work once. */
  readonly views = new SharedDecisionViews();

  /**
   * The feed of a client's venue, on a stream of its own. `spendWeight` charges each REST call's request weight to
   * the venue's budget first; a refused charge fails the call (a snapshot is retried later, a probe skipped).
   */
  static forClient(client: BinanceClient, options: Omit<MarketFeedOptions, "rest"> & { spendWeight?: (weight: number) => boolean }): MarketFeed {
    const { heartbeatMs, pongTimeoutMs, silentAfterMs } = options.settings ?? {};
    const stream = client.marketStream([], {
      ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
      ...(pongTimeoutMs === undefined ? {} : { pongTimeoutMs }),
      ...(silentAfterMs === undefined ? {} : { staleAfterMs: silentAfterMs }),
    });
    const { spendWeight, ...feedOptions } = options;
    const charged = <T>(weight: number, call: () => Promise<T>): Promise<T> =>
      spendWeight === undefined || spendWeight(weight) ? call() : Promise.reject(new Error(`request weight budget spent (this call needs ${weight})`));
    const rest: MarketFeedRest = {
      depth: (symbol, limit) => charged(depthWeight(limit), () => client.rest.depth(symbol, limit)),
      recentTrades: (symbol, limit) => charged(RECENT_TRADES_WEIGHT, () => client.rest.recentTrades(symbol, limit)),
      toLocal: (serverTime) => client.serverTimeOffset.toLocal(serverTime),
    };
    return new MarketFeed(stream, { ...feedOptions, rest });
  }

  /** Without options: trades and bookTicker only, on the system clock (benchmarks). */
  constructor(
    private readonly stream: MarketStream,
    private readonly options: MarketFeedOptions = { clock: { now: () => Date.now() } },
  ) {
    this.settings = { ...DEFAULT_MARKET_FEED_SETTINGS, ...options.settings };
    this.clock = options.clock;
    this.connection = { healthy: false, reason: "connecting", downSince: this.clock.now(), upSince: 0 };
    this.offMessage = stream.onMessage((message) => this.route(message));
    this.offHealth = stream.onHealth((health) => this.onHealth(health));
    this.offStatus = stream.onStatus((change) => {
      if (change.status === "open" && change.connections > 1) options.onReconnect?.();
    });
    const tapes = options.tapes;
    this.offFrame = tapes ? stream.onFrame((name, text, receivedAt) => tapes.frame(name, text, receivedAt)) : () => undefined;
  }

  /** Whether the stream carries frames now, or nothing is watched yet (so there is nothing to connect). */
  get connected(): boolean {
    return !this.started || this.connection.healthy;
  }

  /** Why the stream does not carry frames, while it does not. */
  get disconnectedReason(): string | undefined {
    return this.connection.healthy ? undefined : this.connection.reason;
  }

  /**
   * Starts delivering the symbol's market data to `listener`: at once whatever the feed already holds (status,
   * depth, top, recent trades), then every change. The first watcher of a symbol subscribes its streams, starts its
   * book and fetches `seedTrades` recent trades.
   */
  watch(symbol: string, listener: MarketListener, options: { seedTrades?: number } = {}): () => void {
    let feed = this.symbols.get(symbol);
    if (!feed) {
      feed = this.open(symbol, options.seedTrades ?? 100);
      this.symbols.set(symbol, feed);
    }
    feed.replayTo(listener);
    feed.listeners.add(listener);
    if (!this.started) {
      this.started = true;
      this.stream.start();
      this.housekeeping = setInterval(() => this.houseKeep(), this.settings.checkEveryMs);
      this.housekeeping.unref();
    }
    return () => {
      const current = this.symbols.get(symbol);
      if (!current?.listeners.delete(listener) || current.listeners.size > 0) return;
      this.symbols.delete(symbol);
      current.sync?.stop();
      this.stream.unsubscribe([tradeStream(symbol), bookTickerStream(symbol), diffDepthStream(symbol)]);
    };
  }

  /** Resolves once the symbol's trade seed and first book are in, or have failed; never rejects. */
  seeded(symbol: string): Promise<void> {
    return this.symbols.get(symbol)?.seeded ?? Promise.resolve();
  }

  /** The symbol's feed status as last reported, if any (for tests and the dashboard). */
  status(symbol: string) {
    return this.symbols.get(symbol)?.currentStatus;
  }

  async stop(): Promise<void> {
    clearInterval(this.housekeeping);
    this.offMessage();
    this.offHealth();
    this.offStatus();
    this.offFrame();
    for (const feed of this.symbols.values()) feed.sync?.stop();
    await this.stream.stop();
  }

  private open(symbol: string, seedTrades: number): SymbolFeed {
    const { rest } = this.options;
    const sync =
      rest &&
      new BookSync({
        symbol,
        stream: this.stream,
        fetchSnapshot: async (s, limit) => {
          const snapshot = await rest.depth(s, limit);
          this.options.tapes?.snapshot(s, snapshot, this.clock.now());
          return snapshot;
        },
        snapshotLimit: this.settings.snapshotLimit,
        retryDelayMs: this.settings.retryDelayMs,
        snapshotAtStart: true,
        listen: false,
      });
    const feed = new SymbolFeed(symbol, sync, this.settings, this.clock);
    const onStatus = this.options.onStatus;
    if (onStatus) feed.onStatusChange = (status) => onStatus(symbol, status);
    this.stream.subscribe([tradeStream(symbol), bookTickerStream(symbol)]);
    sync?.start();
    if (!rest) {
      feed.tradesUnavailable();
      return feed;
    }
    rest.recentTrades(symbol, Math.min(1000, Math.max(1, seedTrades))).then(
      (trades) => {
        const now = this.clock.now();
        // Age preserved: a trade t ms old on the exchange's clock is t ms old on ours.
        feed.seedTrades(
          trades.map((t) => ({ price: t.price, qty: t.qty, time: Math.min(now, rest.toLocal(t.time)), isBuyerMaker: t.isBuyerMaker, tradeId: t.id })),
        );
      },
      (error: unknown) => {
        feed.tradesUnavailable();
        this.options.onError?.(asError(error), `recent trades ${symbol}`);
      },
    );
    return feed;
  }

  private route({ event, receivedAt }: MarketStreamMessage): void {
    const feed = this.symbols.get(event.symbol);
    if (!feed) return;
    switch (event.eventType) {
      case "trade":
        feed.onTrade(event, receivedAt);
        return;
      case "bookTicker":
        feed.onBookTicker(event, receivedAt);
        return;
      case "depthUpdate": {
        const sync = feed.sync;
        if (sync) feed.onDepthEvent(() => sync.apply(event), receivedAt);
        return;
      }
    }
  }

  private onHealth(health: SocketHealth): void {
    const now = this.clock.now();
    const wasDown = this.connection.downSince !== undefined && this.connection.upSince < this.connection.downSince;
    this.connection = health.healthy
      ? { healthy: true, upSince: wasDown && this.connection.reason !== "connecting" ? now : this.connection.upSince }
      : { healthy: false, reason: health.reason ?? "not connected", downSince: now, upSince: this.connection.upSince };
    for (const feed of this.symbols.values()) feed.judge(this.connection, now);
  }

  private houseKeep(): void {
    const now = this.clock.now();
    for (const feed of this.symbols.values()) {
      feed.judge(this.connection, now);
      if (this.probeDue(feed, now)) this.probe(feed);
    }
  }

  private probeDue(feed: SymbolFeed, now: number): boolean {
    if (!this.options.rest || !feed.sync || feed.probing || !this.connection.healthy || feed.sync.book.state !== "synced") return false;
    const { quietProbeMs, reconnectProbeMs } = this.settings;
    const sinceProbe = now - feed.lastProbeAt;
    const unconfirmedSinceReconnect = feed.verifiedAt < this.connection.upSince && now - this.connection.upSince >= reconnectProbeMs;
    if (unconfirmedSinceReconnect && sinceProbe >= reconnectProbeMs) return true;
    return now - feed.lastEventAt >= quietProbeMs && sinceProbe >= quietProbeMs;
  }

  /** Quiet or stuck? The exchange's update id against ours; a book left behind is rebuilt and delivered afresh. */
  private probe(feed: SymbolFeed): void {
    const rest = this.options.rest;
    const sync = feed.sync;
    if (!rest || !sync) return;
    feed.probing = true;
    feed.lastProbeAt = this.clock.now();
    rest.depth(feed.symbol, 5).then(
      (snapshot) => {
        if (feed.probeResult(snapshot, this.clock.now()) === "in-sync") {
          feed.probing = false;
          feed.judge(this.connection, this.clock.now());
          return;
        }
        // A diff may be on its way; only a book still behind after it had time to arrive is stuck.
        setTimeout(() => {
          feed.probing = false;
          if (this.symbols.get(feed.symbol) !== feed) return;
          const now = this.clock.now();
          if (feed.probeResult(snapshot, now) === "behind") {
            feed.stuckProbes += 1;
            sync.resync(`probe: the exchange's book is at ${snapshot.lastUpdateId}, ours at ${sync.book.lastUpdateId} with no event since`);
          }
          feed.judge(this.connection, now);
        }, this.settings.probeSettleMs).unref();
      },
      (error: unknown) => {
        feed.probing = false;
        this.options.onError?.(asError(error), `depth probe ${feed.symbol}`);
      },
    );
  }
}

/** Binance's request weight of GET /api/v3/depth by limit. */
export function depthWeight(limit: number): number {
  return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
}

const RECENT_TRADES_WEIGHT = 25;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
