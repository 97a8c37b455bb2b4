// Messages are untyped JSON off the wire; the assertions below are what check their shape.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index";
import { parseStreamName } from "../../src/server/streams";
import aggTradeDoc from "./fixtures/stream_aggTrade.json";
import tradeDoc from "./fixtures/stream_trade.json";
import bookTickerDoc from "./fixtures/stream_bookTicker.json";
import depthDoc from "./fixtures/stream_depthUpdate.json";
import listDoc from "./fixtures/stream_LIST_SUBSCRIPTIONS_response.json";
import shutdownCombinedDoc from "./fixtures/stream_serverShutdown_combined.json";
import shutdownRawDoc from "./fixtures/stream_serverShutdown_raw.json";
import subscribeDoc from "./fixtures/stream_SUBSCRIBE_response.json";
import { sameShape, startSim, TestSocket } from "./helpers";

let sim: RunningSimulator;

beforeAll(async () => {
  // These tests send control messages faster than Binance's 5 a second; one test below checks that limit.
  sim = await startSim({ connections: { maxIncomingMessagesPerSecond: 1000 } });
});
afterAll(async () => {
  await sim.close();
});

describe("stream names", () => {
  it.each([
    ["btcusdt@trade", { symbol: "BTCUSDT", source: "trade" }],
    ["btcusdt@bookTicker", { symbol: "BTCUSDT", source: "bookTicker" }],
    ["btcusdt@depth", { symbol: "BTCUSDT", source: "depth" }],
    ["btcusdt@depth@1000ms", { symbol: "BTCUSDT", source: "depth" }],
    ["btcusdt@depth@100ms", { symbol: "BTCUSDT", source: "depth@100ms" }],
    ["btcusdt@depth5@100ms", { symbol: "BTCUSDT", source: "depth@100ms", partialLevels: 5 }],
    ["BTCUSDT@trade", undefined],
    ["btcusdt@kline", undefined],
    ["btcusdt@kline_7m", undefined],
    ["btcusdt@kline_1M", { symbol: "BTCUSDT", source: "statistics", statistic: { kind: "kline", interval: "1M" } }],
    ["btcusdt@miniTicker", { symbol: "BTCUSDT", source: "statistics", statistic: { kind: "miniTicker" } }],
  ])("%s", (name, parsed) => {
    expect(parseStreamName(name)).toEqual(parsed);
  });
});

