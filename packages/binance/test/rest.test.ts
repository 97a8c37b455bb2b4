import { generateKeyPairSync, verify } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Decimal from "decimal.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBinanceClient, type BinanceClient } from "../src/client";
import {
  BinanceApiError,
  BinanceBackoffError,
  BinanceConnectionError,
  BinanceRateLimitError,
  BinanceUnknownOutcomeError,
} from "../src/errors";
import { hmacSha256Hex } from "../src/signing";
import { simulatorBaseUrls } from "../src/urls";
import { payload, until } from "./helpers";

const API_KEY = "test-api-key-0123456789";
const SECRET = "test-secret-abcdefghijklmnop";

interface Seen {
  method: string;
  path: string;
  query: string;
  headers: IncomingMessage["headers"];
}
type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let seen: Seen[];
let shift = 0;
const clock = { now: () => Date.now() + shift };

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const s: Seen = { method: req.method ?? "", path: url.pathname, query: url.search.slice(1), headers: req.headers };
    seen.push(s);
    handler(s, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

let client: BinanceClient;
// Generous, so a loaded machine never turns a slow answer into a timeout; the timeout test makes its own client.
const makeClient = (requestTimeoutMs = 10_000) =>
  createBinanceClient({ baseUrls: simulatorBaseUrls(baseUrl), apiKey: API_KEY, apiSecret: SECRET, clock, recvWindow: 5000, requestTimeoutMs });
beforeEach(() => {
  seen = [];
  shift = 0;
  handler = (_req, res) => reply(res, 200, {});
  client = makeClient();
});

describe("signed REST requests", () => {
  it("sends apiKey header, timestamp, recvWindow and an HMAC over the exact percent-encoded query", async () => {
    handler = (_req, res) => reply(res, 200, payload("rest_order_new_RESULT.json"), { "X-MBX-USED-WEIGHT-1M": "7", "X-MBX-ORDER-COUNT-10S": "3", "X-MBX-ORDER-COUNT-1D": "42" });
    const order = await client.rest.placeOrder({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: new Decimal("0.00100000"),
      price: new Decimal("1e-7"),
      newClientOrderId: "bk/1 é",
      newOrderRespType: "RESULT",
    });
    expect(order.kind).toBe("RESULT");
    const req = seen[0] as Seen;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/api/v3/order");
    expect(req.headers["x-mbx-apikey"]).toBe(API_KEY);
    const [unsigned, signature] = req.query.split("&signature=") as [string, string];
    expect(hmacSha256Hex(SECRET, unsigned)).toBe(signature);
    const params = new URLSearchParams(req.query);
    expect(params.get("price")).toBe("0.0000001");
    expect(params.get("quantity")).toBe("0.001");
    expect(params.get("newClientOrderId")).toBe("bk/1 é");
    expect(unsigned).toContain("newClientOrderId=bk%2F1%20%C3%A9");
    expect(params.get("recvWindow")).toBe("5000");
    expect(Math.abs(Number(params.get("timestamp")) - Date.now())).toBeLessThan(1000);
    expect(client.restRateLimitUsage()).toMatchObject({ usedWeight1m: 7, orderCount10s: 3, orderCount1d: 42 });
  });

  it("reports usage headers to the rate-limit listeners, and keeps the order counts a GET does not carry", async () => {
    const reported: unknown[] = [];
    const watched = createBinanceClient({ baseUrls: simulatorBaseUrls(baseUrl), clock });
    watched.onRateLimitReport((report) => reported.push(report));
    handler = (_req, res) => reply(res, 200, {}, { "X-MBX-USED-WEIGHT-1M": "11", "X-MBX-ORDER-COUNT-10S": "2", "X-MBX-ORDER-COUNT-1D": "9" });
    await watched.rest.ping();
    handler = (_req, res) => reply(res, 200, {});
    await watched.rest.ping();
    handler = (_req, res) => reply(res, 200, {}, { "X-MBX-USED-WEIGHT-1M": "12" });
    await watched.rest.ping();
    expect(reported).toEqual([
      {
        kind: "usage",
        counts: [
          { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, count: 2 },
          { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, count: 9 },
          { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, count: 11 },
        ],
      },
      { kind: "usage", counts: [{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, count: 12 }] },
    ]);
    expect(watched.restRateLimitUsage()).toMatchObject({ usedWeight1m: 12, orderCount10s: 2, orderCount1d: 9 });
  });

  it("reports a 429's refused limit and retry time to the rate-limit listeners", async () => {
    const reported: unknown[] = [];
    const off = client.onRateLimitReport((report) => reported.push(report));
    handler = (_req, res) => reply(res, 429, payload("rest_cancelReplace_429_orderRateExceeded_DO_NOTHING.json"), { "Retry-After": "7" });
    const before = clock.now();
    const err = await client.rest.placeOrder({ symbol: "B", side: "BUY", type: "LIMIT_MAKER", quantity: "1", price: "1" }).catch((e: unknown) => e);
    off();
    const { retryAt } = err as BinanceRateLimitError;
    expect(retryAt - before).toBeGreaterThanOrEqual(7_000);
    expect(reported).toEqual([{ kind: "refused", limit: { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10 }, retryAt, httpStatus: 429, code: -1015 }]);
  });

  it("signs with Ed25519: base64 signature, percent-encoded in the URL", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const edClient = createBinanceClient({ baseUrls: simulatorBaseUrls(baseUrl), apiKey: API_KEY, ed25519PrivateKey: privateKey, clock });
    handler = (_req, res) => reply(res, 200, payload("rest_account.json"));
    await edClient.rest.account(true);
    const query = seen[0]?.query ?? "";
    const [unsigned, encodedSignature] = query.split("&signature=") as [string, string];
    expect(unsigned).toMatch(/^omitZeroBalances=true&timestamp=\d+$/);
    const signature = decodeURIComponent(encodedSignature);
    expect(signature).toHaveLength(88);
    expect(encodedSignature).not.toMatch(/[+/=]/);
    expect(verify(null, Buffer.from(unsigned), publicKey, Buffer.from(signature, "base64"))).toBe(true);
  });

  it("percent-encodes the RFC 3986 reserved marks that encodeURIComponent leaves alone", async () => {
    handler = (_req, res) => reply(res, 200, payload("rest_order_new_ACK.json"));
    await client.rest.placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", quantity: "1", price: "1", newClientOrderId: "a!b'(c)*" });
    const [unsigned, signature] = (seen[0]?.query ?? "").split("&signature=") as [string, string];
    expect(unsigned).toContain("newClientOrderId=a%21b%27%28c%29%2A");
    expect(hmacSha256Hex(SECRET, unsigned)).toBe(signature);
  });

  it("measures the server-time offset and uses it for timestamps", async () => {
    handler = (req, res) =>
      req.path === "/api/v3/time" ? reply(res, 200, { serverTime: Date.now() + 5000 }) : reply(res, 200, payload("rest_account.json"));
    const offset = await client.rest.syncTime();
    expect(offset).toBeGreaterThan(4900);
    expect(offset).toBeLessThan(5100);
    await client.rest.account();
    const ts = Number(new URLSearchParams(seen[1]?.query).get("timestamp"));
    expect(Math.abs(ts - (Date.now() + 5000))).toBeLessThan(200);
  });

  it("sends public endpoints unsigned and parses them", async () => {
    handler = (req, res) => {
      if (req.path === "/api/v3/depth") return reply(res, 200, payload("rest_depth.json"));
      if (req.path === "/api/v3/exchangeInfo") return reply(res, 200, payload("rest_exchangeInfo.assembled_from_docs.json"));
      if (req.path === "/api/v3/ticker/bookTicker") return reply(res, 200, payload("rest_bookTicker_single.json"));
      reply(res, 200, {});
    };
    expect((await client.rest.depth("BTCUSDT", 1000)).lastUpdateId).toBe(1027024);
    expect((await client.rest.exchangeInfo({ symbols: ["ETHBTC", "BTCUSDT"] })).symbols[0]?.symbol).toBe("ETHBTC");
    expect((await client.rest.bookTicker("LTCBTC")).bidPrice.toFixed()).toBe("4");
    await client.rest.ping();
    expect(seen.every((s) => s.headers["x-mbx-apikey"] === undefined && !s.query.includes("signature"))).toBe(true);
    expect(new URLSearchParams(seen[1]?.query).get("symbols")).toBe('["ETHBTC","BTCUSDT"]');
    expect(seen[0]?.query).toBe("symbol=BTCUSDT&limit=1000");
  });

  it("calls the order endpoints with the documented paths and parameters", async () => {
    handler = (req, res) => {
      const key = `${req.method} ${req.path}`;
      const bodies: Record<string, unknown> = {
        "DELETE /api/v3/order": payload("rest_order_cancel.json"),
        "GET /api/v3/order": payload("rest_order_query.json"),
        "GET /api/v3/openOrders": payload("rest_openOrders.json"),
        "DELETE /api/v3/openOrders": payload("rest_openOrders_cancelAll.json"),
        "POST /api/v3/order/cancelReplace": payload("rest_cancelReplace_200_success.json"),
        "GET /api/v3/myTrades": [
          { symbol: "BNBBTC", id: 28457, orderId: 100234, orderListId: -1, price: "4.00000100", qty: "12.00000000", quoteQty: "48.000012", commission: "10.10000000", commissionAsset: "BNB", time: 1499865549590, isBuyer: true, isMaker: false, isBestMatch: true },
        ],
      };
      reply(res, 200, bodies[key] ?? {});
    };
    await client.rest.cancelOrder({ symbol: "LTCBTC", order: { origClientOrderId: "myOrder1" }, newClientOrderId: "cancelMyOrder1" });
    await client.rest.queryOrder("LTCBTC", { orderId: 1 });
    await client.rest.openOrders("LTCBTC");
    await client.rest.cancelAllOpenOrders("BTCUSDT");
    const outcome = await client.rest.cancelReplace({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT_MAKER",
      quantity: "0.04",
      price: "0.02",
      cancelReplaceMode: "STOP_ON_FAILURE",
      cancel: { cancelOrigClientOrderId: "DnLo3vTAQcjha43lAZhZ0y" },
    });
    const trades = await client.rest.myTrades({ symbol: "BNBBTC", limit: 10 });
    expect(outcome).toMatchObject({ httpStatus: 200, cancelResult: "SUCCESS", newOrderResult: "SUCCESS" });
    expect(trades[0]?.commission.toFixed()).toBe("10.1");
    const q = seen.map((s) => [s.method, s.path, new URLSearchParams(s.query)] as const);
    expect(q[0]?.[2].get("origClientOrderId")).toBe("myOrder1");
    expect(q[1]?.[2].get("orderId")).toBe("1");
    expect(q[4]?.[2].get("cancelOrigClientOrderId")).toBe("DnLo3vTAQcjha43lAZhZ0y");
    expect(q[4]?.[2].get("timeInForce")).toBeNull();
    expect(seen.every((s) => s.query.includes("&signature="))).toBe(true);
  });
});

