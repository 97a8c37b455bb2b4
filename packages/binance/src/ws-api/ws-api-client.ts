import WebSocket from "ws";
import { type Clock, type ServerTimeOffset, type ServerTimeSync, TIMESTAMP_OUTSIDE_RECV_WINDOW } from "../clock";
import {
  BinanceApiError,
  BinanceBackoffError,
  BinanceConnectionError,
  BinanceRateLimitError,
  BinanceUnknownOutcomeError,
} from "../errors";
import {
  cancelOrderWireParams,
  cancelReplaceWireParams,
  newOrderWireParams,
  type CancelOrderParams,
  type CancelReplaceParams,
  type NewOrderParams,
} from "../order-params";
import {
  parseCancelAllResponse,
  parseCanceledOrder,
  parseCancelReplace,
  parseNewOrderResponse,
  parseQueriedOrders,
  parseRateLimits,
  parseUserDataEvent,
} from "../parse";
import { asObject, type JsonObject, num, optNum, str } from "../payload";
import { BackoffGate, backoffScope, refusedLimit, type RateLimitCount, type RateLimitReport } from "../rest/rate-limits";
import { type RequestParams, type RequestSigner, wsApiSignaturePayload } from "../signing";
import { ManagedSocket, type ReconnectPolicy, type SocketStatus, type SocketStatusChange } from "../streams/managed-socket";
import type {
  CanceledOrder,
  CanceledOrderList,
  CancelReplaceOutcome,
  NewOrderResponse,
  QueriedOrder,
  RateLimitRule,
  UserDataEvent,
} from "../types";

export interface WsApiClientOptions {
  /** `wss://ws-api.binance.com:443/ws-api/v3` or a simulator's `/ws-api/v3`. */
  url: string;
  apiKey: string;
  signer: RequestSigner;
  clock: Clock;
  serverTime: ServerTimeOffset;
  /** Keeps `serverTime` fresh: refreshed when old, re-measured after a -1021 before the request is tried again. */
  timeSync?: ServerTimeSync;
  recvWindow?: number;
  /** No response within this time: the request fails with BinanceUnknownOutcomeError. Default 10 s. */
  requestTimeoutMs?: number;
  reconnect?: ReconnectPolicy;
  random?: () => number;
  maxConnectionLifetimeMs?: number;
  /** Default 60 s. */
  staleAfterMs?: number;
  /** Shared with the REST client: a ban is per IP whichever API earned it. */
  backoff?: BackoffGate;
  /** Every response's `rateLimits` counts and every 429/418 refusal. */
  onRateLimitReport?: (report: RateLimitReport) => void;
  /** Subscribe to user data on every connection, the first included, before it is used. */
  userDataStream?: boolean;
}

export interface WsApiResponse {
  result: unknown;
  rateLimits?: RateLimitRule[];
}

interface PendingRequest {
  method: string;
  ws: WebSocket;
  timer: NodeJS.Timeout;
  resolve: (r: WsApiResponse) => void;
  reject: (e: Error) => void;
}

/** Requests that count against the order rate limit, so an order-count backoff applies to them. */
const ORDER_METHODS = new Set(["order.place", "order.cancelReplace"]);

/**
 * One authenticated connection to the WebSocket API: the low-latency order path and the user data stream.
 * Requests are correlated by id; a request with no answer in time, or whose connection drops, fails as
 * BinanceUnknownOutcomeError. The user data subscription is renewed on every new connection before it takes over.
 */
export class BinanceWsApi {
  private readonly socket: ManagedSocket;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly userDataListeners = new Set<(e: UserDataEvent) => void>();
  private readonly statusListeners = new Set<(s: SocketStatusChange) => void>();
  private readonly errorListeners = new Set<(e: Error) => void>();
  private readonly openWaiters = new Set<{ resolve: () => void; reject: (e: Error) => void }>();
  private readonly gate: BackoffGate;
  private nextId = 1;
  private userDataWanted = false;
  private subscriptionIds = new Map<WebSocket, number>();
  private lastRateLimits: RateLimitRule[] = [];

  constructor(private readonly options: WsApiClientOptions) {
    this.gate = options.backoff ?? new BackoffGate();
    this.userDataWanted = options.userDataStream ?? false;
    this.socket = new ManagedSocket({
      url: () => options.url,
      ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(options.maxConnectionLifetimeMs === undefined ? {} : { maxConnectionLifetimeMs: options.maxConnectionLifetimeMs }),
      // The WebSocket API pings every 20 s like the streams; a minute of silence means a dead connection.
      staleAfterMs: options.staleAfterMs ?? 60_000,
      prepare: (ws) => this.prepareConnection(ws),
      onMessage: (text, ws) => this.handleMessage(text, ws),
      onConnectionClosed: (ws) => this.failPendingOn(ws),
      onStatus: (change) => {
        if (change.status === "open" || change.status === "stopped") {
          for (const w of this.openWaiters) {
            if (change.status === "open") w.resolve();
            else w.reject(new BinanceConnectionError("WebSocket API stopped before it connected"));
          }
          this.openWaiters.clear();
        }
        for (const l of this.statusListeners) l(change);
      },
    });
  }

