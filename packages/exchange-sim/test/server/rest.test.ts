import { generateKeyPairSync, sign } from "node:crypto";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index";
import exchangeInfoDoc from "./fixtures/rest_exchangeInfo.assembled_from_docs.json";
import accountDoc from "./fixtures/rest_account.json";
import bookTickerMultiDoc from "./fixtures/rest_bookTicker_multi.json";
import bookTickerDoc from "./fixtures/rest_bookTicker_single.json";
import cancelReplace409Doc from "./fixtures/rest_cancelReplace_409_newOrderFailed.json";
import cancelReplace400Doc from "./fixtures/rest_cancelReplace_400_cancelFailed_STOP_ON_FAILURE.json";
import cancelReplaceDoc from "./fixtures/rest_cancelReplace_200_success.json";
import depthDoc from "./fixtures/rest_depth.json";
import errorDoc from "./fixtures/rest_error_generic.json";
import openOrdersDoc from "./fixtures/rest_openOrders.json";
import cancelDoc from "./fixtures/rest_order_cancel.json";
import ackDoc from "./fixtures/rest_order_new_ACK.json";
import fullDoc from "./fixtures/rest_order_new_FULL.json";
import resultDoc from "./fixtures/rest_order_new_RESULT.json";
import queryDoc from "./fixtures/rest_order_query.json";
import pingDoc from "./fixtures/rest_ping.json";
import timeDoc from "./fixtures/rest_time.json";
import tradesDoc from "./fixtures/rest_trades.json";
import { apiKey, crossingBuyPrice, form, hmac, rest, sameShape, startSim } from "./helpers";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});

/** A passive bid well below the market: valid, never fills. */
async function passiveBid(symbol = "BTCUSDT"): Promise<{ price: string; quantity: string }> {
  const { body } = await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbol });
  const bid = new Decimal((body as { bidPrice: string }).bidPrice);
  return { price: bid.mul("0.95").toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed(2), quantity: "0.01000" };
}

