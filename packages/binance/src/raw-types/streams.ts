// Market stream events, user data events and the WebSocket API's framing; the error body both APIs share.

import type { RawRateLimit } from "./exchange-info";
import type { RawAggTrade, RawPriceLevel } from "./market";

export interface RawApiErrorBody {
  code: number;
  msg: string;
  data?: unknown;
}

/** Market stream events (inside the combined-stream wrapper `{stream, data}`). */
export interface RawTradeEvent {
  e: "trade";
  E: number;
  s: string;
  t: number;
  p: string;
  q: string;
  T: number;
  m: boolean;
  M: boolean;
}

export interface RawAggTradeEvent extends RawAggTrade {
  e: "aggTrade";
  E: number;
  s: string;
}

/** No `e`/`E` on the real stream; `u` is in the same id space as depthUpdate's U/u and depth's lastUpdateId. */
export interface RawBookTickerEvent {
  u: number;
  s: string;
  b: string;
  B: string;
  a: string;
  A: string;
}

export interface RawDepthUpdateEvent {
  e: "depthUpdate";
  E: number;
  s: string;
  U: number;
  u: number;
  b: RawPriceLevel[];
  a: RawPriceLevel[];
}

export interface RawCombinedStreamMessage {
  stream: string;
  data: unknown;
}

/** User data events (inside `RawUserDataEnvelope.event`). */
export interface RawExecutionReportEvent {
  e: "executionReport";
  E: number;
  s: string;
  c: string;
  S: string;
  o: string;
  f: string;
  q: string;
  p: string;
  P: string;
  F: string;
  g: number;
  C: string;
  x: string;
  X: string;
  r: string;
  i: number;
  l: string;
  z: string;
  L: string;
  n: string;
  N: string | null;
  T: number;
  t: number;
  I: number;
  w: boolean;
  m: boolean;
  M: boolean;
  O: number;
  Z: string;
  Y: string;
  Q: string;
  W?: number;
  V: string;
  /** Set when self-trade prevention expired the order. */
  v?: number;
  /** Why the order expired, when it did. */
  eR?: string;
}

export interface RawOutboundAccountPositionEvent {
  e: "outboundAccountPosition";
  E: number;
  u: number;
  B: { a: string; f: string; l: string }[];
}

export interface RawBalanceUpdateEvent {
  e: "balanceUpdate";
  E: number;
  a: string;
  d: string;
  T: number;
}

/** WebSocket API framing. */
export interface RawWsApiRequest {
  id: string | number;
  method: string;
  params?: Record<string, string | number | boolean>;
}

export interface RawWsApiResponse {
  id: string | number | null;
  status: number;
  result?: unknown;
  error?: RawApiErrorBody;
  rateLimits?: RawRateLimit[];
}

export interface RawUserDataEnvelope {
  subscriptionId?: number;
  event: { e: string; [field: string]: unknown };
}
