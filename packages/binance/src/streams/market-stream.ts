import type WebSocket from "ws";
import type { Clock } from "../clock";
import { parseBookTickerEvent, parseDepthUpdateEvent, parseTradeEvent } from "../parse";
import { asObject, num, str } from "../payload";
import type { MarketEvent } from "../types";
import {
  ManagedSocket,
  type ReconnectPolicy,
  type SocketHealth,
  type SocketStatus,
  type SocketStatusChange,
} from "./managed-socket";

/** One market event with the stream it came on and its local receive time. */
export interface MarketStreamMessage {
  stream: string;
  event: MarketEvent;
  /** Local epoch ms at receipt (the engine's latency clock starts here). */
  receivedAt: number;
}

export interface MarketStreamOptions {
  /** Combined-stream endpoint, e.g. `wss://stream.binance.com:9443/stream`. */
  url: string;
  streams?: string[];
  clock: Clock;
  reconnect?: ReconnectPolicy;
  random?: () => number;
  maxConnectionLifetimeMs?: number;
  /**
   * No frame at all for this long means a dead connection, however quiet the market. Default 30 s: Binance pings
   * every 20 s and we ping after `heartbeatMs` of silence, so a live connection is never silent for more than
   * ~5 s plus a round trip; 30 s is many such chances missed, well clear of a slow pong or an event-loop stall.
   */
  staleAfterMs?: number;
  /** The client pings after this much silence (and once per new connection). Default 5 s. */
  heartbeatMs?: number;
  /**
   * A ping unanswered this long (no frame at all) makes the connection unhealthy at once, though it is kept until
   * `staleAfterMs`. Default 5 s: a pong takes a round trip, so a dead path shows within ~10 s of the last frame.
   */
  pongTimeoutMs?: number;
}

export const DEFAULT_STREAM_STALE_AFTER_MS = 30_000;
export const DEFAULT_STREAM_HEARTBEAT_MS = 5_000;
export const DEFAULT_STREAM_PONG_TIMEOUT_MS = 5_000;

export const tradeStream = (symbol: string): string => `${symbol.toLowerCase()}@trade`;
export const bookTickerStream = (symbol: string): string => `${symbol.toLowerCase()}@bookTicker`;
export const diffDepthStream = (symbol: string): string => `${symbol.toLowerCase()}@depth@100ms`;

export const MAX_STREAMS_PER_CONNECTION = 1024;

/** Binance allows 5 incoming messages a second per connection; 4 leaves room for pongs. */
const CONTROL_MESSAGE_SPACING_MS = 250;

export type StreamErrorListener = (error: Error) => void;

/**
 * Market data over one combined-stream connection (`/stream?streams=a/b/c`). Subscriptions survive reconnects
 * (the URL carries them all); new ones are added live with SUBSCRIBE. `serverShutdown` triggers a replacement
 * connection, as does the approaching 24 h limit. The ws library answers pings with the same payload.
 */
