import {
  BinanceApiError,
  BinanceBackoffError,
  BinanceConnectionError,
  BinanceRateLimitError,
  BinanceUnknownOutcomeError,
} from "../errors";
import { type Clock, type ServerTimeOffset, type ServerTimeSync, TIMESTAMP_OUTSIDE_RECV_WINDOW } from "../clock";
import { isApiErrorBody } from "../parse";
import { encodeRestParams, percentEncode, type RequestParams, type RequestSigner } from "../signing";
import {
  BackoffGate,
  backoffScope,
  refusedLimit,
  restUsageFrom,
  retryAtFrom,
  usageFromHeaders,
  type RateLimitReport,
  type RestRateLimitUsage,
} from "./rate-limits";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface RestRequest {
  method: HttpMethod;
  path: string;
  params?: RequestParams;
  /** USER_DATA / TRADE endpoints: apiKey header, timestamp, recvWindow and signature. */
  signed?: boolean;
  /** Counts against the order-count limit, so an order-count backoff applies to it. */
  placesOrder?: boolean;
}

export interface RestResponse {
  status: number;
  body: unknown;
}

export interface RestTransportOptions {
  baseUrl: string;
  apiKey?: string;
  signer?: RequestSigner;
  clock: Clock;
  serverTime: ServerTimeOffset;
  recvWindow?: number;
  requestTimeoutMs?: number;
  /** Every usage report and 429/418 refusal, for a budget that counts this client's requests with others'. */
  onRateLimitReport?: (report: RateLimitReport) => void;
  /** Shared with the WebSocket API client: a ban is per IP whichever API earned it. */
  backoff?: BackoffGate;
  /** Keeps `serverTime` fresh: refreshed when old, re-measured after a -1021 before the request is tried again. */
  timeSync?: ServerTimeSync;
  /** The HTTP client; the global fetch by default (the dashboard passes one that applies its outbound policy). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/**
 * Signed HTTP to Binance's REST API. Tracks the usage headers, refuses requests locally while a 429/418 backoff
 * is in force, and turns every failure into a typed error that never carries the key or signature.
 */
export class RestTransport {
  private usage: RestRateLimitUsage = {};
  private readonly gate: BackoffGate;

  constructor(private readonly options: RestTransportOptions) {
    this.gate = options.backoff ?? new BackoffGate();
  }

  get rateLimitUsage(): RestRateLimitUsage {
    return this.usage;
  }

  /** Local epoch ms until which requests of this kind are refused, if a backoff is in force. */
  backoffUntil(placesOrder = false): number | undefined {
    return this.gate.blocking(this.options.clock.now(), placesOrder)?.retryAt;
  }

  async request(req: RestRequest): Promise<RestResponse> {
    const { timeSync } = this.options;
    if (req.signed !== true || timeSync === undefined) return this.send(req);
    timeSync.refreshIfDue();
    try {
      return await this.send(req);
    } catch (err) {
      if (!(err instanceof BinanceApiError) || err.code !== TIMESTAMP_OUTSIDE_RECV_WINDOW) throw err;
      // Rejected before execution, so sending it again with a freshly measured offset cannot double an order.
      try {
        await timeSync.sync();
      } catch {
        throw err;
      }
      return this.send(req);
    }
  }

  private async send(req: RestRequest): Promise<RestResponse> {
    const { clock } = this.options;
    const blocked = this.gate.blocking(clock.now(), req.placesOrder ?? false);
    if (blocked !== undefined) throw new BinanceBackoffError(blocked.retryAt, blocked.reason);

    const headers: Record<string, string> = {};
    let query = encodeRestParams(req.params ?? {});
    if (req.signed === true) {
      const { apiKey, signer } = this.options;
      if (apiKey === undefined || signer === undefined) {
        throw new Error(`${req.method} ${req.path} is a signed endpoint: the client needs an apiKey and a secret or Ed25519 key`);
      }
      headers["X-MBX-APIKEY"] = apiKey;
      const timing = encodeRestParams({
        recvWindow: this.options.recvWindow,
        timestamp: this.options.serverTime.serverNow(),
      });
      query = query === "" ? timing : `${query}&${timing}`;
      query = `${query}&signature=${percentEncode(signer.sign(query))}`;
    }
    const url = `${this.options.baseUrl}${req.path}${query === "" ? "" : `?${query}`}`;
    const label = `${req.method} ${req.path}`;

    const httpFetch = this.options.fetch ?? fetch;
    const fetchOnce = (): Promise<Response> =>
      httpFetch(url, { method: req.method, headers, signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000) });
    let res: Response;
    try {
      res = await fetchOnce();
    } catch (err) {
      // A pooled keep-alive connection the server already closed fails at once; a GET may safely go again.
      if (req.method !== "GET" || isTimeout(err)) throw this.transportFailure(req, label, err);
      try {
        res = await fetchOnce();
      } catch (retryErr) {
        throw this.transportFailure(req, label, retryErr);
      }
    }
    const text = await res.text().catch(() => "");
    const now = clock.now();
    const counts = usageFromHeaders(res.headers);
    this.usage = restUsageFrom(counts, now, this.usage);
    if (counts.length > 0) this.options.onRateLimitReport?.({ kind: "usage", counts });

    let body: unknown = undefined;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (res.ok) return { status: res.status, body };

    const error = isApiErrorBody(body)
      ? { code: body.code, msg: body.msg, data: (body as { data?: unknown }).data }
      : { code: 0, msg: `HTTP ${res.status} ${res.statusText}`.trim(), data: undefined };

    if (res.status === 429 || res.status === 418) {
      const retryAt = retryAtFrom(res.headers, error.msg, now, (t) => this.options.serverTime.toLocal(t));
      const limit = refusedLimit(res.status, error.code, error.msg);
      this.gate.block(backoffScope(limit), retryAt, `${res.status} ${error.code}`);
      this.options.onRateLimitReport?.({ kind: "refused", limit, retryAt, httpStatus: res.status, code: error.code });
      throw new BinanceRateLimitError(error.code, error.msg, res.status, retryAt, error.data);
    }
    throw new BinanceApiError(error.code, error.msg, res.status, error.data);
  }

  private transportFailure(req: RestRequest, label: string, err: unknown): Error {
    const cause = (err as { cause?: { code?: unknown } }).cause;
    const refused = cause !== undefined && (cause.code === "ECONNREFUSED" || cause.code === "ENOTFOUND");
    const reason = isTimeout(err) ? "timeout" : refused ? String(cause.code) : "connection lost";
    // A GET changes nothing, and a refused connection never carried the request: only then is the outcome known.
    // The cause stays attached for the caller (never shown: it may name an address).
    if (req.method === "GET" || refused) return new BinanceConnectionError(`${label}: ${reason}`, { cause: err });
    return new BinanceUnknownOutcomeError(label, reason);
  }
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && err.name === "TimeoutError";
}
