import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerTimeOffset, systemClock } from "../src/clock";
import {
  BinanceApiError,
  BinanceBackoffError,
  BinanceConnectionError,
  BinanceRateLimitError,
  BinanceUnknownOutcomeError,
} from "../src/errors";
import { createSigner, hmacSha256Hex, wsApiSignaturePayload, type RequestParams } from "../src/signing";
import type { UserDataEvent } from "../src/types";
import { BinanceWsApi } from "../src/ws-api/ws-api-client";
import { payload, until } from "./helpers";
import { type TestConnection, TestWsServer } from "./ws-server";

const API_KEY = "ws-api-key";
const SECRET = "ws-api-secret";

type Msg = Record<string, unknown>;
type Request = { id: string; method: string; params: RequestParams };

let server: TestWsServer;
let api: BinanceWsApi;
let events: UserDataEvent[];

function result(file: string): unknown {
  return (payload(file) as Msg).result;
}

function answer(conn: TestConnection, id: string, body: Msg): void {
  conn.ws.send(JSON.stringify({ id, ...body }));
}

function subscribeRequests(conn: TestConnection): Request[] {
  return (conn.received as Request[]).filter((r) => r.method === "userDataStream.subscribe.signature");
}

beforeEach(async () => {
  server = await TestWsServer.start();
  events = [];
  server.onMessage = (conn, raw) => {
    const req = raw as Request;
    switch (req.method) {
      case "userDataStream.subscribe.signature":
        return answer(conn, req.id, { status: 200, result: { subscriptionId: 0 } });
      case "order.place":
        return answer(conn, req.id, { status: 200, result: result("wsapi_order.place_response_RESULT.json"), rateLimits: (payload("wsapi_order.place_response_RESULT.json") as Msg).rateLimits });
      case "order.cancel":
        return answer(conn, req.id, { status: 200, result: result("wsapi_order.cancel_response.json") });
      case "openOrders.status":
        return answer(conn, req.id, { status: 200, result: payload("rest_openOrders.json") });
      case "order.cancelReplace": {
        const body = payload("rest_cancelReplace_409_newOrderFailed.json") as Msg;
        return answer(conn, req.id, { status: 409, error: body });
      }
      default:
        return undefined; // unanswered: used for timeouts
    }
  };
  api = new BinanceWsApi({
    url: `${server.url}/ws-api/v3`,
    apiKey: API_KEY,
    signer: createSigner({ apiSecret: SECRET }),
    clock: systemClock,
    serverTime: new ServerTimeOffset(systemClock),
    recvWindow: 5000,
    // Long enough for a loaded machine to answer, short enough for the timeout test.
    requestTimeoutMs: 1_000,
    reconnect: { initialDelayMs: 10, maxDelayMs: 40 },
  });
  api.onUserData((e) => events.push(e));
  await api.start();
});

afterEach(async () => {
  await api.stop();
  await server.close();
});