export class MarketStream {
  private readonly streams = new Set<string>();
  private readonly socket: ManagedSocket;
  private readonly messageListeners = new Set<(m: MarketStreamMessage) => void>();
  private readonly frameListeners = new Set<(stream: string, text: string, receivedAt: number) => void>();
  private readonly statusListeners = new Set<(s: SocketStatusChange) => void>();
  private readonly healthListeners = new Set<(h: SocketHealth) => void>();
  private readonly errorListeners = new Set<StreamErrorListener>();
  private nextControlId = 1;
  private started = false;
  /** The streams named in the URL of the connection being opened. */
  private requestedInUrl: string[] = [];
  /** What the current connection is subscribed to, as far as our requests go. */
  private live = new Set<string>();
  private controlTimer: NodeJS.Timeout | undefined;
  private lastControlAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: MarketStreamOptions) {
    for (const s of options.streams ?? []) this.streams.add(s);
    this.socket = new ManagedSocket({
      url: () => {
        this.requestedInUrl = [...this.streams];
        return `${options.url}?streams=${this.requestedInUrl.join("/")}`;
      },
      ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(options.maxConnectionLifetimeMs === undefined ? {} : { maxConnectionLifetimeMs: options.maxConnectionLifetimeMs }),
      staleAfterMs: options.staleAfterMs ?? DEFAULT_STREAM_STALE_AFTER_MS,
      // One ping per quiet 5 s is far inside Binance's 5 incoming messages a second.
      heartbeatMs: options.heartbeatMs ?? DEFAULT_STREAM_HEARTBEAT_MS,
      pongTimeoutMs: options.pongTimeoutMs ?? DEFAULT_STREAM_PONG_TIMEOUT_MS,
      onMessage: (text, ws) => this.handleMessage(text, ws),
      onPromoted: () => {
        this.live = new Set(this.requestedInUrl);
        this.scheduleControl();
      },
      onStatus: (change) => {
        for (const l of this.statusListeners) l(change);
      },
      onHealth: (health) => {
        for (const l of this.healthListeners) l(health);
      },
    });
  }

  /** Whether the connection carries frames now (see SocketHealth): the market-data health, however quiet the market. */
  get health(): SocketHealth {
    return this.socket.health;
  }

  get status(): SocketStatus {
    return this.socket.status;
  }

  get subscriptions(): string[] {
    return [...this.streams];
  }

  /** Connects once there is at least one stream to ask for. */
  start(): void {
    this.started = true;
    if (this.streams.size > 0) this.socket.start();
  }

  stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.controlTimer);
    this.controlTimer = undefined;
    return this.socket.stop();
  }

  subscribe(streams: string[]): void {
    const added = [...new Set(streams)].filter((s) => !this.streams.has(s));
    if (this.streams.size + added.length > MAX_STREAMS_PER_CONNECTION) {
      throw new Error(`a connection carries at most ${MAX_STREAMS_PER_CONNECTION} streams; open another MarketStream`);
    }
    for (const s of added) this.streams.add(s);
    if (added.length === 0 || !this.started) return;
    if (this.socket.status === "idle") this.socket.start();
    else this.scheduleControl();
  }

  unsubscribe(streams: string[]): void {
    const removed = streams.filter((s) => this.streams.delete(s));
    if (removed.length > 0) this.scheduleControl();
  }

  onMessage(listener: (m: MarketStreamMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Every stream frame as received (its combined-stream JSON text), before parsing: for recorders. */
  onFrame(listener: (stream: string, text: string, receivedAt: number) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onStatus(listener: (s: SocketStatusChange) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onHealth(listener: (h: SocketHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  /** Malformed payloads and rejected control requests; the connection carries on. */
  onError(listener: StreamErrorListener): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /**
   * Brings the current connection's subscriptions in line with the wanted set: one SUBSCRIBE or UNSUBSCRIBE a
   * message, batched, and spaced so a burst of calls stays under Binance's 5 incoming messages a second (pongs
   * count too). Changes made while a connection opens are caught up once it is current.
   */
  private scheduleControl(): void {
    if (this.controlTimer !== undefined || !this.started) return;
    const wait = Math.max(0, this.lastControlAt + CONTROL_MESSAGE_SPACING_MS - this.options.clock.now());
    this.controlTimer = setTimeout(() => {
      this.controlTimer = undefined;
      this.sendNextControl();
    }, wait);
  }

  private sendNextControl(): void {
    const ws = this.socket.current;
    if (ws === undefined) return; // the next connection's URL carries the wanted set
    const missing = [...this.streams].filter((s) => !this.live.has(s));
    const extra = [...this.live].filter((s) => !this.streams.has(s));
    const [method, params] = missing.length > 0 ? (["SUBSCRIBE", missing] as const) : (["UNSUBSCRIBE", extra] as const);
    if (params.length === 0) return;
    ws.send(JSON.stringify({ method, params, id: this.nextControlId++ }));
    for (const p of params) {
      if (method === "SUBSCRIBE") this.live.add(p);
      else this.live.delete(p);
    }
    this.lastControlAt = this.options.clock.now();
    if (missing.length > 0 && extra.length > 0) this.scheduleControl();
  }

  private handleMessage(text: string, ws: WebSocket): void {
    // A connection being replaced may still deliver a few messages; only the current one speaks.
    const current = this.socket.current;
    if (current !== undefined && ws !== current) return;
    const receivedAt = this.options.clock.now();
    try {
      const msg = asObject(JSON.parse(text), "message");
      if (msg.stream === undefined) {
        if (msg.error !== undefined) {
          const err = asObject(msg.error, "error");
          this.emitError(new Error(`stream control request failed: ${num(err, "code", "error")} ${str(err, "msg", "error")}`));
        }
        if (msg.e === "serverShutdown") this.socket.rotate("serverShutdown");
        return;
      }
      const stream = str(msg, "stream", "message");
      for (const l of this.frameListeners) l(stream, text, receivedAt);
      const data = asObject(msg.data, "data");
      const event = parseMarketEvent(stream, data);
      if (event === "serverShutdown") {
        this.socket.rotate("serverShutdown");
        return;
      }
      if (event === undefined) return;
      const message: MarketStreamMessage = { stream, event, receivedAt };
      for (const l of this.messageListeners) l(message);
    } catch (err) {
      this.emitError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private emitError(error: Error): void {
    for (const l of this.errorListeners) l(error);
  }
}

/** Parses one combined-stream payload by its stream name; undefined for streams this client does not model. */
export function parseMarketEvent(stream: string, data: Record<string, unknown>): MarketEvent | "serverShutdown" | undefined {
  if (data.e === "serverShutdown") return "serverShutdown";
  if (data.e === "trade") return parseTradeEvent(data, stream);
  if (data.e === "depthUpdate") return parseDepthUpdateEvent(data, stream);
  if (stream.endsWith("@bookTicker")) return parseBookTickerEvent(data, stream);
  return undefined;
}
