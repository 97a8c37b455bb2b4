// Messages are untyped JSON off the wire; the assertions below are what check their shape.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return */
import { generateKeyPairSync, sign } from "node:crypto";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index";
import cancelDoc from "./fixtures/wsapi_order.cancel_response.json";
import placeAckDoc from "./fixtures/wsapi_order.place_response_ACK.json";
import placeResultDoc from "./fixtures/wsapi_order.place_response_RESULT.json";
import terminatedDoc from "./fixtures/uds_eventStreamTerminated.json";
import sessionStatusDoc from "./fixtures/wsapi_session.status_response.json";
import logonDoc from "./fixtures/wsapi_session.logon_response.json";
import subscriptionsDoc from "./fixtures/wsapi_session.subscriptions_response.json";
import subscribeDoc from "./fixtures/wsapi_userDataStream.subscribe.signature_response.json";
import unsubscribeDoc from "./fixtures/wsapi_userDataStream.unsubscribe_response.json";
import exchangeInfoDoc from "./fixtures/wsapi_exchangeInfo_response.json";
import errorDoc from "./fixtures/wsapi_response_error_-2010.json";
import bannedDoc from "./fixtures/wsapi_response_418_banned.json";
import executionReportDoc from "./fixtures/uds_executionReport.json";
import positionDoc from "./fixtures/uds_outboundAccountPosition.json";
import { apiKey, crossingBuyPrice, rest, sameShape, signWs, startSim, TestSocket, wsRequest } from "./helpers";

let sim: RunningSimulator;
const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const edKey = "edTestKey0123456789";

beforeAll(async () => {
  sim = await startSim();
  sim.addAccount({
    apiKey: edKey,
    ed25519PublicKey: publicKey.export({ format: "pem", type: "spki" }).toString(),
    balances: { USDT: "100000" },
  });
});
afterAll(async () => {
  await sim.close();
});

async function passivePrice(): Promise<string> {
  const { body } = await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbol: "BTCUSDT" });
  return new Decimal((body as { bidPrice: string }).bidPrice).mul("0.95").toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed(2);
}

async function call(socket: TestSocket, method: string, params?: Record<string, unknown>) {
  const request = wsRequest(method, params);
  socket.send(request);
  return socket.next((message: { id?: unknown }) => message.id === request.id);
}