async function place(extra: Record<string, string> = {}) {
  const bid = await passiveBid();
  return rest(
    sim,
    "POST",
    "/api/v3/order",
    { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", ...bid, ...extra },
    { signed: true },
  );
}

describe("market data conformance", () => {
  it.each([
    ["/api/v3/ping", {}, pingDoc],
    ["/api/v3/time", {}, timeDoc],
    ["/api/v3/depth", { symbol: "BTCUSDT", limit: 5 }, depthDoc],
    ["/api/v3/ticker/bookTicker", { symbol: "BTCUSDT" }, bookTickerDoc],
    ["/api/v3/ticker/bookTicker", {}, bookTickerMultiDoc],
    ["/api/v3/trades", { symbol: "BTCUSDT", limit: 5 }, tradesDoc],
  ])("%s %o has the docs' shape", async (path, params, doc) => {
    const reply = await rest(sim, "GET", path, params);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(sameShape(reply.body, doc)).toEqual([]);
  });

  it("exchangeInfo has the docs' shape and the configured limits", async () => {
    const reply = await rest(sim, "GET", "/api/v3/exchangeInfo", { symbol: "BTCUSDT" });
    const { sors: _sors, ...doc } = exchangeInfoDoc;
    expect(sameShape(reply.body, doc)).toEqual([]);
    expect((reply.body as { rateLimits: unknown }).rateLimits).toEqual(exchangeInfoDoc.rateLimits);
    expect(reply.headers.get("x-mbx-used-weight-1m")).toMatch(/^\d+$/);
  });

  it("exchangeInfo takes symbols as a JSON array", async () => {
    const reply = await rest(sim, "GET", "/api/v3/exchangeInfo", { symbols: '["BTCUSDT","ETHUSDT"]' });
    expect((reply.body as { symbols: { symbol: string }[] }).symbols.map((s) => s.symbol)).toEqual(["BTCUSDT", "ETHUSDT"]);
    const bad = await rest(sim, "GET", "/api/v3/exchangeInfo", { symbols: "[BTCUSDT" });
    expect(bad).toMatchObject({ status: 400, body: { code: -1135, msg: "JSON sent for parameter 'symbols' is not valid" } });
  });
});

describe("trading conformance", () => {
  it("account", async () => {
    const reply = await rest(sim, "GET", "/api/v3/account", {}, { signed: true });
    expect(reply.status).toBe(200);
    expect(sameShape(reply.body, accountDoc)).toEqual([]);
  });

  it.each([
    ["ACK", ackDoc],
    ["RESULT", resultDoc],
  ])("new order %s, with order-count headers", async (newOrderRespType, doc) => {
    const reply = await place({ newOrderRespType });
    expect(reply.status).toBe(200);
    expect(sameShape(reply.body, doc)).toEqual([]);
    expect(Number(reply.headers.get("x-mbx-order-count-10s"))).toBeGreaterThan(0);
    expect(Number(reply.headers.get("x-mbx-order-count-1d"))).toBeGreaterThan(0);
  });

  it("new order FULL, query, openOrders, cancel", async () => {
    const placed = await place({ newOrderRespType: "FULL", newClientOrderId: "shapeTest1" });
    expect(sameShape({ ...(placed.body as object), fills: fullDoc.fills }, fullDoc)).toEqual([]);
    const query = await rest(sim, "GET", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: "shapeTest1" }, { signed: true });
    expect(sameShape(query.body, queryDoc)).toEqual([]);
    const open = await rest(sim, "GET", "/api/v3/openOrders", { symbol: "BTCUSDT" }, { signed: true });
    expect(sameShape(open.body, openOrdersDoc)).toEqual([]);
    const cancel = await rest(sim, "DELETE", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: "shapeTest1" }, { signed: true });
    expect(cancel.status).toBe(200);
    expect(sameShape(cancel.body, cancelDoc)).toEqual([]);
    expect(cancel.body).toMatchObject({ status: "CANCELED", origClientOrderId: "shapeTest1" });
  });

  it("cancelReplace: 200, 409 when the new order fails, 400 when the cancel fails", async () => {
    await place({ newClientOrderId: "crTest1" });
    const bid = await passiveBid();
    const ok = await rest(
      sim,
      "POST",
      "/api/v3/order/cancelReplace",
      { symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", ...bid, cancelReplaceMode: "STOP_ON_FAILURE", cancelOrigClientOrderId: "crTest1", newClientOrderId: "crTest2" },
      { signed: true },
    );
    expect(ok.status).toBe(200);
    expect(sameShape(ok.body, cancelReplaceDoc).filter((p) => !p.includes("fills"))).toEqual([]);

    const crossing = { price: await crossingBuyPrice(sim), quantity: "0.01000" };
    const partial = await rest(
      sim,
      "POST",
      "/api/v3/order/cancelReplace",
      { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", ...crossing, cancelReplaceMode: "ALLOW_FAILURE", cancelOrigClientOrderId: "crTest2" },
      { signed: true },
    );
    expect(partial.status).toBe(409);
    expect(sameShape(partial.body, cancelReplace409Doc)).toEqual([]);
    expect(partial.body).toMatchObject({ code: -2021, data: { newOrderResponse: { code: -2010, msg: "Order would immediately match and take." } } });

    const failed = await rest(
      sim,
      "POST",
      "/api/v3/order/cancelReplace",
      { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", ...bid, cancelReplaceMode: "STOP_ON_FAILURE", cancelOrigClientOrderId: "noSuchOrder" },
      { signed: true },
    );
    expect(failed.status).toBe(400);
    expect(failed.body).toEqual(cancelReplace400Doc);
  });

  it("myTrades lists the account's fills", async () => {
    const price = await crossingBuyPrice(sim);
    const taker = await rest(
      sim,
      "POST",
      "/api/v3/order",
      { symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "IOC", price, quantity: "0.00100", newOrderRespType: "FULL" },
      { signed: true },
    );
    const { orderId, fills } = taker.body as { orderId: number; fills: { tradeId: number }[] };
    expect(fills.length).toBeGreaterThan(0);
    const trades = await rest(sim, "GET", "/api/v3/myTrades", { symbol: "BTCUSDT", orderId }, { signed: true });
    expect(trades.status).toBe(200);
    expect((trades.body as { id: number; orderId: number; isBuyer: boolean }[]).map((t) => [t.id, t.orderId, t.isBuyer])).toEqual(
      fills.map((fill) => [fill.tradeId, orderId, true]),
    );
  });

  it("DELETE openOrders cancels everything on the symbol", async () => {
    await place();
    const reply = await rest(sim, "DELETE", "/api/v3/openOrders", { symbol: "BTCUSDT" }, { signed: true });
    expect(reply.status).toBe(200);
    expect(sameShape((reply.body as unknown[])[0], cancelDoc)).toEqual([]);
    const open = await rest(sim, "GET", "/api/v3/openOrders", { symbol: "BTCUSDT" }, { signed: true });
    expect(open.body).toEqual([]);
  });

  it("parameters in the form body are signed and read like the query string", async () => {
    const bid = await passiveBid();
    const reply = await rest(
      sim,
      "POST",
      "/api/v3/order",
      { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", ...bid, newOrderRespType: "ACK" },
      { signed: true, inBody: true },
    );
    expect(reply.status).toBe(200);
    expect(sameShape(reply.body, ackDoc)).toEqual([]);
  });

  it("query string and body together: signature over both, the query string wins", async () => {
    const bid = await passiveBid();
    const query = form({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", newOrderRespType: "RESULT" });
    const body = form({ side: "SELL", ...bid, timestamp: Date.now() });
    const signature = hmac(query + body);
    const response = await fetch(`${sim.baseUrl}/api/v3/order?${query}`, {
      method: "POST",
      headers: { "X-MBX-APIKEY": apiKey, "Content-Type": "application/x-www-form-urlencoded" },
      body: `${body}&signature=${signature}`,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ side: "BUY", status: "NEW" });
  });
});

describe("Ed25519 keys over REST", () => {
  it("verifies base64 signatures sent percent-encoded", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const raw = publicKey.export({ format: "der", type: "spki" }).subarray(12).toString("hex");
    sim.addAccount({ apiKey: "restEdKey1", ed25519PublicKey: raw, balances: { USDT: "10" } });
    const query = form({ omitZeroBalances: "true", timestamp: Date.now() });
    const signature = sign(null, Buffer.from(query), privateKey).toString("base64");
    const url = `${sim.baseUrl}/api/v3/account?${query}&signature=${encodeURIComponent(signature)}`;
    const ok = await fetch(url, { headers: { "X-MBX-APIKEY": "restEdKey1" } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { balances: unknown[] }).balances).toEqual([{ asset: "USDT", free: "10.00000000", locked: "0.00000000" }]);
    const tampered = await fetch(url.replace("omitZeroBalances=true", "omitZeroBalances=false"), { headers: { "X-MBX-APIKEY": "restEdKey1" } });
    expect(await tampered.json()).toEqual({ code: -1022, msg: "Signature for this request is not valid." });
  });
});

describe("symbolStatus on bookTicker", () => {
  it("filters lists and rejects a single symbol whose status differs", async () => {
    const all = await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbolStatus: "TRADING" });
    expect((all.body as unknown[]).length).toBe(2);
    const halted = await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbols: '["BTCUSDT"]', symbolStatus: "HALT" });
    expect(halted.body).toEqual([]);
    const single = await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbol: "BTCUSDT", symbolStatus: "HALT" });
    expect(single.status).toBe(400);
    expect((single.body as { code: number }).code).toBe(-1220);
  });
});

