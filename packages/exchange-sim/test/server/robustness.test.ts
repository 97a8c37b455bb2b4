// Messages are untyped JSON off the wire; the assertions below are what check their shape.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index";
import { apiKey, hmac, signWs, startSim, TestSocket } from "./helpers";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});

const junkValues = ["", " ", "-1", "1e400", "NaN", "0x10", "１２３", "%", "<script>", "a".repeat(5000), '["BTCUSDT"', "null"];
const endpoints: [string, string, string[]][] = [
  ["GET", "/api/v3/depth", ["symbol", "limit"]],
  ["GET", "/api/v3/exchangeInfo", ["symbol", "symbols", "symbolStatus"]],
  ["GET", "/api/v3/ticker/bookTicker", ["symbol", "symbols"]],
  ["GET", "/api/v3/trades", ["symbol", "limit"]],
  ["POST", "/api/v3/order", ["symbol", "side", "type", "timeInForce", "quantity", "price", "newClientOrderId", "newOrderRespType"]],
  ["DELETE", "/api/v3/order", ["symbol", "orderId", "origClientOrderId"]],
  ["GET", "/api/v3/order", ["symbol", "orderId", "origClientOrderId"]],
  ["POST", "/api/v3/order/cancelReplace", ["symbol", "cancelReplaceMode", "cancelOrderId", "side", "type", "quantity", "price"]],
  ["GET", "/api/v3/myTrades", ["symbol", "orderId", "fromId", "limit"]],
];

describe("malformed input never breaks the server", () => {
  it.each(endpoints)("%s %s answers every junk value with a Binance 4xx error", async (method, path, names) => {
    for (const name of names) {
      for (const value of junkValues) {
        const base: Record<string, string> = { symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", quantity: "0.01", price: "1000" };
        const query = new URLSearchParams({ ...base, [name]: value, timestamp: String(Date.now()) }).toString();
        const response = await fetch(`${sim.baseUrl}${path}?${query}&signature=${hmac(query)}`, {
          method,
          headers: { "X-MBX-APIKEY": apiKey },
        });
        const body = (await response.json()) as { code?: unknown; msg?: unknown };
        if (response.status !== 200) {
          expect(response.status, `${name}=${value.slice(0, 20)}`).toBeLessThan(500);
          expect(typeof body.code, `${name}=${value.slice(0, 20)}`).toBe("number");
          expect(typeof body.msg).toBe("string");
        }
      }
    }
    expect((await fetch(`${sim.baseUrl}/api/v3/ping`)).status).toBe(200);
  });

  it("the WebSocket API answers malformed frames and junk params, and keeps the connection", async () => {
    const socket = await TestSocket.open(`${sim.wsBaseUrl}/ws-api/v3`);
    const frames = ["", "[]", "null", "42", '{"id":{},"method":"ping"}', '{"id":1}', '{"id":2,"method":"ping","params":[]}', "\u0000"];
    for (const frame of frames) socket.socket.send(frame);
    for (let i = 0; i < frames.length; i += 1) {
      const reply = await socket.next();
      expect(reply.status).toBe(400);
      expect(typeof reply.error.code).toBe("number");
    }
    let id = 100;
    for (const value of [null, true, 1.5, [], {}, "１２３", "x".repeat(5000)]) {
      id += 1;
      socket.send({
        id,
        method: "order.place",
        params: signWs({ apiKey, symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", quantity: "0.01", price: "1000", timestamp: Date.now() }),
      });
      socket.send({ id: id + 1000, method: "order.place", params: { ...signWs({ apiKey, symbol: "BTCUSDT", timestamp: Date.now() }), price: value } });
      const replies = [await socket.next((m) => m.id === id), await socket.next((m) => m.id === id + 1000)];
      for (const reply of replies) expect(reply.status === 200 || (reply.status >= 400 && reply.status < 500)).toBe(true);
    }
    socket.send({ id: "last", method: "ping" });
    expect((await socket.next((m) => m.id === "last")).status).toBe(200);
    socket.close();
  });

  it("refuses an upgrade with an unparsable target and keeps serving", async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(sim.port, "127.0.0.1", () =>
        socket.write(
          "GET http://[bad HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        ),
      );
      let received = "";
      socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
      socket.on("close", () => resolve(received));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${sim.baseUrl}/api/v3/ping`)).status).toBe(200);
  });

  it("survives invalid WebSocket frames on both WebSocket endpoints", async () => {
    for (const path of ["/ws-api/v3", "/ws/btcusdt@trade"]) {
      const socket = await TestSocket.open(`${sim.wsBaseUrl}${path}`);
      socket.socket.send(Buffer.from([0xff, 0xfe]), { binary: false });
      expect(await socket.waitClosed()).toBe(1007);
    }
    expect((await fetch(`${sim.baseUrl}/api/v3/ping`)).status).toBe(200);
  });
});
