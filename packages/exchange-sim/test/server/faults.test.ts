// Messages are untyped JSON off the wire; the assertions below are what check their shape.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access */
import Decimal from "decimal.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index";
import { FaultInjector } from "../../src/server/faults";
import { apiKey, rest, signWs, startSim, TestSocket, wsRequest } from "./helpers";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSim();
});
afterEach(() => {
  sim.faults.reset();
});
afterAll(async () => {
  await sim.close();
});

async function admin(path: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${sim.baseUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
  });
  return { status: response.status, body: await response.json() };
}

async function passiveOrder(clientOrderId: string, symbol = "BTCUSDT") {
  const { body } = await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbol });
  const price = new Decimal((body as { bidPrice: string }).bidPrice).mul("0.95").toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed(2);
  return { symbol, side: "BUY", type: "LIMIT_MAKER", price, quantity: "0.1", newClientOrderId: clientOrderId };
}

describe("fault switches", () => {
  it("validates patches", () => {
    const faults = new FaultInjector();
    expect(() => faults.apply({ serverErrorsNext: -1 })).toThrow(/non-negative/);
    expect(() => faults.apply({ nonsense: 1 } as never)).toThrow(/unknown fault/);
    expect(faults.apply({ latency: { restMs: 5 } }).latency).toEqual({ restMs: 5, wsApiMs: 0, streamsMs: 0 });
  });

  it("rate limits can be raised per simulator at runtime", async () => {
    const own = await startSim({ rateLimits: { ordersPer10Seconds: 1 } });
    try {
      const raised = await fetch(`${own.baseUrl}/admin/rate-limits`, { method: "POST", body: JSON.stringify({ ordersPer10Seconds: 500, reset: true }) });
      expect(((await raised.json()) as { rateLimits: { ordersPer10Seconds: number } }).rateLimits.ordersPer10Seconds).toBe(500);
      const info = await rest(own, "GET", "/api/v3/exchangeInfo", { symbol: "BTCUSDT" });
      expect((info.body as { rateLimits: unknown[] }).rateLimits).toContainEqual({ rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 500 });
      const bad = await fetch(`${own.baseUrl}/admin/rate-limits`, { method: "POST", body: JSON.stringify({ ordersPerHour: 1 }) });
      expect(bad.status).toBe(400);
    } finally {
      await own.close();
    }
  });

  it("admin state and a bad patch", async () => {
    const state = await admin("/admin/state");
    expect(state.body.faults.serverErrorsNext).toBe(0);
    expect(state.body.symbols).toContainEqual({ symbol: "BTCUSDT", status: "TRADING" });
    expect((await admin("/admin/faults", { serverErrorMode: "sometimes" })).status).toBe(400);
  });

  it("-1007 timeout: HTTP 503, and the order was placed anyway", async () => {
    const order = await passiveOrder("unknownOutcome1");
    await admin("/admin/faults", { serverErrorsNext: 1, serverErrorMode: "timeout" });
    const placed = await rest(sim, "POST", "/api/v3/order", order, { signed: true });
    expect(placed.status).toBe(503);
    expect(placed.body).toEqual({
      code: -1007,
      msg: "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
    });
    const query = await rest(sim, "GET", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: "unknownOutcome1" }, { signed: true });
    expect(query.body).toMatchObject({ status: "NEW" });
  });

  it("5xx error: HTTP 500 -1000 and nothing executed", async () => {
    const order = await passiveOrder("neverPlaced1");
    sim.faults.apply({ serverErrorsNext: 1, serverErrorMode: "error" });
    const placed = await rest(sim, "POST", "/api/v3/order", order, { signed: true });
    expect(placed).toMatchObject({ status: 500, body: { code: -1000 } });
    const query = await rest(sim, "GET", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: "neverPlaced1" }, { signed: true });
    expect(query.body).toEqual({ code: -2013, msg: "Order does not exist." });
  });

  it("429 burst and a 418 ban through admin", async () => {
    await admin("/admin/faults", { rateLimitNext: 2 });
    expect((await rest(sim, "GET", "/api/v3/ping")).status).toBe(429);
    const second = await rest(sim, "GET", "/api/v3/ping");
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await rest(sim, "GET", "/api/v3/ping")).status).toBe(200);

    const own = await startSim();
    try {
      const ban = await fetch(`${own.baseUrl}/admin/ban`, { method: "POST", body: JSON.stringify({ durationMs: 60_000 }) });
      const { bannedUntil } = (await ban.json()) as { bannedUntil: number };
      const banned = await rest(own, "GET", "/api/v3/ping");
      expect(banned.status).toBe(418);
      expect(banned.body).toMatchObject({ code: -1003, msg: expect.stringContaining(`IP banned until ${bannedUntil}.`) as unknown });
    } finally {
      await own.close();
    }
  });

  it("clock skew moves server time and breaks unsynchronised timestamps", async () => {
    await admin("/admin/faults", { clockSkewMs: 30_000 });
    const time = await rest(sim, "GET", "/api/v3/time");
    expect((time.body as { serverTime: number }).serverTime - Date.now()).toBeGreaterThan(25_000);
    const account = await rest(sim, "GET", "/api/v3/account", {}, { signed: true });
    expect(account.body).toEqual({ code: -1021, msg: "Timestamp for this request is outside of the recvWindow." });
    const synced = await rest(sim, "GET", "/api/v3/account", {}, { signed: true, timestamp: Date.now() + 30_000 });
    expect(synced.status).toBe(200);
  });

  it("REST latency delays the answer, and the recvWindow is checked again after it", async () => {
    sim.faults.apply({ latency: { restMs: 150 } });
    const started = Date.now();
    expect((await rest(sim, "GET", "/api/v3/ping")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const late = await rest(sim, "GET", "/api/v3/account", { recvWindow: 100 }, { signed: true });
    expect(late.body).toEqual({ code: -1021, msg: "Timestamp for this request is outside of the recvWindow." });
  });

  it("WS API latency, dropped and delayed user data", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3`);
    const subscribe = wsRequest("userDataStream.subscribe.signature", signWs({ apiKey, timestamp: Date.now() }));
    socket.send(subscribe);
    await socket.next((m) => m.id === subscribe.id);

    sim.faults.apply({ latency: { wsApiMs: 100 }, userDataDropNext: 1 });
    const first = wsRequest("order.place", signWs({ apiKey, ...(await passiveOrder("udsDrop1")), timestamp: Date.now() }));
    const sentAt = Date.now();
    socket.send(first);
    await socket.next((m) => m.id === first.id);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(90);
    // executionReport NEW was dropped; outboundAccountPosition still arrives.
    const afterDrop = await socket.next((m) => m.subscriptionId !== undefined);
    expect(afterDrop.event.e).toBe("outboundAccountPosition");

    sim.faults.apply({ latency: { wsApiMs: 0 }, userDataDelayMs: 200 });
    const second = wsRequest("order.place", signWs({ apiKey, ...(await passiveOrder("udsDelay1")), timestamp: Date.now() }));
    socket.send(second);
    const answered = await socket.next((m) => m.id === second.id);
    expect(answered.status).toBe(200);
    const answeredAt = Date.now();
    const delayed = await socket.next((m) => m.event?.e === "executionReport");
    expect(delayed.event.c).toBe("udsDelay1");
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(150);
    socket.close();
  });

  it("WS API latency delays each request, in order, without throttling the connection", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3`);
    sim.faults.apply({ latency: { wsApiMs: 300 } });
    const requests = Array.from({ length: 10 }, () => wsRequest("ping", {}));
    const sentAt = Date.now();
    for (const request of requests) socket.send(request);
    const answeredAt: number[] = [];
    const ids: unknown[] = [];
    for (let i = 0; i < requests.length; i++) {
      const answer = await socket.next((m) => m.id !== undefined && m.status !== undefined);
      ids.push(answer.id);
      answeredAt.push(Date.now() - sentAt);
    }
    expect(ids).toEqual(requests.map((request) => request.id));
    expect(answeredAt[0]).toBeGreaterThanOrEqual(280);
    // Ten requests sent together are all answered about 300 ms later, not one every 300 ms (3 s for the last).
    expect(answeredAt[9]).toBeLessThan(1_200);
    socket.close();
  });

  it("drops connections once (abruptly or gracefully) and on a schedule", async () => {
    const stream = await TestSocket.open(`${sim.wsBaseUrl}/ws/btcusdt@trade`);
    const api = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3`);
    await admin("/admin/connections/drop", { graceful: false });
    expect(await stream.waitClosed()).toBe(1006);
    await api.waitClosed();

    const graceful = await TestSocket.open(`${sim.wsBaseUrl}/stream?streams=btcusdt@trade`);
    await admin("/admin/connections/drop", { graceful: true });
    expect(await graceful.next((m) => m.stream === "!serverShutdown")).toHaveProperty("data.e", "serverShutdown");
    await graceful.waitClosed();

    sim.faults.apply({ dropConnectionsEveryMs: 100 });
    const scheduled = await TestSocket.open(`${sim.wsBaseUrl}/ws/btcusdt@trade`);
    await scheduled.waitClosed();
    const again = await TestSocket.open(`${sim.wsBaseUrl}/ws/btcusdt@trade`);
    await again.waitClosed();
  });

  it("a blackholed stream stays open but sends nothing and answers no ping until the fault is off", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws/btcusdt@depth@100ms`);
    await socket.next(() => true, 3000);
    const pong = (timeoutMs: number) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        socket.socket.once("pong", () => {
          clearTimeout(timer);
          resolve(true);
        });
        socket.socket.ping();
      });
    expect(await pong(1000)).toBe(true);

    expect((await admin("/admin/faults", { blackholeStreams: true })).body.faults.blackholeStreams).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.messages.length = 0;
    expect(await pong(500)).toBe(false);
    // The market keeps moving (depth every 100 ms), yet nothing arrives, and the connection is not closed.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(socket.messages).toEqual([]);
    expect(socket.closed).toBe(false);

    sim.faults.apply({ blackholeStreams: false });
    await socket.next(() => true, 3000);
    expect(await pong(1000)).toBe(true);
    socket.close();
  });

  it("stream latency holds events back, and switching it off keeps their order", async () => {
    sim.faults.apply({ latency: { streamsMs: 300 } });
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws/btcusdt@depth@100ms`);
    const openedAt = Date.now();
    const first = await socket.next(() => true, 3000);
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(280);
    sim.faults.apply({ latency: { streamsMs: 0 } });
    let previous = first;
    for (let i = 0; i < 5; i += 1) {
      const next = await socket.next(() => true, 3000);
      expect(next.U).toBe(previous.u + 1);
      previous = next;
    }
    socket.close();
  });

  it("withheld depth updates leave a sequence gap on the diff-depth stream, not on partial depth", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/stream?streams=btcusdt@depth@100ms/btcusdt@depth5@100ms`);
    const isDiff = (m: { stream?: string }) => m.stream === "btcusdt@depth@100ms";
    let previous: { U: number; u: number } = (await socket.next(isDiff, 5000)).data;
    const next = await socket.next(isDiff, 5000);
    expect(next.data.U).toBe(previous.u + 1);
    previous = next.data;

    const patched = await admin("/admin/faults", { dropDepthUpdates: 3 });
    expect(patched.body.faults.dropDepthUpdates).toBe(3);
    // Events already on their way continue the sequence; the first one sent after the withheld three does not,
    // because each withheld event moved the book.
    let afterGap: { data: { U: number; u: number } } | undefined;
    for (let i = 0; i < 50 && afterGap === undefined; i += 1) {
      const event = await socket.next(isDiff, 5000);
      if (event.data.U === previous.u + 1) previous = event.data;
      else afterGap = event;
    }
    if (afterGap === undefined) throw new Error("no gap in 50 depth updates");
    expect(afterGap.data.U).toBeGreaterThan(previous.u + 1);
    expect(sim.faults.settings.dropDepthUpdates).toBe(0);
    const continued = await socket.next(isDiff, 5000);
    expect(continued.data.U).toBe(afterGap.data.u + 1);
    // Partial book snapshots kept flowing during the gap: they have no sequence to break.
    const duringGap = await socket.next(
      (m: { stream?: string; data: { lastUpdateId: number } }) =>
        m.stream === "btcusdt@depth5@100ms" && m.data.lastUpdateId > previous.u && m.data.lastUpdateId < (afterGap?.data.U ?? 0),
      5000,
    );
    expect(duringGap.data.bids.length).toBeGreaterThan(0);
    socket.close();
  });

  it("symbol status changes, accounts and balances through admin", async () => {
    const ethOrder = await passiveOrder("haltedOrder1", "ETHUSDT");
    const halted = await admin("/admin/symbols/status", { symbol: "ETHUSDT", status: "HALT" });
    expect(halted.body.symbols).toContainEqual({ symbol: "ETHUSDT", status: "HALT" });
    const info = await rest(sim, "GET", "/api/v3/exchangeInfo", { symbol: "ETHUSDT" });
    expect((info.body as { symbols: { status: string }[] }).symbols[0]?.status).toBe("HALT");
    const order = await rest(sim, "POST", "/api/v3/order", ethOrder, { signed: true });
    expect(order.body).toEqual({ code: -2010, msg: "Market is closed." });
    await admin("/admin/symbols/status", { symbol: "ETHUSDT", status: "TRADING" });

    const created = await admin("/admin/accounts", { apiKey: "adminMade1", apiSecret: "s3cret", balances: { USDT: "500" } });
    expect(created.status).toBe(200);
    const credited = await admin("/admin/balances", { apiKey: "adminMade1", asset: "BTC", delta: "2" });
    expect(credited.body.balances).toContainEqual({ asset: "BTC", free: "2.00000000", locked: "0.00000000" });
    const account = await rest(sim, "GET", "/api/v3/account", { omitZeroBalances: "true" }, { signed: true, key: "adminMade1", secret: "s3cret" });
    expect((account.body as { balances: unknown[] }).balances).toHaveLength(2);
    expect((await admin("/admin/accounts", { apiKey: "adminMade1", apiSecret: "x", balances: {} })).status).toBe(400);
  });
});
