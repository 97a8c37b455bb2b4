export { createBinanceClient, type BinanceClient, type BinanceClientOptions } from "./client";
export {
  BinanceApiError,
  BinanceBackoffError,
  BinanceConnectionError,
  BinancePayloadError,
  BinanceRateLimitError,
  BinanceUnknownOutcomeError,
} from "./errors";
export {
  type Clock,
  ServerTimeOffset,
  ServerTimeSync,
  systemClock,
  TIMESTAMP_OUTSIDE_RECV_WINDOW,
  type TimeSyncOptions,
} from "./clock";
export {
  DEMO_BASE_URLS,
  MAINNET_BASE_URLS,
  TESTNET_BASE_URLS,
  VenueConfigError,
  accountBaseUrls,
  simulatorBaseUrls,
  type BinanceBaseUrls,
  type VenueAccount,
} from "./urls";
export {
  createSigner,
  ed25519SignBase64,
  encodeRestParams,
  hmacSha256Hex,
  readEd25519PrivateKey,
  signingCredentials,
  wsApiSignaturePayload,
  type KeyType,
  type RequestParams,
  type RequestSigner,
  type SigningCredentials,
} from "./signing";
export type {
  CancelOrderParams,
  CancelReplaceParams,
  DecimalInput,
  NewOrderParams,
  OrderRef,
} from "./order-params";
export * from "./types";
export { findFilter } from "./filters";
export type * from "./raw-types";
export * from "./parse";
export { parseDecimal } from "./payload";
export { BinanceRestApi, type MyTradesQuery } from "./rest/api";
export { RestTransport, type RestRequest, type RestResponse, type RestTransportOptions } from "./rest/transport";
export {
  BackoffGate,
  type RateLimitCount,
  type RateLimitReport,
  type RefusedLimit,
  type RestRateLimitUsage,
} from "./rest/rate-limits";
export {
  DEFAULT_MAX_CONNECTION_LIFETIME_MS,
  DEFAULT_RECONNECT_POLICY,
  ManagedSocket,
  reconnectDelay,
  type ReconnectPolicy,
  type SocketHealth,
  type SocketStatus,
  type SocketStatusChange,
} from "./streams/managed-socket";
export {
  DEFAULT_STREAM_HEARTBEAT_MS,
  DEFAULT_STREAM_PONG_TIMEOUT_MS,
  DEFAULT_STREAM_STALE_AFTER_MS,
  MAX_STREAMS_PER_CONNECTION,
  MarketStream,
  bookTickerStream,
  diffDepthStream,
  parseMarketEvent,
  tradeStream,
  type MarketStreamMessage,
  type MarketStreamOptions,
} from "./streams/market-stream";
export {
  LocalOrderBook,
  type DiffOutcome,
  type LocalBookState,
  type SnapshotOutcome,
} from "./market-data/local-order-book";
export { BookSync, type BookSyncOptions, type BookSyncStatus } from "./market-data/book-sync";
export { BinanceWsApi, type WsApiClientOptions, type WsApiResponse } from "./ws-api/ws-api-client";
export { epochDigitsToMs, readLines } from "./recordings/lines";
export { parseCaptureLine, readStreamCapture, type CaptureRecord } from "./recordings/stream-capture";
export {
  readRecordedBookTickers,
  readRecordedDepthUpdates,
  readRecordedTrades,
  readVisionAggTrades,
  readVisionTrades,
  type RecordedBookTicker,
  type RecordedTrade,
  type VisionAggTrade,
  type VisionTrade,
} from "./recordings/csv-trades";
