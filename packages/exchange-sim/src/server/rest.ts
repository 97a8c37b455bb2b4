// REST API under /api/v3 on node:http: Binance's paths, parameter parsing (query string and form body, the query
// string winning), security types, HTTP status codes, rate-limit headers and `{code,msg}` errors.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RawApiErrorBody } from "@bandkeeper/binance/raw-types";

import { restSigningPayload } from "./auth";
import type { ServerContext } from "./context";
import { ApiError, isBinanceError, messages } from "./errors";
import { marketDataOperations } from "./market-data-operations";
import { admit, execute, operations, type Credentials, type Operation, type Params } from "./operations";

const routes: Record<string, Partial<Record<string, Operation>>> = {
  "/api/v3/ping": { GET: operations.ping },
  "/api/v3/time": { GET: operations.time },
  "/api/v3/exchangeInfo": { GET: operations.exchangeInfo },
  "/api/v3/depth": { GET: operations.depth },
  "/api/v3/ticker/bookTicker": { GET: operations.bookTicker },
  "/api/v3/trades": { GET: operations.trades },
  "/api/v3/aggTrades": { GET: marketDataOperations.aggTrades },
  "/api/v3/klines": { GET: marketDataOperations.klines },
  "/api/v3/ticker/24hr": { GET: marketDataOperations.ticker24h },
  "/api/v3/ticker/price": { GET: marketDataOperations.tickerPrice },
  "/api/v3/account": { GET: operations.account },
  "/api/v3/order": { POST: operations.newOrder, GET: operations.queryOrder, DELETE: operations.cancelOrder },
  "/api/v3/order/cancelReplace": { POST: operations.cancelReplace },
  "/api/v3/allOrders": { GET: operations.allOrders },
  "/api/v3/openOrders": { GET: operations.openOrders, DELETE: operations.cancelAllOpenOrders },
  "/api/v3/myTrades": { GET: operations.myTrades },
};

const maxBodyBytes = 64 * 1024;

/** Parses one `a=1&b=2` part; a name sent twice in it is -1101. */
export function parseForm(raw: string, into: Params, seen: Set<string>): void {
  if (raw === "") return;
  for (const pair of raw.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeComponent(eq === -1 ? "" : pair.slice(eq + 1));
    if (seen.has(name)) throw new ApiError(-1101, messages.duplicateParam);
    seen.add(name);
    if (!(name in into)) into[name] = value;
  }
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw new ApiError(-1100, messages.illegalChars);
  }
}

/** Query string first (it wins), then the body. */
export function parseRequestParams(rawQuery: string, rawBody: string): Params {
  const params: Params = Object.create(null) as Params;
  parseForm(rawQuery, params, new Set());
  parseForm(rawBody, params, new Set());
  return params;
}

export function restHeaders(
  context: ServerContext,
  ip: string,
  accountId: string | undefined,
  withOrderCounts: boolean,
): Record<string, string> {
  const now = context.now();
  const headers: Record<string, string> = {
    "Content-Type": "application/json;charset=UTF-8",
    "X-MBX-USED-WEIGHT-1M": String(context.limiter.usedWeight(ip, now)),
  };
  if (withOrderCounts && accountId !== undefined) {
    const counts = context.limiter.orderCounts(accountId, now);
    headers["X-MBX-ORDER-COUNT-10S"] = String(counts.tenSeconds);
    headers["X-MBX-ORDER-COUNT-1D"] = String(counts.day);
  }
  return headers;
}

export function errorBody(error: unknown): { status: number; body: RawApiErrorBody; retryAfterMs?: number } {
  if (isBinanceError(error)) {
    const data = (error as { data?: unknown }).data;
    const retryAfterMs = error instanceof ApiError ? error.retryAfterMs : undefined;
    return {
      status: error.httpStatus ?? 400,
      body: data === undefined ? { code: error.code, msg: error.msg } : { code: error.code, msg: error.msg, data },
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return { status: 500, body: { code: -1000, msg: messages.unknown } };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new ApiError(-1101, messages.tooManyParams, 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "unknown";
}

/** Handles one /api/v3 request. Never throws: every failure becomes Binance's error response. */
export async function handleRest(context: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ip = clientIp(req);
  const url = req.url ?? "/";
  const queryStart = url.indexOf("?");
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? "" : url.slice(queryStart + 1);
  const route = routes[path];
  const operation = route?.[req.method ?? "GET"];
  let accountId: string | undefined;
  try {
    const rawBody = await readBody(req);
    if (!route) throw new ApiError(-1020, messages.unsupported, 404);
    if (!operation) throw new ApiError(-1020, messages.unsupported, 405);
    const params = parseRequestParams(rawQuery, rawBody);
    const credentials: Credentials =
      operation.security === "NONE"
        ? { kind: "none" }
        : {
            kind: "signed",
            request: {
              apiKey: headerValue(req, "x-mbx-apikey"),
              timestamp: params.timestamp,
              recvWindow: params.recvWindow,
              signature: params.signature,
              payload: restSigningPayload(rawQuery, rawBody),
            },
          };
    const admitted = admit(context, operation, params, ip, credentials);
    accountId = admitted.accountId;
    const latency = context.faults.settings.latency.restMs;
    if (latency > 0 && !(await context.latency.wait(latency))) {
      res.destroy();
      return;
    }
    const result = execute(context, admitted);
    send(res, 200, restHeaders(context, ip, accountId, operation.placesOrder === true), result);
  } catch (error) {
    const { status, body, retryAfterMs } = errorBody(error);
    const headers = restHeaders(context, ip, accountId, operation?.placesOrder === true);
    if (retryAfterMs !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    send(res, status, headers, body);
  } finally {
    context.userEvents.flush();
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}
