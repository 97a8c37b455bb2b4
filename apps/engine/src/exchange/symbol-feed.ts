// One watched symbol of a venue's market feed: its listeners, its local depth book (snapshot + diff), the book top
// and depth it last delivered, the trades it remembers for bots that join later, and its feed status. The venue's
// MarketFeed routes the symbol's events here and asks it, on its housekeeping timer, to judge its health.
import type { BookSync, BookTickerEvent, DepthSnapshot, LocalOrderBook, PriceLevel, TradeEvent } from "@bandkeeper/binance";
import type { BookDepth, BookTop, Clock, FeedStatus, MarketTrade } from "@bandkeeper/core";

/** A public trade as the feed hands it out: the Binance trade id rides along so a late seed is never applied twice. */
export interface FeedTrade extends MarketTrade {
  readonly tradeId: number;
}

export interface MarketListener {
  onTrade(trade: FeedTrade): void;
  onBookTop(top: BookTop): void;
  /** The best levels of the symbol's local order book, when they change. */
  onBookDepth?(depth: BookDepth): void;
  /** LIVE or STALE (named), when it changes; see FeedStatus. */
  onFeedStatus?(status: FeedStatus): void;
}

/** The venue connection as every symbol sees it. */
export interface ConnectionState {
  healthy: boolean;
  /** Why it is not healthy. */
  reason?: string;
  /** Local ms it went down; undefined while healthy. */
  downSince?: number;
  /** Local ms it last came back after being down (0 = never down). */
  upSince: number;
}

export interface SymbolFeedSettings {
  depthLevels: number;
  downGraceMs: number;
  resyncGraceMs: number;
  /** Trades kept for bots that join later (the newest). */
  historyTrades: number;
}

type StatusKind = "live" | "silent" | "down" | "stuck" | "resync" | "unconfirmed";

/**
 * The socket's watchdog found the connection silent (no frame for its limit, or no answer to a ping): no need to
 * wait for a reconnect grace, the connection already had its chance.
 */
const SILENCE_PREFIXES = ["no frame for", "no answer to a ping"];

export class SymbolFeed {
  readonly listeners = new Set<MarketListener>();
  /** Hears each status change besides the listeners (the feed's log line). */
  onStatusChange: ((status: FeedStatus) => void) | undefined;
  /** Local ms of the symbol's last event of any kind. */
  lastEventAt: number;
  /** Local ms the book was last known to match the exchange's (synced, a diff applied in sequence, a probe). */
  verifiedAt = Number.NEGATIVE_INFINITY;
  /** Local ms the book last left sync (or the feed started); undefined while synced. */
  private unsyncedSince: number | undefined;
  private lastSyncReason = "awaiting the first snapshot";
  /** Probes in a row that found the exchange's book ahead of ours with no event for us: the symbol's stream is stuck. */
  stuckProbes = 0;
  probing = false;
  lastProbeAt = Number.NEGATIVE_INFINITY;
  private top: BookTop | undefined;
  /** The exchange update id the delivered top reflects: an older bookTicker is dropped. */
  private topUpdateId = 0;
  private depth: BookDepth | undefined;
  private status: FeedStatus | undefined;
  /** What the reported status is about, so a STALE whose reason only counts seconds up is not reported again. */
  private statusKind: StatusKind | undefined;
  private history: FeedTrade[] = [];
  /** Set while a depth event is applied: the time its derived top and depth carry. */
  private eventTime: number | undefined;
  /** Resolves once the trade seed is in (or failed) and there is a book top (bookTicker or the synced book) or the sync failed. */
  readonly seeded: Promise<void>;
  private markTradesSeeded!: () => void;
  private markBookSeeded!: () => void;