describe("WebSocket API", () => {
  it("answers ping and time with rateLimits, and malformed JSON with an error", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3`);
    const pong = await call(socket, "ping");
    expect(pong).toMatchObject({ status: 200, result: {} });
    expect(pong.rateLimits[0]).toMatchObject({ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 });
    const time = await call(socket, "time");
    expect(typeof time.result.serverTime).toBe("number");

    socket.socket.send("{not json");
    expect(await socket.next((m: { id?: unknown }) => m.id === null)).toMatchObject({ status: 400, error: { code: -1135, msg: "Invalid JSON Request" } });
    expect(await call(socket, "no.such.method")).toMatchObject({ status: 400, error: { code: -1020 } });
    expect((await call(socket, "ping")).status).toBe(200);
    socket.close();
  });

  it("exchangeInfo lists CONNECTIONS rather than RAW_REQUESTS", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3`);
    const info = await call(socket, "exchangeInfo", { symbols: ["BTCUSDT"] });
    expect(info.result.rateLimits).toEqual(exchangeInfoDoc.result.rateLimits);
    expect(info.result.symbols).toHaveLength(1);
    expect(info.result.symbols[0].symbol).toBe("BTCUSDT");
    socket.close();
  });

  it("places and cancels orders; user data arrives after the response, in order", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3`);
    const subscribed = await call(socket, "userDataStream.subscribe.signature", signWs({ apiKey, timestamp: Date.now() }));
    // The docs' example was taken with returnRateLimits=false.
    expect(sameShape(subscribed.result, subscribeDoc.result)).toEqual([]);
    expect(subscribed.rateLimits[0]).toHaveProperty("rateLimitType", "REQUEST_WEIGHT");
    const subscriptionId = subscribed.result.subscriptionId as number;

    const price = await passivePrice();
    const placeRequest = wsRequest(
      "order.place",
      signWs({ apiKey, symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", price, quantity: "0.01", newClientOrderId: "wsOrder1", newOrderRespType: "RESULT", timestamp: Date.now() }),
    );
    socket.send(placeRequest);
    // The response is the first message after the request, then executionReport NEW, then the balance change.
    const response = await socket.next();
    expect(response.id).toBe(placeRequest.id);
    expect(sameShape(response, placeResultDoc)).toEqual([]);
    const report = await socket.next();
    expect(report.subscriptionId).toBe(subscriptionId);
    // `v` (prevented match id) appears only after self-trade prevention.
    const { v: _v, ...reportDoc } = executionReportDoc.event;
    expect(sameShape(report, { ...executionReportDoc, event: reportDoc })).toEqual([]);
    expect(report.event).toMatchObject({ e: "executionReport", x: "NEW", X: "NEW", c: "wsOrder1", s: "BTCUSDT" });
    const position = await socket.next();
    expect(sameShape(position, positionDoc)).toEqual([]);

    const status = await call(socket, "order.status", signWs({ apiKey, symbol: "BTCUSDT", origClientOrderId: "wsOrder1", timestamp: Date.now() }));
    expect(status.result).toMatchObject({ status: "NEW", clientOrderId: "wsOrder1" });

    const cancel = await call(socket, "order.cancel", signWs({ apiKey, symbol: "BTCUSDT", origClientOrderId: "wsOrder1", timestamp: Date.now() }));
    const { rateLimits: _rl, ...cancelShape } = cancel as Record<string, unknown>;
    const { stopPrice: _s, trailingDelta: _t, icebergQty: _i, strategyId: _si, strategyType: _st, ...docResult } = cancelDoc.result;
    expect(sameShape({ ...cancelShape, result: cancelShape.result }, { id: cancelDoc.id, status: 200, result: docResult })).toEqual([]);
    const canceled = await socket.next((m: { event?: { e?: string } }) => m.event?.e === "executionReport");
    expect(canceled.event).toMatchObject({ x: "CANCELED", X: "CANCELED", C: "wsOrder1" });

    const ack = await call(
      socket,
      "order.place",
      signWs({ apiKey, symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity: "0.01", newOrderRespType: "ACK", timestamp: Date.now() }),
    );
    expect(sameShape(ack.result, placeAckDoc.result)).toEqual([]);
    expect((ack.rateLimits as { rateLimitType: string }[]).map((limit) => limit.rateLimitType)).toEqual(
      placeAckDoc.rateLimits.map((limit) => limit.rateLimitType),
    );

    const subscriptions = await call(socket, "session.subscriptions");
    expect(sameShape(subscriptions.result, subscriptionsDoc.result)).toEqual([]);
    const again = await call(socket, "userDataStream.subscribe.signature", signWs({ apiKey, timestamp: Date.now() }));
    expect(again).toMatchObject({ status: 400, error: { code: -2035, msg: "User Data Stream subscription already active." } });
    const unsubscribed = await call(socket, "userDataStream.unsubscribe", { subscriptionId });
    expect(sameShape(unsubscribed.result, unsubscribeDoc.result)).toEqual([]);
    socket.close();
  });

  it("rejects a bad signature and a crossing LIMIT_MAKER with Binance's errors, then keeps serving", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3`);
    const bad = await call(socket, "account.status", { ...signWs({ apiKey, timestamp: Date.now() }), signature: "0".repeat(64) });
    expect(bad).toMatchObject({ status: 400, error: { code: -1022, msg: "Signature for this request is not valid." } });
    const price = await crossingBuyPrice(sim);
    const crossing = await call(
      socket,
      "order.place",
      signWs({ apiKey, symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity: "0.01", timestamp: Date.now() }),
    );
    expect(sameShape(crossing, errorDoc)).toEqual([]);
    expect(crossing.error).toEqual({ code: -2010, msg: "Order would immediately match and take." });
    const limits = crossing.rateLimits as { rateLimitType: string }[];
    expect(limits.map((limit) => limit.rateLimitType)).toEqual(["ORDERS", "ORDERS", "REQUEST_WEIGHT"]);
    const stale = await call(socket, "account.status", signWs({ apiKey, timestamp: Date.now() - 10_000 }));
    expect(stale.error).toEqual({ code: -1021, msg: "Timestamp for this request is outside of the recvWindow." });
    expect((await call(socket, "ping")).status).toBe(200);
    socket.close();
  });

  it("session.logon with Ed25519, then unsigned requests and userDataStream.subscribe", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3?returnRateLimits=false`);
    const params = { apiKey: edKey, timestamp: Date.now() };
    const payload = `apiKey=${edKey}&timestamp=${params.timestamp}`;
    const signature = sign(null, Buffer.from(payload), privateKey).toString("base64");
    const logon = await call(socket, "session.logon", { ...params, signature });
    expect(sameShape(logon, logonDoc)).toEqual([]);
    expect(logon.result).toMatchObject({ apiKey: edKey, returnRateLimits: false, userDataStream: false });

    const account = await call(socket, "account.status", { timestamp: Date.now() });
    expect(account.status).toBe(200);
    expect(account.rateLimits).toBeUndefined();
    expect(account.result.balances).toContainEqual({ asset: "USDT", free: "100000.00000000", locked: "0.00000000" });
    const subscribed = await call(socket, "userDataStream.subscribe");
    expect(subscribed).toMatchObject({ status: 200, result: { subscriptionId: 0 } });
    const status = await call(socket, "session.status");
    expect(sameShape(status, sessionStatusDoc)).toEqual([]);
    expect(status.result.userDataStream).toBe(true);

    const logout = await call(socket, "session.logout");
    expect(logout.result).toMatchObject({ apiKey: null, userDataStream: false });
    const terminated = await socket.next();
    expect(sameShape(terminated, terminatedDoc)).toEqual([]);
    expect(terminated.subscriptionId).toBe(0);
    const afterLogout = await call(socket, "account.status", { timestamp: Date.now() });
    expect(afterLogout.status).toBe(401);
    socket.close();
  });

  it("429 and 418 carry data.retryAfter and the rateLimits array", async () => {
    // A fixed clock just after a minute boundary: the weight window cannot roll over mid-test.
    const fixed = Math.floor(Date.now() / 60_000) * 60_000 + 1_000;
    const own = await startSim({ clock: { now: () => fixed }, rateLimits: { requestWeightPerMinute: 3, requestsAfter429BeforeBan: 0 } });
    try {
      // Opening the connection costs 2 of the 3.
      const socket = await TestSocket.open(`${own.wsBaseUrl}/ws-api/v3`);
      expect((await call(socket, "ping")).rateLimits).toEqual([
        { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 3, count: 3 },
      ]);
      const limited = await call(socket, "ping");
      expect(limited).toMatchObject({ status: 429, error: { code: -1003 } });
      expect(limited.error.msg).toBe(
        "Too much request weight used; current limit is 3 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
      );
      expect(limited.error.data).toEqual({ serverTime: fixed, retryAfter: fixed + 59_000 });
      const banned = await call(socket, "ping");
      expect(sameShape(banned, bannedDoc)).toEqual([]);
      expect(banned.status).toBe(418);
      expect(banned.error.msg).toBe(
        `Way too much request weight used; IP banned until ${banned.error.data.retryAfter}. Please use WebSocket Streams for live updates to avoid bans.`,
      );
      socket.close();
    } finally {
      await own.close();
    }
  });

  it("a revoked key gets 401 -2015, on a logged-on session too", async () => {
    const { publicKey: revokedPublic, privateKey: revokedPrivate } = generateKeyPairSync("ed25519");
    sim.addAccount({ apiKey: "revokeMe1", ed25519PublicKey: revokedPublic.export({ format: "pem", type: "spki" }).toString(), balances: {} });
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3`);
    const timestamp = Date.now();
    const signature = sign(null, Buffer.from(`apiKey=revokeMe1&timestamp=${timestamp}`), revokedPrivate).toString("base64");
    expect((await call(socket, "session.logon", { apiKey: "revokeMe1", timestamp, signature })).status).toBe(200);
    const revoked = await fetch(`${sim.baseUrl}/admin/accounts/revoke`, { method: "POST", body: JSON.stringify({ apiKey: "revokeMe1" }) });
    expect(revoked.status).toBe(200);
    const after = await call(socket, "account.status", { timestamp: Date.now() });
    expect(after).toMatchObject({ status: 401, error: { code: -2015, msg: "Invalid API-key, IP, or permissions for action." } });
    socket.close();
  });

  it("session.logon refuses an HMAC key", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3`);
    const logon = await call(socket, "session.logon", signWs({ apiKey, timestamp: Date.now() }));
    expect(logon.status).toBe(401);
    socket.close();
  });
});
