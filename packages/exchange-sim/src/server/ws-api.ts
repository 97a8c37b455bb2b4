// WebSocket API at /ws-api/v3: {id, method, params} requests answered {id, status, result, rateLimits} or
// {id, status, error:{code,msg}}; session.logon (Ed25519); user data by userDataStream.subscribe[.signature],
// delivered as {"subscriptionId":N,"event":{…}} after the response that caused them. `returnRateLimits` in the
// connection URL sets whether answers carry `rateLimits`; the same parameter in a request overrides it for that
// answer (and is part of what the request signs).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { RawApiErrorBody, RawWsApiResponse } from "@bandkeeper/binance/raw-types";
import { WebSocketServer, type WebSocket } from "ws";

import type { AccountId } from "../exchange/venue";
import { authenticate, wsApiSigningPayload, wsParamText } from "./auth";
import { ConnectionTracker, type ConnectionSettings } from "./connections";
import { subscribeUserEvents, type RegisteredKey, type ServerContext } from "./context";
import { ApiError, isBinanceError, messages } from "./errors";
import { marketDataOperations } from "./market-data-operations";
import { admit, execute, operations, type Credentials, type Operation, type Params } from "./operations";
import { clientIp, errorBody } from "./rest";
import { rawText } from "./streams";

const methodOperations: Record<string, Operation> = {
  ping: operations.ping,
  time: operations.time,
  exchangeInfo: operations.wsApiExchangeInfo,
  depth: operations.depth,
  "ticker.book": operations.bookTicker,
  "trades.recent": operations.trades,
  "trades.aggregate": marketDataOperations.aggTrades,
  klines: marketDataOperations.klines,
  "ticker.24hr": marketDataOperations.ticker24h,
  "ticker.price": marketDataOperations.tickerPrice,
  "account.status": operations.account,
  "order.place": operations.newOrder,
  "order.cancel": operations.cancelOrder,
  "order.cancelReplace": operations.cancelReplace,
  "order.status": operations.queryOrder,
  "openOrders.status": operations.openOrders,
  "openOrders.cancelAll": operations.cancelAllOpenOrders,
  allOrders: operations.allOrders,
  myTrades: operations.myTrades,
};

const sessionWeight = 2;
const connectionWeight = 2;
// Binance allows 65,535 subscription ids over a connection's life.
const maxSubscriptionIds = 65535;

type RequestId = string | number | null;

interface UserDataSubscription {
  accountId: AccountId;
  /** Made by userDataStream.subscribe on a logged-on session: it ends with the session's logout. */
  viaLogon: boolean;
  unsubscribe: () => void;
}

class ApiSession {
  logon: RegisteredKey | undefined;
  authorizedSince: number | null = null;
  readonly subscriptions = new Map<number, UserDataSubscription>();
  nextSubscriptionId = 0;
  /** Requests are answered in the order received, even while injected latency is switched on or off. */
  queue: Promise<void> = Promise.resolve();
  delayed = 0;
  /** When the latest delayed request is due (epoch ms). */
  lastDue = 0;

  constructor(
    readonly socket: WebSocket,
    readonly ip: string,
    readonly connectedSince: number,
    readonly returnRateLimits: boolean,
  ) {}
}