describe("WebSocket API requests", () => {
  it("signs order.place (sorted params, apiKey included) and parses the result and rateLimits", async () => {
    const order = await api.placeOrder({
      symbol: "BTCUSDT",
      side: "SELL",
      type: "LIMIT",
      timeInForce: "GTC",
      price: "23416.10000000",
      quantity: "0.00847000",
      newOrderRespType: "RESULT",
    });
    expect(order).toMatchObject({ kind: "RESULT", orderId: 12569099453, status: "NEW" });
    const req = server.last().received[0] as Request;
    expect(req.method).toBe("order.place");
    expect(req.params).toMatchObject({ apiKey: API_KEY, symbol: "BTCUSDT", recvWindow: 5000 });
    expect(Object.keys(req.params)).not.toContain("stopPrice");
    expect(req.params.signature).toBe(hmacSha256Hex(SECRET, wsApiSignaturePayload(req.params)));
    expect(api.rateLimits.map((r) => r.count)).toEqual([1, 1, 1]);
  });

  it("matches responses to requests by id whatever order they come back in", async () => {
    server.onMessage = () => undefined;
    const first = api.cancelOrder({ symbol: "BTCUSDT", order: { origClientOrderId: "a" } });
    const second = api.openOrders("LTCBTC");
    await until(() => server.last().received.length === 2, "two requests");
    const [r1, r2] = server.last().received as Request[];
    expect(r1?.id).not.toBe(r2?.id);
    answer(server.last(), r2?.id ?? "", { status: 200, result: payload("rest_openOrders.json") });
    answer(server.last(), r1?.id ?? "", { status: 200, result: result("wsapi_order.cancel_response.json") });
    expect((await second)[0]?.clientOrderId).toBe("myOrder1");
    expect((await first).origClientOrderId).toBe("4d96324ff9d44481926157");
  });

  it("fails an unanswered request as outcome unknown and ignores the late answer", async () => {
    const err = await api.request("order.amend.keepPriority", { symbol: "BTCUSDT" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinanceUnknownOutcomeError);
    expect(err).toMatchObject({ method: "order.amend.keepPriority", reason: "timeout" });
    const req = server.last().received.at(-1) as Request;
    answer(server.last(), req.id, { status: 200, result: {} });
    await expect(api.openOrders()).resolves.toHaveLength(1);
  });

  it("fails pending requests as outcome unknown when the connection drops", async () => {
    server.onMessage = (conn) => conn.ws.terminate();
    await expect(api.placeOrder({ symbol: "B", side: "BUY", type: "LIMIT_MAKER", quantity: "1", price: "1" })).rejects.toMatchObject({
      name: "BinanceUnknownOutcomeError",
      reason: "connection closed before the response",
    });
  });

  it("refuses to send while disconnected", async () => {
    await api.stop();
    await expect(api.openOrders()).rejects.toBeInstanceOf(BinanceConnectionError);
    await expect(api.start()).rejects.toThrow(/cannot be restarted/);
  });

  it("rejects start() when stopped before any connection succeeded", async () => {
    server.accept = () => false;
    const never = new BinanceWsApi({
      url: `${server.url}/ws-api/v3`,
      apiKey: API_KEY,
      signer: createSigner({ apiSecret: SECRET }),
      clock: systemClock,
      serverTime: new ServerTimeOffset(systemClock),
      reconnect: { initialDelayMs: 10, maxDelayMs: 20 },
    });
    const started = never.start();
    await never.stop();
    await expect(started).rejects.toBeInstanceOf(BinanceConnectionError);
  });

  it("normalises errors and returns cancelReplace partial failures as outcomes", async () => {
    server.onMessage = (conn, raw) => {
      const req = raw as Request;
      if (req.method === "order.cancelReplace") {
        return answer(conn, req.id, { status: 409, error: payload("rest_cancelReplace_409_newOrderFailed.json") });
      }
      const body = payload("wsapi_response_error_-2010.json") as Msg;
      answer(conn, req.id, { status: body.status, error: body.error, rateLimits: body.rateLimits });
    };
    const err = await api.placeOrder({ symbol: "B", side: "BUY", type: "LIMIT_MAKER", quantity: "1", price: "1" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinanceApiError);
    expect(err).toMatchObject({ code: -2010, httpStatus: 400, msg: "Account has insufficient balance for requested action." });
    expect(api.rateLimits.find((r) => r.interval === "MINUTE")?.count).toBe(322);
    const outcome = await api.cancelReplace({
      symbol: "BTCUSDT",
      side: "SELL",
      type: "LIMIT_MAKER",
      quantity: "1",
      price: "1",
      cancelReplaceMode: "ALLOW_FAILURE",
      cancel: { cancelOrigClientOrderId: "x" },
    });
    expect(outcome).toMatchObject({ httpStatus: 409, error: { code: -2021 }, cancelResult: "SUCCESS", newOrderResult: "FAILURE" });
  });

  it("obeys a 418 ban until its retryAfter time", async () => {
    const retryAfter = Date.now() + 60_000;
    server.onMessage = (conn, raw) => {
      const body = payload("wsapi_response_418_banned.json") as Msg;
      const error = body.error as Msg;
      answer(conn, (raw as Request).id, { status: 418, error: { ...error, data: { serverTime: Date.now(), retryAfter } } });
    };
    const err = await api.openOrders().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinanceRateLimitError);
    expect((err as BinanceRateLimitError).retryAt).toBe(retryAfter);
    await expect(api.cancelOrder({ symbol: "B", order: { orderId: 1 } })).rejects.toBeInstanceOf(BinanceBackoffError);
    expect(server.last().received).toHaveLength(1);
  });
});

describe("user data over the WebSocket API", () => {
  it("subscribes with apiKey + timestamp + signature and delivers typed events", async () => {
    expect(await api.subscribeUserData()).toBe(0);
    const req = subscribeRequests(server.last())[0];
    expect(Object.keys(req?.params ?? {}).sort()).toEqual(["apiKey", "recvWindow", "signature", "timestamp"]);
    expect(req?.params.signature).toBe(hmacSha256Hex(SECRET, wsApiSignaturePayload(req?.params ?? {})));
    const ws = server.last().ws;
    ws.send(JSON.stringify(payload("uds_executionReport.json")));
    ws.send(JSON.stringify(payload("wsapi_event_outboundAccountPosition.json")));
    ws.send(JSON.stringify(payload("uds_balanceUpdate.json")));
    await until(() => events.length === 3, "three events");
    expect(events.map((e) => e.eventType)).toEqual(["executionReport", "outboundAccountPosition", "balanceUpdate"]);
  });

  it("with userDataStream set, subscribes before the first connection is used", async () => {
    await api.stop();
    const subscribed = new BinanceWsApi({
      url: `${server.url}/ws-api/v3`,
      apiKey: API_KEY,
      signer: createSigner({ apiSecret: SECRET }),
      clock: systemClock,
      serverTime: new ServerTimeOffset(systemClock),
      userDataStream: true,
    });
    try {
      await subscribed.start();
      expect(subscribed.userDataSubscriptionId).toBe(0);
      expect(subscribeRequests(server.last())).toHaveLength(1);
    } finally {
      await subscribed.stop();
    }
  });

  it("resubscribes on the new connection after a drop", async () => {
    await api.subscribeUserData();
    server.last().ws.terminate();
    await until(() => server.connections.length === 2 && subscribeRequests(server.last()).length === 1, "resubscribe");
    await until(() => api.status === "open", "open again");
    server.last().ws.send(JSON.stringify(payload("uds_executionReport.json")));
    await until(() => events.length === 1, "event on the new connection");
    await expect(api.openOrders()).resolves.toHaveLength(1);
  });

  it("moves to a new, subscribed connection on serverShutdown before closing the old one", async () => {
    await api.subscribeUserData();
    const first = server.last();
    let subscribedOnNewWhenOldClosed = false;
    first.ws.on("close", () => {
      subscribedOnNewWhenOldClosed = server.connections.length === 2 && subscribeRequests(server.last()).length === 1;
    });
    first.ws.send(JSON.stringify(payload("wsapi_serverShutdown.json")));
    await until(() => first.ws.readyState === first.ws.CLOSED, "old connection closed");
    expect(subscribedOnNewWhenOldClosed).toBe(true);
    await expect(api.openOrders()).resolves.toHaveLength(1);
    expect(server.last().received.some((r) => (r as Request).method === "openOrders.status")).toBe(true);
  });
});
