import { describe, expect, it } from "vitest";

import type { ExecutionReportEvent, OutboundAccountPositionEvent, UserEvent } from "../../src/exchange/venue";
import { fixture, harness, typeOf } from "./helpers";

const documented = fixture<{ event: Record<string, unknown> }>("uds_executionReport.json").event;
// Documented fields that are only sent conditionally (v is the STP prevented-match id).
const CONDITIONAL = new Set(["v"]);

function expectDocumentedShape(report: ExecutionReportEvent): void {
  const ours = report as unknown as Record<string, unknown>;
  const expectedKeys = Object.keys(documented).filter((k) => !CONDITIONAL.has(k));
  expect(Object.keys(ours).sort()).toEqual(expectedKeys.sort());
  for (const key of expectedKeys) {
    if (key === "N" && ours.N !== null) expect(typeOf(ours.N)).toBe("string");
    else expect([key, typeOf(ours[key])]).toEqual([key, typeOf(documented[key])]);
  }
}

const kinds = (events: UserEvent[]) =>
  events.map((e) => (e.e === "executionReport" ? `${e.e}:${e.x}:${e.X}` : e.e));

describe("user data events", () => {
  it("place -> partial fill -> fill emits NEW, TRADE/PARTIALLY_FILLED, TRADE/FILLED, each followed by the account position", () => {
    const h = harness();
    const mm = h.account();
    const taker = h.account();
    const placed = h.exchange.placeOrder(mm, {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "LIMIT_MAKER",
      quantity: "0.03000",
      price: "60000.00",
      newClientOrderId: "ask-1",
    });
    h.clock.advance(5);
    h.exchange.placeOrder(taker, { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.01000" });
    h.clock.advance(5);
    h.exchange.placeOrder(taker, { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.02000" });

    const events = h.userEvents(mm);
    expect(kinds(events)).toEqual([
      "executionReport:NEW:NEW",
      "outboundAccountPosition",
      "executionReport:TRADE:PARTIALLY_FILLED",
      "outboundAccountPosition",
      "executionReport:TRADE:FILLED",
      "outboundAccountPosition",
    ]);
    const reports = events.filter((e): e is ExecutionReportEvent => e.e === "executionReport");
    for (const r of reports) expectDocumentedShape(r);
    const [created, partial, filled] = reports as [ExecutionReportEvent, ExecutionReportEvent, ExecutionReportEvent];
    expect(created).toMatchObject({
      s: "BTCUSDT",
      c: "ask-1",
      S: "SELL",
      o: "LIMIT_MAKER",
      f: "GTC",
      q: "0.03000000",
      p: "60000.00000000",
      C: "",
      r: "NONE",
      i: placed.orderId,
      l: "0.00000000",
      z: "0.00000000",
      n: "0",
      N: null,
      t: -1,
      w: true,
      m: false,
      g: -1,
      Z: "0.00000000",
    });
    expect(partial).toMatchObject({
      l: "0.01000000",
      z: "0.01000000",
      L: "60000.00000000",
      n: "0.60000000",
      N: "USDT",
      m: true,
      Z: "600.00000000",
      Y: "600.00000000",
      w: true,
      T: created.T + 5,
      O: created.O,
    });
    expect(filled).toMatchObject({ l: "0.02000000", z: "0.03000000", Z: "1800.00000000", w: false });
    expect(filled.t).toBeGreaterThan(partial.t);
    expect(filled.I).toBeGreaterThan(partial.I);

    const positions = events.filter((e): e is OutboundAccountPositionEvent => e.e === "outboundAccountPosition");
    const docPosition = fixture<{ event: Record<string, unknown> }>("uds_outboundAccountPosition.json").event;
    expect(Object.keys(positions[0] as object).sort()).toEqual(Object.keys(docPosition).sort());
    expect(positions[0]?.B).toEqual([{ a: "BTC", f: "9.97000000", l: "0.03000000" }]);
    expect(positions[2]?.B).toEqual(
      expect.arrayContaining([
        { a: "BTC", f: "9.97000000", l: "0.00000000" },
        { a: "USDT", f: "1001798.20000000", l: "0.00000000" },
      ]),
    );
  });

  it("place -> cancel emits NEW then CANCELED with c = the cancel's id and C = the original id", () => {
    const h = harness();
    const mm = h.account();
    const placed = h.exchange.placeOrder(mm, {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.01000",
      price: "59000.00",
      newClientOrderId: "bid-1",
    });
    const canceled = h.exchange.cancelOrder(mm, {
      symbol: "BTCUSDT",
      orderId: String(placed.orderId),
      newClientOrderId: "cancel-bid-1",
    });
    expect(canceled).toMatchObject({ origClientOrderId: "bid-1", clientOrderId: "cancel-bid-1", status: "CANCELED" });
    const docCancel = fixture<Record<string, unknown>>("rest_order_cancel.json");
    expect(Object.keys(canceled).sort()).toEqual(Object.keys(docCancel).sort());

    const events = h.userEvents(mm);
    expect(kinds(events)).toEqual([
      "executionReport:NEW:NEW",
      "outboundAccountPosition",
      "executionReport:CANCELED:CANCELED",
      "outboundAccountPosition",
    ]);
    const cancelReport = events[2] as ExecutionReportEvent;
    expectDocumentedShape(cancelReport);
    expect(cancelReport).toMatchObject({ c: "cancel-bid-1", C: "bid-1", i: placed.orderId, w: false });
    expect((events[3] as OutboundAccountPositionEvent).B).toEqual([
      { a: "USDT", f: "1000000.00000000", l: "0.00000000" },
    ]);
  });

  it("a taker order reports NEW before its TRADEs and one account position at the end", () => {
    const h = harness();
    const maker = h.account();
    const taker = h.account();
    h.exchange.placeOrder(maker, { symbol: "BTCUSDT", side: "SELL", type: "LIMIT", timeInForce: "GTC", quantity: "0.01", price: "60000" });
    h.exchange.placeOrder(maker, { symbol: "BTCUSDT", side: "SELL", type: "LIMIT", timeInForce: "GTC", quantity: "0.01", price: "60001" });
    h.exchange.placeOrder(taker, { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.02" });
    expect(kinds(h.userEvents(taker))).toEqual([
      "executionReport:NEW:NEW",
      "executionReport:TRADE:PARTIALLY_FILLED",
      "executionReport:TRADE:FILLED",
      "outboundAccountPosition",
    ]);
  });

  it("a deposit emits balanceUpdate then outboundAccountPosition", () => {
    const h = harness();
    const a = h.account();
    h.exchange.adjustBalance(a, "BNB", "2.5");
    expect(h.userEvents(a)).toEqual([
      { e: "balanceUpdate", E: h.clock.now(), a: "BNB", d: "2.50000000", T: h.clock.now() },
      { e: "outboundAccountPosition", E: h.clock.now(), u: h.clock.now(), B: [{ a: "BNB", f: "2.50000000", l: "0.00000000" }] },
    ]);
  });
});