  constructor(
    readonly symbol: string,
    /** Undefined without REST (benchmarks): then the feed carries trades and bookTicker only. */
    readonly sync: BookSync | undefined,
    private readonly settings: SymbolFeedSettings,
    private readonly clock: Clock,
  ) {
    const now = clock.now();
    this.lastEventAt = now;
    this.unsyncedSince = now;
    const trades = new Promise<void>((resolve) => (this.markTradesSeeded = resolve));
    const book = new Promise<void>((resolve) => (this.markBookSeeded = resolve));
    this.seeded = Promise.all([trades, book]).then(() => undefined);
    if (!sync) {
      this.unsyncedSince = undefined;
      this.markBookSeeded();
      return;
    }
    sync.onUpdate((book) => this.onBookChanged(book, this.eventTime ?? clock.now()));
    sync.onStatus((status) => {
      if (status.state !== "synced") {
        this.unsyncedSince ??= this.eventTime ?? clock.now();
        if (status.reason !== undefined) this.lastSyncReason = status.reason;
        if (status.failures > 0) this.markBookSeeded();
      }
    });
  }

  /** What a bot that joins now needs at once: the status, the book and the trades remembered, oldest first. */
  replayTo(listener: MarketListener): void {
    if (this.status) listener.onFeedStatus?.(this.status);
    if (this.depth) listener.onBookDepth?.(this.depth);
    if (this.top) listener.onBookTop(this.top);
    for (const trade of this.history) listener.onTrade(trade);
  }

  /** REST recent trades, already on the local clock: merged before the stream's, each trade once. */
  seedTrades(trades: readonly FeedTrade[]): void {
    const firstStreamed = this.history[0]?.tradeId ?? Number.POSITIVE_INFINITY;
    const older = trades.filter((t) => t.tradeId < firstStreamed);
    this.history = [...older, ...this.history].slice(-this.settings.historyTrades);
    for (const listener of this.listeners) for (const trade of older) listener.onTrade(trade);
    this.markTradesSeeded();
  }

  /** The trade seed could not be fetched: the bots start from the stream alone. */
  tradesUnavailable(): void {
    this.markTradesSeeded();
  }

  onTrade(event: TradeEvent, receivedAt: number): void {
    this.lastEventAt = receivedAt;
    const trade: FeedTrade = { price: event.price, qty: event.qty, time: receivedAt, isBuyerMaker: event.isBuyerMaker, tradeId: event.tradeId };
    this.history.push(trade);
    // Trimmed in halves, so a busy pair does not shift the array on every trade.
    if (this.history.length > 2 * this.settings.historyTrades) this.history.splice(0, this.history.length - this.settings.historyTrades);
    for (const listener of this.listeners) listener.onTrade(trade);
  }

  /** bookTicker is the fastest top; one older than the depth book's top we already delivered is dropped. */
  onBookTicker(event: BookTickerEvent, receivedAt: number): void {
    this.lastEventAt = receivedAt;
    if (event.updateId <= this.topUpdateId) return;
    this.topUpdateId = event.updateId;
    this.deliverTop({ bidPrice: event.bidPrice, bidQty: event.bidQty, askPrice: event.askPrice, askQty: event.askQty, time: receivedAt });
  }

  /** Routes one diff event to the book; its consequences (top, depth) are delivered from onBookChanged. */
  onDepthEvent(apply: () => void, receivedAt: number): void {
    this.lastEventAt = receivedAt;
    this.eventTime = receivedAt;
    try {
      apply();
    } finally {
      this.eventTime = undefined;
    }
  }

  /** A REST probe's answer: is the exchange's book where ours is? */
  probeResult(snapshot: DepthSnapshot, now: number): "in-sync" | "behind" {
    const book = this.sync?.book;
    if (!book || book.state !== "synced" || snapshot.lastUpdateId <= book.lastUpdateId) {
      if (book?.state === "synced") {
        this.verifiedAt = now;
        this.stuckProbes = 0;
      }
      return "in-sync";
    }
    return "behind";
  }

  /**
   * The symbol's status now: LIVE while the connection carries frames and the book is in sync and verified since
   * the connection last came back; STALE, named, once the connection has been down past the grace (at once when
   * it was cut for silence), or the book has been out of sync past the grace, or the symbol's stream is stuck.
   * Within a grace the last status stands. Reported to the listeners when it changes.
   */
  judge(connection: ConnectionState, now: number): void {
    const next = this.nextStatus(connection, now);
    if (next === undefined || next.kind === this.statusKind) return;
    this.statusKind = next.kind;
    this.status = next.status;
    this.onStatusChange?.(next.status);
    for (const listener of this.listeners) listener.onFeedStatus?.(next.status);
  }