describe("server time kept fresh", () => {
  const timestampError = { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." };

  it("re-measures the offset after a -1021 and sends the request once more", async () => {
    let serverAhead = 0;
    handler = (req, res) => {
      if (req.path === "/api/v3/time") return reply(res, 200, { serverTime: Date.now() + serverAhead });
      const ts = Number(new URLSearchParams(req.query).get("timestamp"));
      if (Math.abs(ts - (Date.now() + serverAhead)) > 1000) return reply(res, 400, timestampError);
      reply(res, 200, payload("rest_account.json"));
    };
    await client.rest.syncTime();
    serverAhead = 30_000;
    await client.rest.account();
    expect(seen.map((r) => r.path)).toEqual(["/api/v3/time", "/api/v3/account", "/api/v3/time", "/api/v3/account"]);
    expect(client.serverTimeOffset.offset).toBeGreaterThan(29_000);
  });

  it("reports the -1021 when the retry is refused too, or when the time cannot be measured", async () => {
    handler = (req, res) => (req.path === "/api/v3/time" ? reply(res, 200, { serverTime: Date.now() }) : reply(res, 400, timestampError));
    await expect(client.rest.account()).rejects.toMatchObject({ code: -1021 });
    expect(seen.map((r) => r.path)).toEqual(["/api/v3/account", "/api/v3/time", "/api/v3/account"]);

    seen = [];
    handler = (req, res) => (req.path === "/api/v3/time" ? reply(res, 500, { code: -1000, msg: "An unknown error occurred while processing the request." }) : reply(res, 400, timestampError));
    await expect(client.rest.account()).rejects.toMatchObject({ code: -1021 });
    expect(seen.map((r) => r.path)).toEqual(["/api/v3/account", "/api/v3/time"]);
  });

  it("re-measures in the background once the offset is older than the resync interval", async () => {
    let now = Date.now();
    const timed = createBinanceClient({
      baseUrls: simulatorBaseUrls(baseUrl),
      apiKey: API_KEY,
      apiSecret: SECRET,
      clock: { now: () => now },
      timeSync: { resyncIntervalMs: 60_000 },
    });
    let serverTime = now + 2000;
    handler = (req, res) => reply(res, 200, req.path === "/api/v3/time" ? { serverTime } : payload("rest_account.json"));
    await timed.rest.syncTime();
    expect(Math.round(timed.serverTimeOffset.offset)).toBe(2000);
    now += 59_000;
    await timed.rest.account();
    expect(seen.filter((r) => r.path === "/api/v3/time")).toHaveLength(1);

    now += 2000;
    serverTime = now + 2500;
    await timed.rest.account();
    await until(() => Math.round(timed.serverTimeOffset.offset) === 2500, "background resync");
    expect(seen.filter((r) => r.path === "/api/v3/time")).toHaveLength(2);
    expect(timed.timeSync.lastSyncedAt).toBe(now);
  });
});

describe("errors", () => {
  it("normalises a Binance error body and keeps secrets out of it", async () => {
    handler = (_req, res) => reply(res, 400, payload("rest_error_generic.json"));
    const err = await client.rest.account().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinanceApiError);
    expect(err).toMatchObject({ code: -1121, msg: "Invalid symbol.", httpStatus: 400 });
    const text = `${String(err)} ${JSON.stringify(err)} ${(err as Error).stack ?? ""}`;
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("signature");
  });

  it("marks 5xx as outcome unknown", async () => {
    handler = (_req, res) =>
      reply(res, 503, { code: -1007, msg: "Timeout waiting for response from backend server. Send status unknown; execution status unknown." });
    const err = await client.rest.placeOrder({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", quantity: "1", price: "1" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: -1007, httpStatus: 503, outcomeUnknown: true });
  });

  it("normalises a non-JSON error page (WAF 403)", async () => {
    handler = (_req, res) => {
      res.writeHead(403, { "content-type": "text/html" });
      res.end("<html>blocked</html>");
    };
    await expect(client.rest.ping()).rejects.toMatchObject({ code: 0, httpStatus: 403 });
  });

  it("returns cancelReplace partial failures (409 -2021) as an outcome", async () => {
    handler = (_req, res) => reply(res, 409, payload("rest_cancelReplace_409_newOrderFailed.json"));
    const outcome = await client.rest.cancelReplace({
      symbol: "BTCUSDT",
      side: "SELL",
      type: "LIMIT_MAKER",
      quantity: "1",
      price: "1",
      cancelReplaceMode: "ALLOW_FAILURE",
      cancel: { cancelOrderId: 3 },
    });
    expect(outcome).toMatchObject({
      httpStatus: 409,
      error: { code: -2021 },
      cancelResult: "SUCCESS",
      newOrderResult: "FAILURE",
      newOrderResponse: { code: -2010, msg: "Order would immediately match and take." },
    });
  });

  it("times out a POST as outcome unknown and a GET as a connection error", async () => {
    client = makeClient(300);
    handler = () => {
      // never answers
    };
    await expect(client.rest.placeOrder({ symbol: "B", side: "BUY", type: "LIMIT_MAKER", quantity: "1", price: "1" })).rejects.toBeInstanceOf(
      BinanceUnknownOutcomeError,
    );
    await expect(client.rest.ping()).rejects.toBeInstanceOf(BinanceConnectionError);
  });

  it("sends a GET again once when the connection drops before an answer, but never a POST", async () => {
    let drops = 1;
    handler = (_req, res) => {
      if (drops-- > 0) res.socket?.destroy();
      else reply(res, 200, payload("rest_time.json"));
    };
    expect(await client.rest.time()).toBeGreaterThan(0);
    expect(seen).toHaveLength(2);
    drops = 1;
    seen = [];
    await expect(client.rest.placeOrder({ symbol: "B", side: "BUY", type: "LIMIT_MAKER", quantity: "1", price: "1" })).rejects.toMatchObject({
      name: "BinanceUnknownOutcomeError",
      reason: "connection lost",
    });
    expect(seen).toHaveLength(1);
  });

  it("reports a refused connection as not sent", async () => {
    const unused = createServer();
    await new Promise<void>((r) => unused.listen(0, "127.0.0.1", r));
    const port = (unused.address() as AddressInfo).port;
    await new Promise((r) => unused.close(r));
    const closed = createBinanceClient({ baseUrls: simulatorBaseUrls(`http://127.0.0.1:${port}`), apiKey: API_KEY, apiSecret: SECRET });
    await expect(
      closed.rest.placeOrder({ symbol: "B", side: "BUY", type: "LIMIT_MAKER", quantity: "1", price: "1" }),
    ).rejects.toBeInstanceOf(BinanceConnectionError);
  });
});

describe("an injected fetch", () => {
  it("carries every REST request, and a failure keeps its cause for the caller", async () => {
    handler = (_req, res) => reply(res, 200, payload("rest_time.json"));
    const urls: string[] = [];
    const refusal = new Error("refused by the caller's policy");
    let refuse = false;
    const viaPolicy = createBinanceClient({
      baseUrls: simulatorBaseUrls(baseUrl),
      fetch: (url, init) => {
        urls.push(url);
        return refuse ? Promise.reject(refusal) : fetch(url, init);
      },
    });
    expect(await viaPolicy.rest.time()).toBeGreaterThan(0);
    expect(urls).toEqual([`${baseUrl}/api/v3/time`]);
    refuse = true;
    const error = await viaPolicy.rest.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BinanceConnectionError);
    expect((error as Error).cause).toBe(refusal);
  });
});

describe("429 and 418", () => {
  it("obeys Retry-After on 429: refuses locally until it passes, then sends again", async () => {
    handler = (_req, res) =>
      reply(res, 429, { code: -1003, msg: "Too much request weight used; current limit is 6000 request weight per 1 MINUTE." }, { "Retry-After": "30" });
    const err = await client.rest.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinanceRateLimitError);
    expect((err as BinanceRateLimitError).retryAt - clock.now()).toBeGreaterThan(29_000);
    await expect(client.rest.depth("BTCUSDT")).rejects.toBeInstanceOf(BinanceBackoffError);
    await expect(client.rest.cancelOrder({ symbol: "B", order: { orderId: 1 } })).rejects.toBeInstanceOf(BinanceBackoffError);
    expect(seen).toHaveLength(1);
    expect(client.backoffUntil()).toBe((err as BinanceRateLimitError).retryAt);

    shift = 31_000;
    handler = (_req, res) => reply(res, 200, {});
    await client.rest.ping();
    expect(seen).toHaveLength(2);
    expect(client.backoffUntil()).toBeUndefined();
  });

  it("obeys a 418 ban, using the ban end in the message when Retry-After is missing", async () => {
    const bannedUntil = Date.now() + 120_000;
    handler = (_req, res) =>
      reply(res, 418, { code: -1003, msg: `Way too much request weight used; IP banned until ${bannedUntil}. Please use WebSocket Streams for live updates to avoid bans.` });
    const err = await client.rest.ping().catch((e: unknown) => e);
    expect(err).toMatchObject({ httpStatus: 418, code: -1003, retryAt: bannedUntil });
    shift = 119_000;
    await expect(client.rest.ping()).rejects.toBeInstanceOf(BinanceBackoffError);
    shift = 121_000;
    handler = (_req, res) => reply(res, 200, {});
    await client.rest.ping();
    expect(seen).toHaveLength(2);
  });

  it("blocks only new orders after an order-count 429 (-1015), so cancels still go out", async () => {
    handler = (req, res) =>
      req.method === "POST"
        ? reply(res, 429, payload("rest_cancelReplace_429_orderRateExceeded_DO_NOTHING.json"), { "Retry-After": "10" })
        : reply(res, 200, payload("rest_order_cancel.json"));
    const order = { symbol: "B", side: "BUY", type: "LIMIT_MAKER", quantity: "1", price: "1" } as const;
    await expect(client.rest.placeOrder(order)).rejects.toMatchObject({ code: -1015, httpStatus: 429 });
    await expect(client.rest.placeOrder(order)).rejects.toBeInstanceOf(BinanceBackoffError);
    await client.rest.cancelOrder({ symbol: "LTCBTC", order: { orderId: 4 } });
    expect(seen.map((s) => s.method)).toEqual(["POST", "DELETE"]);
    expect(client.backoffUntil(true)).toBeGreaterThan(clock.now());
    expect(client.backoffUntil(false)).toBeUndefined();
  });
});