describe("market streams", () => {
  it("raw connection sends bare events", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws/btcusdt@bookTicker`);
    const event = await socket.next();
    expect(sameShape(event, bookTickerDoc)).toEqual([]);
    expect(event.s).toBe("BTCUSDT");
    socket.close();
  });

  it("trade and aggTrade events have the docs' shape", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/stream?streams=btcusdt@trade/btcusdt@aggTrade`);
    const trade = await socket.next((m: { stream?: string }) => m.stream === "btcusdt@trade", 5000);
    expect(sameShape(trade.data, tradeDoc)).toEqual([]);
    const aggTrade = await socket.next((m: { stream?: string }) => m.stream === "btcusdt@aggTrade", 5000);
    expect(sameShape(aggTrade.data, aggTradeDoc)).toEqual([]);
    socket.close();
  });

  it("combined connection wraps events as {stream, data}", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/stream?streams=btcusdt@depth@100ms/ethusdt@bookTicker`);
    const depth = await socket.next((m: { stream?: string }) => m.stream === "btcusdt@depth@100ms");
    expect(sameShape(depth.data, depthDoc)).toEqual([]);
    const next = await socket.next((m: { stream?: string }) => m.stream === "btcusdt@depth@100ms");
    expect(next.data.U).toBe(depth.data.u + 1);
    const ticker = await socket.next((m: { stream?: string }) => m.stream === "ethusdt@bookTicker");
    expect(ticker.data.s).toBe("ETHUSDT");
    socket.close();
  });

  it("SUBSCRIBE, LIST_SUBSCRIPTIONS, UNSUBSCRIBE, SET_PROPERTY and errors", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws`);
    socket.send({ method: "SUBSCRIBE", params: ["btcusdt@bookTicker", "btcusdt@depth5@100ms"], id: 1 });
    expect(await socket.next((m: { id?: number }) => m.id === 1)).toEqual(subscribeDoc);
    const partial = await socket.next((m: { lastUpdateId?: number }) => m.lastUpdateId !== undefined);
    expect(partial.bids.length).toBeLessThanOrEqual(5);
    socket.send({ method: "LIST_SUBSCRIPTIONS", id: 3 });
    const list = await socket.next((m: { id?: number }) => m.id === 3);
    expect(sameShape(list, listDoc)).toEqual([]);
    expect(list.result.sort()).toEqual(["btcusdt@bookTicker", "btcusdt@depth5@100ms"]);

    socket.send({ method: "SET_PROPERTY", params: ["combined", true], id: 4 });
    expect(await socket.next((m: { id?: number }) => m.id === 4)).toEqual({ result: null, id: 4 });
    expect(await socket.next((m: { stream?: string }) => m.stream === "btcusdt@bookTicker")).toHaveProperty("data.s", "BTCUSDT");

    socket.send({ method: "UNSUBSCRIBE", params: ["btcusdt@bookTicker", "btcusdt@depth5@100ms"], id: 5 });
    expect(await socket.next((m: { id?: number }) => m.id === 5)).toEqual({ result: null, id: 5 });
    socket.send({ method: "LIST_SUBSCRIPTIONS", id: 6 });
    expect(await socket.next((m: { id?: number }) => m.id === 6)).toEqual({ result: [], id: 6 });

    socket.send({ method: "SUBSCRIBE", params: ["not a stream"], id: 7 });
    expect(await socket.next((m: { id?: number }) => m.id === 7)).toMatchObject({ error: { code: 2 } });
    socket.send({ method: "NOPE", id: 8 });
    expect(await socket.next((m: { id?: number }) => m.id === 8)).toMatchObject({ error: { code: 2 } });
    socket.socket.send("{");
    expect(await socket.next((m: { error?: { code: number } }) => m.error?.code === 3)).toMatchObject({ id: null });
    socket.send({ method: "LIST_SUBSCRIPTIONS", id: 9 });
    expect(await socket.next((m: { id?: number }) => m.id === 9)).toEqual({ result: [], id: 9 });
    socket.close();
  });

  it("takes any path under /ws (what is no stream name subscribes to nothing); refuses one in a combined URL", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws/btcusdt@nonsense`);
    socket.send({ method: "LIST_SUBSCRIPTIONS", id: 1 });
    expect(await socket.next((m: { id?: number }) => m.id === 1)).toEqual({ result: [], id: 1 });
    socket.close();
    await expect(TestSocket.open(`${sim.wsBaseUrl}/stream?streams=btcusdt@nonsense`)).rejects.toThrow(/400/);
  });
});

describe("connection lifecycle", () => {
  it("sends serverShutdown in each framing before closing", async () => {
    const own = await startSim();
    const raw = await TestSocket.open(`${own.wsBaseUrl}/ws/btcusdt@trade`);
    const combined = await TestSocket.open(`${own.wsBaseUrl}/stream?streams=btcusdt@trade`);
    const api = await TestSocket.open(`${own.wsBaseUrl}/ws-api/v3`);
    await own.close();
    const rawShutdown = await raw.next((m: { e?: string }) => m.e === "serverShutdown");
    expect(sameShape(rawShutdown, shutdownRawDoc)).toEqual([]);
    const combinedShutdown = await combined.next((m: { stream?: string }) => m.stream === "!serverShutdown");
    expect(sameShape(combinedShutdown, shutdownCombinedDoc)).toEqual([]);
    expect(await api.next((m: { event?: { e?: string } }) => m.event?.e === "serverShutdown")).toHaveProperty("event.E");
    expect(await raw.waitClosed()).toBe(1001);
  });

  it("disconnects a client sending more than 5 control messages a second", async () => {
    const own = await startSim();
    const socket = await TestSocket.open(`${own.wsBaseUrl}/ws`);
    // Eleven at once: even split across a second boundary, one second holds six.
    for (let id = 1; id <= 11; id += 1) socket.send({ method: "LIST_SUBSCRIPTIONS", id });
    expect(await socket.waitClosed()).toBe(1008);
    expect(socket.messages.length).toBeLessThanOrEqual(10);
    await own.close();
  });

  it("pings, drops clients that do not pong, and enforces the maximum lifetime", async () => {
    const own = await startSim({ connections: { pingIntervalMs: 50, pongTimeoutMs: 400, maxLifetimeMs: 60_000 } });
    const silent = await TestSocket.open(`${own.wsBaseUrl}/ws/btcusdt@trade`, { autoPong: false });
    const polite = await TestSocket.open(`${own.wsBaseUrl}/ws/btcusdt@trade`);
    let pings = 0;
    polite.socket.on("ping", () => (pings += 1));
    await silent.waitClosed();
    expect(polite.closed).toBe(false);
    expect(pings).toBeGreaterThan(0);
    polite.close();
    await own.close();

    const short = await startSim({ connections: { maxLifetimeMs: 100 } });
    const socket = await TestSocket.open(`${short.wsBaseUrl}/ws-api/v3`);
    expect(await socket.waitClosed()).toBe(1000);
    await short.close();
  });
});