  get currentStatus(): FeedStatus | undefined {
    return this.status;
  }

  private nextStatus(connection: ConnectionState, now: number): { kind: StatusKind; status: FeedStatus } | undefined {
    const { downGraceMs, resyncGraceMs } = this.settings;
    const stale = (kind: StatusKind, reason: string) => ({ kind, status: { live: false, reason, time: now } as const });
    if (!connection.healthy) {
      const reason = connection.reason ?? "not connected";
      const downFor = now - (connection.downSince ?? now);
      if (SILENCE_PREFIXES.some((prefix) => reason.startsWith(prefix))) return stale("silent", `market-data connection silent (${reason})`);
      if (downFor >= downGraceMs) return stale("down", `market-data connection down for ${seconds(downFor)} (${reason})`);
      return undefined;
    }
    if (this.stuckProbes >= 2) return stale("stuck", `no depth events while the exchange's book moved (${this.stuckProbes} probes)`);
    const book = this.sync?.book;
    if (!book) return { kind: "live", status: { live: true, time: now } };
    // After a reconnect the book is trusted again once an event continued it or a probe confirmed it.
    const unsynced = book.state !== "synced";
    const pendingSince = unsynced ? (this.unsyncedSince ?? now) : this.verifiedAt < connection.upSince ? connection.upSince : undefined;
    if (pendingSince === undefined) return { kind: "live", status: { live: true, time: now } };
    const pendingFor = now - pendingSince;
    if (pendingFor < resyncGraceMs) return undefined;
    return unsynced
      ? stale("resync", `depth resync failing for ${seconds(pendingFor)} (${this.lastSyncReason})`)
      : stale("unconfirmed", `depth book not confirmed for ${seconds(pendingFor)} since the reconnect`);
  }

  private onBookChanged(book: LocalOrderBook, time: number): void {
    this.verifiedAt = time;
    this.unsyncedSince = undefined;
    // A diff applied in sequence shows the symbol's stream delivers; a snapshot after a stuck probe does not.
    if (this.eventTime !== undefined) this.stuckProbes = 0;
    this.markBookSeeded();
    const { depthLevels } = this.settings;
    const bids = book.topBids(depthLevels);
    const asks = book.topAsks(depthLevels);
    if (!this.depth || !sameLevels(this.depth.bids, bids) || !sameLevels(this.depth.asks, asks)) {
      const depth: BookDepth = { bids, asks, time };
      this.depth = depth;
      for (const listener of this.listeners) listener.onBookDepth?.(depth);
    }
    // The depth book's top stands in for bookTicker when it is newer than the last top delivered.
    const bid = bids[0];
    const ask = asks[0];
    if (bid === undefined || ask === undefined || bid.price.gte(ask.price) || book.lastUpdateId <= this.topUpdateId) return;
    this.topUpdateId = book.lastUpdateId;
    const top = this.top;
    if (top && top.bidPrice.eq(bid.price) && top.bidQty.eq(bid.qty) && top.askPrice.eq(ask.price) && top.askQty.eq(ask.qty)) return;
    this.deliverTop({ bidPrice: bid.price, bidQty: bid.qty, askPrice: ask.price, askQty: ask.qty, time });
  }

  private deliverTop(top: BookTop): void {
    this.top = top;
    // A top is enough to start on (a busy pair's bookTicker usually beats the depth snapshot).
    this.markBookSeeded();
    for (const listener of this.listeners) listener.onBookTop(top);
  }
}

function sameLevels(a: readonly PriceLevel[], b: readonly PriceLevel[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as PriceLevel;
    const y = b[i] as PriceLevel;
    if (!x.price.eq(y.price) || !x.qty.eq(y.qty)) return false;
  }
  return true;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