  get status(): SocketStatus {
    return this.socket.status;
  }

  /** The `rateLimits` array of the latest response (request weight, order counts). */
  get rateLimits(): RateLimitRule[] {
    return this.lastRateLimits;
  }

  /** The user data subscription id on the current connection, once subscribed. */
  get userDataSubscriptionId(): number | undefined {
    const ws = this.socket.current;
    return ws === undefined ? undefined : this.subscriptionIds.get(ws);
  }

  /**
   * Connects and resolves once the first connection is ready (user data subscribed if asked for). Retries with
   * backoff until then; `stop()` gives up and rejects it.
   */
  async start(): Promise<void> {
    if (this.socket.status === "open") return;
    this.socket.start();
    await new Promise<void>((resolve, reject) => this.openWaiters.add({ resolve, reject }));
  }

  stop(): Promise<void> {
    return this.socket.stop();
  }

  onUserData(listener: (e: UserDataEvent) => void): () => void {
    this.userDataListeners.add(listener);
    return () => this.userDataListeners.delete(listener);
  }

  onStatus(listener: (s: SocketStatusChange) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Malformed messages from the server; the connection carries on. */
  onError(listener: (e: Error) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /**
   * userDataStream.subscribe.signature on the current connection, and again on every later one.
   * Resolves with the subscription id.
   */
  async subscribeUserData(): Promise<number> {
    this.userDataWanted = true;
    const ws = this.requireOpen("userDataStream.subscribe.signature");
    const existing = this.subscriptionIds.get(ws);
    if (existing !== undefined) return existing;
    return this.subscribeOn(ws);
  }

  async placeOrder(params: NewOrderParams): Promise<NewOrderResponse> {
    const res = await this.request("order.place", newOrderWireParams(params));
    return parseNewOrderResponse(res.result, "order.place");
  }

  async cancelOrder(params: CancelOrderParams): Promise<CanceledOrder> {
    const res = await this.request("order.cancel", cancelOrderWireParams(params));
    return parseCanceledOrder(res.result, "order.cancel");
  }

  /** Partial outcomes (-2021 / -2022 with data) are returned, as over REST. */
  async cancelReplace(params: CancelReplaceParams): Promise<CancelReplaceOutcome> {
    try {
      const res = await this.request("order.cancelReplace", cancelReplaceWireParams(params));
      return parseCancelReplace(res.result, 200, undefined, "order.cancelReplace");
    } catch (err) {
      if (err instanceof BinanceApiError && (err.code === -2021 || err.code === -2022) && err.data != null) {
        return parseCancelReplace(err.data, err.httpStatus, { code: err.code, msg: err.msg }, "order.cancelReplace");
      }
      throw err;
    }
  }

  async openOrders(symbol?: string): Promise<QueriedOrder[]> {
    const res = await this.request("openOrders.status", { symbol });
    return parseQueriedOrders(res.result, "openOrders.status");
  }

  async cancelAllOpenOrders(symbol: string): Promise<(CanceledOrder | CanceledOrderList)[]> {
    const res = await this.request("openOrders.cancelAll", { symbol });
    return parseCancelAllResponse(res.result, "openOrders.cancelAll");
  }

  /** A signed request on the current connection. */
  request(method: string, params: RequestParams): Promise<WsApiResponse> {
    return this.sendSigned(this.requireOpen(method), method, params, ORDER_METHODS.has(method));
  }

  private async sendSigned(ws: WebSocket, method: string, params: RequestParams, placesOrder: boolean): Promise<WsApiResponse> {
    const { timeSync } = this.options;
    timeSync?.refreshIfDue();
    try {
      return await this.send(ws, method, this.sign(params), placesOrder);
    } catch (err) {
      if (timeSync === undefined || !(err instanceof BinanceApiError) || err.code !== TIMESTAMP_OUTSIDE_RECV_WINDOW) throw err;
      // Rejected before execution, so sending it again with a freshly measured offset cannot double an order.
      try {
        await timeSync.sync();
      } catch {
        throw err;
      }
      if (ws.readyState !== WebSocket.OPEN) throw err;
      return this.send(ws, method, this.sign(params), placesOrder);
    }
  }

  private sign(params: RequestParams): RequestParams {
    const signed: RequestParams = {
      ...params,
      apiKey: this.options.apiKey,
      recvWindow: this.options.recvWindow,
      timestamp: this.options.serverTime.serverNow(),
    };
    return { ...signed, signature: this.options.signer.sign(wsApiSignaturePayload(signed)) };
  }

  private requireOpen(method: string): WebSocket {
    const ws = this.socket.current;
    if (ws === undefined || ws.readyState !== WebSocket.OPEN) {
      throw new BinanceConnectionError(`${method}: WebSocket API not connected (${this.socket.status})`);
    }
    return ws;
  }

  private send(ws: WebSocket, method: string, params: RequestParams, placesOrder: boolean): Promise<WsApiResponse> {
    const blocked = this.gate.blocking(this.options.clock.now(), placesOrder);
    if (blocked !== undefined) return Promise.reject(new BinanceBackoffError(blocked.retryAt, blocked.reason));
    const id = String(this.nextId++);
    const definedParams = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    return new Promise<WsApiResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BinanceUnknownOutcomeError(method, "timeout"));
      }, this.options.requestTimeoutMs ?? 10_000);
      this.pending.set(id, { method, ws, timer, resolve, reject });
      ws.send(JSON.stringify({ id, method, params: definedParams }), (err) => {
        if (err === undefined || err === null) return;
        const p = this.pending.get(id);
        if (p === undefined) return;
        this.pending.delete(id);
        clearTimeout(p.timer);
        reject(new BinanceUnknownOutcomeError(method, `send failed: ${err.message}`));
      });
    });
  }

  private async subscribeOn(ws: WebSocket): Promise<number> {
    const method = "userDataStream.subscribe.signature";
    const res = await this.sendSigned(ws, method, {}, false);
    const subscriptionId = num(asObject(res.result, method), "subscriptionId", method);
    this.subscriptionIds.set(ws, subscriptionId);
    return subscriptionId;
  }

  private async prepareConnection(ws: WebSocket): Promise<void> {
    if (this.userDataWanted) await this.subscribeOn(ws);
  }

  private handleMessage(text: string, ws: WebSocket): void {
    let msg: JsonObject;
    try {
      msg = asObject(JSON.parse(text), "ws-api message");
    } catch (err) {
      this.emitError(err);
      return;
    }
    if (msg.event !== undefined) {
      this.handleEvent(msg, ws);
      return;
    }
    const id = typeof msg.id === "string" || typeof msg.id === "number" ? String(msg.id) : undefined;
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (id === undefined || pending === undefined) return; // late answer to a request already timed out
    this.pending.delete(id);
    clearTimeout(pending.timer);
    try {
      pending.resolve(this.readResponse(msg, pending.method));
    } catch (err) {
      pending.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private readResponse(msg: JsonObject, method: string): WsApiResponse {
    const status = num(msg, "status", method);
    const rateLimits = msg.rateLimits === undefined ? undefined : parseRateLimits(msg.rateLimits, `${method}.rateLimits`);
    if (rateLimits !== undefined) {
      this.lastRateLimits = rateLimits;
      const counts = rateLimits.flatMap((r): RateLimitCount[] => (r.count === undefined ? [] : [{ ...r, count: r.count }]));
      if (counts.length > 0) this.options.onRateLimitReport?.({ kind: "usage", counts });
    }
    if (status === 200) return { result: msg.result, ...(rateLimits === undefined ? {} : { rateLimits }) };
    const error = asObject(msg.error, `${method}.error`);
    const code = num(error, "code", `${method}.error`);
    const text = str(error, "msg", `${method}.error`);
    const data = error.data;
    if (status === 429 || status === 418) {
      const now = this.options.clock.now();
      const retryAfter = data === undefined ? undefined : optNum(asObject(data, `${method}.error.data`), "retryAfter", method);
      const retryAt = retryAfter === undefined ? now + 60_000 : this.options.serverTime.toLocal(retryAfter);
      const limit = refusedLimit(status, code, text);
      this.gate.block(backoffScope(limit), retryAt, `${status} ${code}`);
      this.options.onRateLimitReport?.({ kind: "refused", limit, retryAt, httpStatus: status, code });
      throw new BinanceRateLimitError(code, text, status, retryAt, data);
    }
    throw new BinanceApiError(code, text, status, data);
  }

  private handleEvent(msg: JsonObject, ws: WebSocket): void {
    try {
      const event = asObject(msg.event, "event");
      if (event.e === "serverShutdown") {
        if (ws === this.socket.current) this.socket.rotate("serverShutdown");
        return;
      }
      // During a rotation both connections deliver the same events until the old one closes: only the current
      // one speaks. A first or reconnecting connection has no rival, so its events count from the subscription on.
      const current = this.socket.current;
      if (current !== undefined && ws !== current) return;
      const parsed = parseUserDataEvent(event);
      for (const l of this.userDataListeners) l(parsed);
    } catch (err) {
      this.emitError(err);
    }
  }

  private failPendingOn(ws: WebSocket): void {
    this.subscriptionIds.delete(ws);
    for (const [id, p] of this.pending) {
      if (p.ws !== ws) continue;
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.reject(new BinanceUnknownOutcomeError(p.method, "connection closed before the response"));
    }
  }

  private emitError(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    for (const l of this.errorListeners) l(error);
  }
}
