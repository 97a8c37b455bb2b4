import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../src/clock";
import { MarketStream, type MarketStreamMessage } from "../src/streams/market-stream";
import { reconnectDelay, type SocketHealth, type SocketStatusChange } from "../src/streams/managed-socket";
import { payload, until } from "./helpers";
import { TestWsServer } from "./ws-server";

let server: TestWsServer;
let stream: MarketStream | undefined;
let messages: MarketStreamMessage[];
let statuses: SocketStatusChange[];

function openStream(streams: string[], extra: Partial<ConstructorParameters<typeof MarketStream>[0]> = {}): MarketStream {
  const s = new MarketStream({
    url: `${server.url}/stream`,
    streams,
    clock: systemClock,
    reconnect: { initialDelayMs: 10, maxDelayMs: 40 },
    ...extra,
  });
  s.onMessage((m) => messages.push(m));
  s.onStatus((c) => statuses.push(c));
  s.start();
  stream = s;
  return s;
}

const wrap = (stream: string, data: unknown) => JSON.stringify({ stream, data });

beforeEach(async () => {
  server = await TestWsServer.start();
  messages = [];
  statuses = [];
});

afterEach(async () => {
  await stream?.stop();
  stream = undefined;
  await server.close();
});

describe("MarketStream", () => {
  it("connects to the combined endpoint and delivers parsed events", async () => {
    openStream(["bnbbtc@trade", "bnbusdt@bookTicker", "bnbbtc@depth@100ms"]);
    await until(() => server.open.length === 1, "connection");
    expect(server.last().url).toBe("/stream?streams=bnbbtc@trade/bnbusdt@bookTicker/bnbbtc@depth@100ms");
    const ws = server.last().ws;
    ws.send(wrap("bnbbtc@trade", payload("stream_trade.json")));
    ws.send(wrap("bnbusdt@bookTicker", payload("stream_bookTicker.json")));
    ws.send(wrap("bnbbtc@depth@100ms", payload("stream_depthUpdate.json")));
    ws.send(JSON.stringify({ result: null, id: 1 }));
    await until(() => messages.length === 3, "three events");
    expect(messages.map((m) => m.event.eventType)).toEqual(["trade", "bookTicker", "depthUpdate"]);
    expect(messages[0]?.receivedAt).toBeGreaterThan(0);
  });

  it("answers a ping with a pong carrying the same payload", async () => {
    openStream(["btcusdt@trade"]);
    await until(() => server.open.length === 1, "connection");
    const pong = new Promise<string>((resolve) => server.last().ws.once("pong", (data: Buffer) => resolve(data.toString())));
    server.last().ws.ping("ping-payload-123");
    expect(await pong).toBe("ping-payload-123");
  });

  it("reconnects after a drop with every subscription, including ones added live", async () => {
    const s = openStream(["btcusdt@trade"]);
    await until(() => server.open.length === 1, "connection");
    s.subscribe(["btcusdt@bookTicker"]);
    await until(() => server.last().received.length === 1, "SUBSCRIBE");
    expect(server.last().received[0]).toMatchObject({ method: "SUBSCRIBE", params: ["btcusdt@bookTicker"] });

    server.last().ws.terminate();
    await until(() => server.connections.length === 2 && server.open.length === 1, "reconnect");
    expect(server.last().url).toBe("/stream?streams=btcusdt@trade/btcusdt@bookTicker");
    await until(() => s.status === "open", "open again");
    expect(statuses.map((c) => c.status)).toEqual(["connecting", "open", "reconnecting", "open"]);
    server.last().ws.send(wrap("btcusdt@trade", payload("stream_trade.json")));
    await until(() => messages.length === 1, "event on the new connection");
  });

  it("sends SUBSCRIBE for streams added while the connection was still opening", async () => {
    const s = openStream(["btcusdt@trade"]);
    s.subscribe(["btcusdt@depth@100ms"]);
    await until(() => server.open.length === 1 && server.last().received.length === 1, "SUBSCRIBE after open");
    expect(server.last().url).toBe("/stream?streams=btcusdt@trade");
    expect(server.last().received[0]).toMatchObject({ method: "SUBSCRIBE", params: ["btcusdt@depth@100ms"] });
  });

  it("batches a burst of (un)subscriptions into few, spaced control messages", async () => {
    const arrivals: number[] = [];
    server.onMessage = () => arrivals.push(Date.now());
    const s = openStream(["btcusdt@trade"]);
    await until(() => s.status === "open", "open");
    s.subscribe(["ethusdt@trade"]);
    s.subscribe(["bnbusdt@trade", "ethusdt@trade"]);
    s.unsubscribe(["btcusdt@trade"]);
    s.subscribe(["xrpusdt@trade"]);
    await until(() => server.last().received.length === 2, "two control messages");
    const [first, second] = server.last().received as { method: string; params: string[] }[];
    expect(first).toMatchObject({ method: "SUBSCRIBE", params: ["ethusdt@trade", "bnbusdt@trade", "xrpusdt@trade"] });
    expect(second).toMatchObject({ method: "UNSUBSCRIBE", params: ["btcusdt@trade"] });
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(240);
    expect(s.subscriptions).toEqual(["ethusdt@trade", "bnbusdt@trade", "xrpusdt@trade"]);
  });

  it("refuses more than 1024 streams on one connection", () => {
    const s = openStream(["btcusdt@trade"]);
    const many = Array.from({ length: 1023 }, (_, i) => `s${i}usdt@trade`);
    s.subscribe(many);
    expect(() => s.subscribe(["one-too-many@trade"])).toThrow(/at most 1024/);
    expect(s.subscriptions).toHaveLength(1024);
  });

  it("keeps retrying with backoff while the server refuses connections", async () => {
    let refusals = 3;
    server.accept = () => refusals-- <= 0;
    openStream(["btcusdt@trade"]);
    await until(() => server.open.length === 1, "connection after refusals");
    expect(refusals).toBe(-1);
  });

  it("spaces reconnect attempts exponentially, resetting once a connection succeeds", async () => {
    const attempts: number[] = [];
    let refusals = 4;
    server.accept = () => {
      attempts.push(Date.now());
      return refusals-- <= 0;
    };
    // random() = 1 gives the full ceiling: 20, 40, 80, 80 (capped) ms.
    openStream(["btcusdt@trade"], { reconnect: { initialDelayMs: 20, maxDelayMs: 80 }, random: () => 1 });
    await until(() => server.open.length === 1, "connection after refusals");
    const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] ?? 0));
    expect(gaps).toHaveLength(4);
    [20, 40, 80, 80].forEach((min, i) => expect(gaps[i]).toBeGreaterThanOrEqual(min - 2));
  });

  it("computes backoff with a doubling, capped ceiling and half of it jittered", () => {
    const policy = { initialDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((a) => reconnectDelay(policy, a, 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([0, 1, 4].map((a) => reconnectDelay(policy, a, 0))).toEqual([50, 100, 500]);
    expect(reconnectDelay(policy, 2, 0.5)).toBe(300);
  });

  it("replaces the connection on serverShutdown, opening the new one before closing the old", async () => {
    openStream(["btcusdt@trade"]);
    await until(() => server.open.length === 1, "connection");
    const first = server.last();
    let openWhenOldClosed = -1;
    first.ws.on("close", () => {
      openWhenOldClosed = server.open.length;
    });
    first.ws.send(JSON.stringify(payload("stream_serverShutdown_combined.json")));
    await until(() => server.connections.length === 2 && openWhenOldClosed >= 0, "rotation");
    expect(openWhenOldClosed).toBe(1);
    expect(server.last().url).toBe(first.url);
    server.last().ws.send(wrap("btcusdt@trade", payload("stream_trade.json")));
    await until(() => messages.length === 1, "event on the replacement");
    expect(statuses.at(-1)).toMatchObject({ status: "open", reason: "serverShutdown", connections: 2 });
  });

  it("rotates before the configured connection lifetime ends", async () => {
    openStream(["btcusdt@trade"], { maxConnectionLifetimeMs: 150 });
    await until(() => server.connections.length >= 2, "rotation", 2000);
    await until(() => server.open.length === 1, "old connection closed");
    expect(statuses.some((c) => c.reason === "connection lifetime")).toBe(true);
  });

  it("drops a silent connection and reconnects", async () => {
    openStream(["btcusdt@trade"], { staleAfterMs: 100 });
    await until(() => server.connections.length >= 2, "reconnect after silence", 2000);
  });

  it("keeps a quiet connection alive on its own heartbeat pings, well past the silence limit", async () => {
    const s = openStream(["btcusdt@trade"], { staleAfterMs: 300, heartbeatMs: 80 });
    const health: SocketHealth[] = [];
    s.onHealth((h) => health.push(h));
    await until(() => s.health.healthy, "healthy on the first pong");
    // No message at all for five silence limits: the pongs to our pings are the only frames.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(server.connections).toHaveLength(1);
    expect(s.health).toEqual({ healthy: true });
    expect(health).toEqual([{ healthy: true }]);
  });

  it("drops a connection whose peer stops answering (no frame, no pong) and names the silence", async () => {
    const s = openStream(["btcusdt@trade"], { staleAfterMs: 300, heartbeatMs: 80 });
    const health: SocketHealth[] = [];
    s.onHealth((h) => health.push(h));
    await until(() => s.health.healthy, "healthy");
    // The server stops reading: our pings go unanswered, as on a blackholed path.
    server.last().ws.pause();
    const cutAt = Date.now();
    await until(() => health.some((h) => !h.healthy), "unhealthy", 2_000);
    expect(Date.now() - cutAt).toBeLessThan(600);
    expect(health.find((h) => !h.healthy)?.reason).toMatch(/^no frame for \d+ ms$/);
    await until(() => server.connections.length >= 2 && s.health.healthy, "reconnected and healthy again", 2_000);
    expect(statuses.some((c) => c.status === "reconnecting" && c.reason?.startsWith("no frame for") === true)).toBe(true);
  });

  it("turns unhealthy when a ping goes unanswered, keeps the connection, and is healthy again on the late answer", async () => {
    const s = openStream(["btcusdt@trade"], { staleAfterMs: 3_000, heartbeatMs: 80, pongTimeoutMs: 200 });
    const health: SocketHealth[] = [];
    s.onHealth((h) => health.push(h));
    await until(() => s.health.healthy, "healthy");
    server.last().ws.pause();
    const pausedAt = Date.now();
    await until(() => !s.health.healthy, "unhealthy", 2_000);
    expect(Date.now() - pausedAt).toBeLessThan(80 + 200 + 200);
    expect(s.health.reason).toMatch(/^no answer to a ping for \d+ ms$/);
    expect(server.connections).toHaveLength(1);
    // The peer reads again: the pong (or any frame) makes the same connection healthy.
    server.last().ws.resume();
    await until(() => s.health.healthy, "healthy again", 2_000);
    expect(server.connections).toHaveLength(1);
    expect(health.map((h) => h.healthy)).toEqual([true, false, true]);
  });

  it("reports malformed payloads without dropping the connection", async () => {
    const s = openStream(["btcusdt@trade"]);
    const errors: Error[] = [];
    s.onError((e) => errors.push(e));
    await until(() => server.open.length === 1, "connection");
    server.last().ws.send(wrap("btcusdt@trade", { e: "trade", E: 1, s: "BTCUSDT", t: 1, p: 1.5, q: "1", T: 1, m: true, M: true }));
    server.last().ws.send(wrap("btcusdt@trade", payload("stream_trade.json")));
    await until(() => messages.length === 1 && errors.length === 1, "error then event");
    expect(server.connections).toHaveLength(1);
  });
});