export class WebSocketApiServer {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly tracker: ConnectionTracker;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly context: ServerContext,
    settings: ConnectionSettings,
  ) {
    this.tracker = new ConnectionTracker(settings);
  }

  get connectionCount(): number {
    return this.tracker.size;
  }

  static handles(path: string): boolean {
    return path === "/ws-api/v3";
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    const ip = clientIp(req);
    try {
      this.context.limiter.admitConnection(ip, this.context.now());
      this.context.limiter.admit(ip, connectionWeight, this.context.now());
    } catch (error) {
      const status = isBinanceError(error) ? (error.httpStatus ?? 429) : 429;
      const reason = status === 418 ? "I'm a teapot" : "Too Many Requests";
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const returnRateLimits = url.searchParams.get("returnRateLimits") !== "false";
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, ip, returnRateLimits));
  }

  dropAll(graceful: boolean): void {
    this.tracker.dropAll(graceful);
  }

  async close(): Promise<void> {
    await this.tracker.shutdown();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket, transport: Duplex, ip: string, returnRateLimits: boolean): void {
    const session = new ApiSession(socket, ip, this.context.now(), returnRateLimits);
    this.tracker.add(
      socket,
      () => JSON.stringify({ event: { e: "serverShutdown", E: this.context.now() } }),
      () => {
        for (const subscription of session.subscriptions.values()) subscription.unsubscribe();
        session.subscriptions.clear();
      },
    );
    let corked = false;
    socket.on("message", (data, isBinary) => {
      // Requests that arrived together (one TCP read) are answered with one write: replies are held until this
      // read has been handled.
      if (!corked) {
        corked = true;
        transport.cork();
        process.nextTick(() => {
          corked = false;
          transport.uncork();
        });
      }
      const text = isBinary ? "" : rawText(data);
      const latency = this.context.faults.settings.latency.wsApiMs;
      if (latency <= 0 && session.delayed === 0) {
        this.onMessage(session, text);
        return;
      }
      // Injected latency delays each request by that much after it arrived, as a slow network does; it does not slow
      // the connection down: a request never waits behind the one before it for longer than that one's own delay.
      const due = Math.max(Date.now() + latency, session.lastDue);
      session.lastDue = due;
      session.delayed += 1;
      session.queue = session.queue
        .then(() => this.context.latency.wait(Math.max(0, due - Date.now())))
        .then((go) => {
          session.delayed -= 1;
          if (go && socket.readyState === socket.OPEN) this.onMessage(session, text);
        });
    });
  }

  private onMessage(session: ApiSession, text: string): void {
    let id: RequestId = null;
    let accountForLimits: AccountId | undefined;
    let withRateLimits = session.returnRateLimits;
    try {
      const request = parseRequest(text);
      id = request.id;
      withRateLimits = returnRateLimitsOf(request.params) ?? session.returnRateLimits;
      const result = this.dispatch(session, request.method, request.params, (account) => {
        accountForLimits = account;
      });
      this.reply(session, { id, status: 200, result }, accountForLimits, withRateLimits);
    } catch (error) {
      const { status, body, retryAfterMs } = errorBody(error);
      const errorPayload: RawApiErrorBody = { ...body };
      if (retryAfterMs !== undefined) {
        const now = this.context.now();
        errorPayload.data = { serverTime: now, retryAfter: now + retryAfterMs };
      }
      this.reply(session, { id, status, error: errorPayload }, accountForLimits, withRateLimits);
    } finally {
      this.context.userEvents.flush();
    }
  }

  private reply(
    session: ApiSession,
    body: RawWsApiResponse,
    accountId: AccountId | undefined,
    withRateLimits: boolean,
  ): void {
    if (withRateLimits) {
      body.rateLimits = this.context.limiter.usage(session.ip, accountId, this.context.now());
    }
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(body));
  }

  private dispatch(
    session: ApiSession,
    method: string,
    raw: Record<string, unknown>,
    orderAccount: (accountId: AccountId) => void,
  ): unknown {
    // returnRateLimits shapes the answer, not the operation: signed over (it is in `raw`), never an unread parameter.
    const params = stringParams(raw);
    delete params.returnRateLimits;
    const operation = methodOperations[method];
    if (operation) {
      const credentials = this.credentials(session, raw, params);
      const admitted = admit(this.context, operation, params, session.ip, credentials, (accountId) => {
        if (operation.placesOrder) orderAccount(accountId);
      });
      return execute(this.context, admitted);
    }
    switch (method) {
      case "session.logon":
        return this.logon(session, raw, params);
      case "session.status":
        this.context.limiter.admit(session.ip, sessionWeight, this.context.now());
        return this.sessionStatus(session);
      case "session.logout":
        this.context.limiter.admit(session.ip, sessionWeight, this.context.now());
        return this.context.userEvents.run(() => this.logout(session));
      case "userDataStream.subscribe": {
        this.context.limiter.admit(session.ip, sessionWeight, this.context.now());
        if (!session.logon) throw new ApiError(-1002, "You are not authorized to execute this request.", 401);
        return this.subscribe(session, session.logon.accountId, true);
      }
      case "userDataStream.subscribe.signature": {
        this.context.limiter.admit(session.ip, sessionWeight, this.context.now());
        const key = this.authenticateSigned(raw, params);
        return this.subscribe(session, key.accountId, false);
      }
      case "userDataStream.unsubscribe":
        this.context.limiter.admit(session.ip, sessionWeight, this.context.now());
        return this.unsubscribe(session, raw.subscriptionId);
      case "session.subscriptions":
        this.context.limiter.admit(session.ip, sessionWeight, this.context.now());
        return [...session.subscriptions.keys()].map((subscriptionId) => ({ subscriptionId }));
      default:
        throw new ApiError(-1020, messages.unsupported);
    }
  }

  private credentials(session: ApiSession, raw: Record<string, unknown>, params: Params): Credentials {
    // After session.logon a request may omit apiKey and signature; a signed one is still checked on its own.
    if (session.logon && params.signature === undefined) {
      if (this.context.keys.isRevoked(session.logon.credential.apiKey)) {
        throw new ApiError(-2015, messages.rejectedApiKey, 401);
      }
      return { kind: "session", key: session.logon, timestamp: params.timestamp, recvWindow: params.recvWindow };
    }
    return {
      kind: "signed",
      request: { ...timing(params), apiKey: params.apiKey, signature: params.signature, payload: wsApiSigningPayload(raw) },
    };
  }

  private authenticateSigned(raw: Record<string, unknown>, params: Params): RegisteredKey {
    let key: RegisteredKey | undefined;
    authenticate(
      { ...timing(params), apiKey: params.apiKey, signature: params.signature, payload: wsApiSigningPayload(raw) },
      (apiKey) => {
        key = this.context.keys.lookup(apiKey);
        return key?.credential;
      },
      this.context.now(),
    );
    if (!key) throw new ApiError(-2015, messages.rejectedApiKey, 401);
    return key;
  }

  private logon(session: ApiSession, raw: Record<string, unknown>, params: Params): unknown {
    this.context.limiter.admit(session.ip, sessionWeight, this.context.now());
    const key = this.authenticateSigned(raw, params);
    if (key.credential.kind !== "ED25519") {
      throw new ApiError(-1002, "You are not authorized to execute this request.", 401);
    }
    session.logon = key;
    session.authorizedSince = this.context.now();
    return this.sessionStatus(session);
  }

  private sessionStatus(session: ApiSession): unknown {
    return {
      apiKey: session.logon?.credential.apiKey ?? null,
      authorizedSince: session.authorizedSince,
      connectedSince: session.connectedSince,
      returnRateLimits: session.returnRateLimits,
      serverTime: this.context.now(),
      userDataStream: session.subscriptions.size > 0,
    };
  }

  /** Ends the logon; its user-data subscriptions get eventStreamTerminated, after the logout response. */
  private logout(session: ApiSession): unknown {
    const now = this.context.now();
    for (const [subscriptionId, subscription] of session.subscriptions) {
      if (!subscription.viaLogon) continue;
      subscription.unsubscribe();
      session.subscriptions.delete(subscriptionId);
      const message = JSON.stringify({ subscriptionId, event: { e: "eventStreamTerminated", E: now } });
      this.context.userEvents.deliver(() => {
        if (session.socket.readyState === session.socket.OPEN) session.socket.send(message);
      });
    }
    session.logon = undefined;
    session.authorizedSince = null;
    return this.sessionStatus(session);
  }

  private subscribe(session: ApiSession, accountId: AccountId, viaLogon: boolean): { subscriptionId: number } {
    for (const subscription of session.subscriptions.values()) {
      if (subscription.accountId === accountId) throw new ApiError(-2035, messages.subscriptionActive);
    }
    if (session.nextSubscriptionId >= maxSubscriptionIds) {
      throw new ApiError(-2042, "Maximum subscription ID reached for this connection.");
    }
    const subscriptionId = session.nextSubscriptionId++;
    const unsubscribe = subscribeUserEvents(
      this.context,
      accountId,
      (event) => {
        if (session.socket.readyState === session.socket.OPEN) {
          session.socket.send(JSON.stringify({ subscriptionId, event }));
        }
      },
      this.timers,
    );
    session.subscriptions.set(subscriptionId, { accountId, viaLogon, unsubscribe });
    return { subscriptionId };
  }

  private unsubscribe(session: ApiSession, subscriptionId: unknown): Record<string, never> {
    if (subscriptionId === undefined) {
      for (const subscription of session.subscriptions.values()) subscription.unsubscribe();
      session.subscriptions.clear();
      return {};
    }
    const id = typeof subscriptionId === "string" ? Number(subscriptionId) : subscriptionId;
    const subscription = typeof id === "number" ? session.subscriptions.get(id) : undefined;
    if (!subscription || typeof id !== "number") throw new ApiError(-2036, messages.subscriptionInactive);
    subscription.unsubscribe();
    session.subscriptions.delete(id);
    return {};
  }
}

