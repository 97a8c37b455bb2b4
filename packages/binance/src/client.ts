import type { KeyObject } from "node:crypto";
import { type Clock, ServerTimeOffset, ServerTimeSync, systemClock, type TimeSyncOptions } from "./clock";
import { BookSync, type BookSyncOptions } from "./market-data/book-sync";
import { BinanceRestApi } from "./rest/api";
import { BackoffGate, type RateLimitReport, type RestRateLimitUsage } from "./rest/rate-limits";
import { RestTransport } from "./rest/transport";
import { createSigner, type RequestSigner } from "./signing";
import type { ReconnectPolicy } from "./streams/managed-socket";
import { MarketStream } from "./streams/market-stream";
import type { BinanceBaseUrls } from "./urls";
import { BinanceWsApi } from "./ws-api/ws-api-client";

export interface BinanceClientOptions {
  baseUrls: BinanceBaseUrls;
  apiKey?: string;
  /** HMAC secret; or give `ed25519PrivateKey` (PEM or KeyObject) instead. */
  apiSecret?: string;
  ed25519PrivateKey?: string | KeyObject;
  clock?: Clock;
  /** How the server-time offset is kept fresh after the first `rest.syncTime()`. */
  timeSync?: TimeSyncOptions;
  /** ms, default Binance's own 5000. */
  recvWindow?: number;
  requestTimeoutMs?: number;
  reconnect?: ReconnectPolicy;
  maxConnectionLifetimeMs?: number;
  random?: () => number;
  /** The IP's backoff, shared by every client of the process on this venue (see BackoffGate). */
  sharedIpBackoff?: BackoffGate;
  /** REST's HTTP client; the global fetch by default. Streams and the WebSocket API do not use it. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export interface BinanceClient {
  readonly rest: BinanceRestApi;
  readonly baseUrls: BinanceBaseUrls;
  /** Server minus local clock, ms, as last measured. */
  readonly serverTimeOffset: ServerTimeOffset;
  /** Re-measures the offset when it is old and after a -1021 answer; `onError` reports failed background syncs. */
  readonly timeSync: ServerTimeSync;
  /** Latest X-MBX-USED-WEIGHT-1M / ORDER-COUNT headers. */
  restRateLimitUsage(): RestRateLimitUsage;
  /** Local epoch ms until which a 429/418 keeps (order) requests from being sent, if any. */
  backoffUntil(placesOrder?: boolean): number | undefined;
  /** Hears the usage counts and 429/418 refusals of every REST and WebSocket API response of this client. */
  onRateLimitReport(listener: (report: RateLimitReport) => void): () => void;
  /** A new combined-stream connection (not started). */
  marketStream(streams?: string[], options?: { staleAfterMs?: number; heartbeatMs?: number; pongTimeoutMs?: number }): MarketStream;
  /** A new WebSocket API connection (not started); needs the API key and a secret or Ed25519 key. */
  wsApi(options?: { requestTimeoutMs?: number; staleAfterMs?: number; userDataStream?: boolean }): BinanceWsApi;
  /** A local order book for `symbol` kept by `stream` and REST snapshots (not started). */
  bookSync(symbol: string, stream: MarketStream, options?: Omit<BookSyncOptions, "symbol" | "stream" | "fetchSnapshot">): BookSync;
}

/** The one place a Binance connection is configured: keys, base URLs, clock. */
export function createBinanceClient(options: BinanceClientOptions): BinanceClient {
  const clock = options.clock ?? systemClock;
  const serverTime = new ServerTimeOffset(clock);
  // GET /api/v3/time through the transport below, which itself asks this to stay fresh.
  const timeSync: ServerTimeSync = new ServerTimeSync(serverTime, clock, (): Promise<number> => rest.time(), options.timeSync);
  const backoff = new BackoffGate(options.sharedIpBackoff);
  const rateLimitListeners = new Set<(report: RateLimitReport) => void>();
  const reportRateLimit = (report: RateLimitReport): void => {
    for (const listener of rateLimitListeners) listener(report);
  };
  if (options.apiSecret !== undefined && options.ed25519PrivateKey !== undefined) {
    throw new Error("give either apiSecret or ed25519PrivateKey, not both");
  }
  const signer: RequestSigner | undefined =
    options.apiSecret !== undefined
      ? createSigner({ apiSecret: options.apiSecret })
      : options.ed25519PrivateKey !== undefined
        ? createSigner({ ed25519PrivateKey: options.ed25519PrivateKey })
        : undefined;
  const transport = new RestTransport({
    baseUrl: options.baseUrls.rest.replace(/\/+$/, ""),
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(signer === undefined ? {} : { signer }),
    clock,
    serverTime,
    timeSync,
    backoff,
    onRateLimitReport: reportRateLimit,
    ...(options.recvWindow === undefined ? {} : { recvWindow: options.recvWindow }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const rest = new BinanceRestApi(transport, timeSync);
  const shared = {
    ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.maxConnectionLifetimeMs === undefined ? {} : { maxConnectionLifetimeMs: options.maxConnectionLifetimeMs }),
  };

  return {
    rest,
    baseUrls: options.baseUrls,
    serverTimeOffset: serverTime,
    timeSync,
    restRateLimitUsage: () => transport.rateLimitUsage,
    backoffUntil: (placesOrder = false) => transport.backoffUntil(placesOrder),
    onRateLimitReport: (listener) => {
      rateLimitListeners.add(listener);
      return () => rateLimitListeners.delete(listener);
    },
    marketStream: (streams = [], streamOptions = {}) =>
      new MarketStream({ url: options.baseUrls.streams, streams, clock, ...shared, ...streamOptions }),
    wsApi: (wsOptions = {}) => {
      if (options.apiKey === undefined || signer === undefined) {
        throw new Error("the WebSocket API client needs apiKey and apiSecret or ed25519PrivateKey");
      }
      return new BinanceWsApi({
        url: options.baseUrls.wsApi,
        apiKey: options.apiKey,
        signer,
        clock,
        serverTime,
        timeSync,
        backoff,
        onRateLimitReport: reportRateLimit,
        ...(options.recvWindow === undefined ? {} : { recvWindow: options.recvWindow }),
        ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
        ...shared,
        ...wsOptions,
      });
    },
    bookSync: (symbol, stream, syncOptions = {}) =>
      new BookSync({ symbol, stream, fetchSnapshot: (s, limit) => rest.depth(s, limit), ...syncOptions }),
  };
}