describe("bad input gets Binance's exact error and the server keeps serving", () => {
  const expectError = async (reply: Promise<{ status: number; body: unknown }>, status: number, code: number, msg: string) => {
    const { status: actualStatus, body } = await reply;
    expect({ status: actualStatus, body }).toEqual({ status, body: { code, msg } });
    expect(sameShape(body, errorDoc)).toEqual([]);
    const ping = await rest(sim, "GET", "/api/v3/ping");
    expect(ping.status).toBe(200);
  };

  it("bad signature", async () => {
    await expectError(rest(sim, "GET", "/api/v3/account", {}, { signed: true, secret: "wrong" }), 400, -1022, "Signature for this request is not valid.");
  });

  it("stale and future timestamps", async () => {
    await expectError(
      rest(sim, "GET", "/api/v3/account", {}, { signed: true, timestamp: Date.now() - 60_000 }),
      400,
      -1021,
      "Timestamp for this request is outside of the recvWindow.",
    );
    await expectError(
      rest(sim, "GET", "/api/v3/account", {}, { signed: true, timestamp: Date.now() + 5_000 }),
      400,
      -1021,
      "Timestamp for this request was 1000ms ahead of the server's time.",
    );
  });

  it("unknown and missing API keys", async () => {
    await expectError(rest(sim, "GET", "/api/v3/account", {}, { signed: true, key: "unknownKey" }), 401, -2015, "Invalid API-key, IP, or permissions for action.");
    const query = form({ timestamp: Date.now() });
    await expectError(
      fetch(`${sim.baseUrl}/api/v3/account?${query}&signature=${hmac(query)}`).then(async (r) => ({ status: r.status, body: await r.json() })),
      401,
      -2014,
      "API-key format invalid.",
    );
  });

  it("price off tick, quantity off step, notional below minimum", async () => {
    const bid = await passiveBid();
    const order = { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER" };
    await expectError(rest(sim, "POST", "/api/v3/order", { ...order, price: `${bid.price}5`, quantity: bid.quantity }, { signed: true }), 400, -1013, "Filter failure: PRICE_FILTER");
    await expectError(rest(sim, "POST", "/api/v3/order", { ...order, price: bid.price, quantity: "0.000015" }, { signed: true }), 400, -1013, "Filter failure: LOT_SIZE");
    await expectError(rest(sim, "POST", "/api/v3/order", { ...order, price: bid.price, quantity: "0.00001" }, { signed: true }), 400, -1013, "Filter failure: NOTIONAL");
  });

  it("unknown symbol, missing and unknown parameters, malformed encoding, unknown path", async () => {
    await expectError(rest(sim, "GET", "/api/v3/depth", { symbol: "NOPE" }), 400, -1121, "Invalid symbol.");
    await expectError(
      rest(sim, "POST", "/api/v3/order", { symbol: "BTCUSDT", side: "BUY", type: "LIMIT", price: "1000", quantity: "1" }, { signed: true }),
      400,
      -1102,
      "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.",
    );
    await expectError(
      rest(sim, "GET", "/api/v3/depth", { symbol: "BTCUSDT", bogus: "1" }),
      400,
      -1104,
      "Not all sent parameters were read; read '1' parameter(s) but was sent '2'.",
    );
    await expectError(
      fetch(`${sim.baseUrl}/api/v3/depth?symbol=%E0%A4%A`).then(async (r) => ({ status: r.status, body: await r.json() })),
      400,
      -1100,
      "Illegal characters found in a parameter.",
    );
    await expectError(
      fetch(`${sim.baseUrl}/api/v3/depth?symbol=BTCUSDT&symbol=ETHUSDT`).then(async (r) => ({ status: r.status, body: await r.json() })),
      400,
      -1101,
      "Duplicate values for a parameter detected.",
    );
    await expectError(rest(sim, "GET", "/api/v3/nothing"), 404, -1020, "This operation is not supported.");
  });

  it("LIMIT_MAKER that would cross", async () => {
    const price = await crossingBuyPrice(sim);
    await expectError(
      rest(sim, "POST", "/api/v3/order", { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", price, quantity: "0.01" }, { signed: true }),
      400,
      -2010,
      "Order would immediately match and take.",
    );
  });
});