function timing(params: Params): { timestamp: string | undefined; recvWindow: string | undefined } {
  return { timestamp: params.timestamp, recvWindow: params.recvWindow };
}

/** A request's own `returnRateLimits` (true/false, or their strings), undefined when it sends none. */
function returnRateLimitsOf(params: Record<string, unknown>): boolean | undefined {
  const value = params.returnRateLimits;
  if (value === undefined || value === null) return undefined;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new ApiError(-1130, messages.invalidParam("returnRateLimits"));
}

function parseRequest(text: string): { id: RequestId; method: string; params: Record<string, unknown> } {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch {
    throw new ApiError(-1135, messages.invalidJson);
  }
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    throw new ApiError(-1135, messages.invalidJson);
  }
  const { id, method, params } = request as { id?: unknown; method?: unknown; params?: unknown };
  if (id !== undefined && id !== null && typeof id !== "string" && typeof id !== "number") {
    throw new ApiError(-1130, messages.invalidParam("id"));
  }
  if (typeof method !== "string" || method === "") throw new ApiError(-1102, messages.mandatory("method"));
  if (params !== undefined && (typeof params !== "object" || params === null || Array.isArray(params))) {
    throw new ApiError(-1130, messages.invalidParam("params"));
  }
  return { id: id ?? null, method, params: (params ?? {}) as Record<string, unknown> };
}

/** WS API params arrive as JSON values; the core takes the same strings REST would send. */
function stringParams(raw: Record<string, unknown>): Params {
  const params: Params = Object.create(null) as Params;
  for (const [name, value] of Object.entries(raw)) {
    if (value === null || value === undefined) continue;
    params[name] = wsParamText(value);
  }
  return params;
}
