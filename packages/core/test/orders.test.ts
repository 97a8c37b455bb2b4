import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dec } from "../src/money";
import {
  applyOrderEvent,
  createOrder,
  isTerminal,
  OrderLedger,
  DuplicateClientOrderIdError,
  type Order,
  type OrderEvent,
  type OrderStatus,
} from "../src/orders";

const request = { clientOrderId: "c1", symbol: "BTCUSDT", side: "BUY" as const, price: dec("64792.00"), qty: dec("0.3"), time: 0 };

const ev = {
  ack: (time = 1): OrderEvent => ({ type: "ACKNOWLEDGED", time, exchangeOrderId: "9001" }),
  reject: (): OrderEvent => ({ type: "REJECTED", time: 1, code: -2010, message: "Order would immediately match and take." }),
  unknown: (): OrderEvent => ({ type: "OUTCOME_UNKNOWN", time: 1, message: "timeout" }),
  fill: (tradeId: string, qty: string, time = 2): OrderEvent => ({ type: "FILL", time, tradeId, price: dec("64792.00"), qty: dec(qty) }),
  cancelRequested: (): OrderEvent => ({ type: "CANCEL_REQUESTED", time: 3 }),
  cancelRejected: (): OrderEvent => ({ type: "CANCEL_REJECTED", time: 4, code: -2011, message: "Unknown order sent." }),
  canceled: (): OrderEvent => ({ type: "CANCELED", time: 5 }),
  expired: (): OrderEvent => ({ type: "EXPIRED", time: 5, reason: "STP" }),
  notFound: (): OrderEvent => ({ type: "NOT_FOUND", time: 6 }),
  reported: (status: "NEW" | "FILLED" | "CANCELED" | "EXPIRED_IN_MATCH"): OrderEvent => ({ type: "STATUS_REPORTED", time: 6, status, exchangeOrderId: "9001" }),
};

function run(events: OrderEvent[]): Order {
  let order = createOrder(request);
  for (const e of events) order = applyOrderEvent(order, e).order;
  return order;
}

describe("order transitions", () => {
  it.each<[string, OrderEvent[], OrderStatus, string]>([
    ["ack", [ev.ack()], "NEW", "0"],
    ["reject", [ev.reject()], "REJECTED", "0"],
    ["timeout", [ev.unknown()], "UNKNOWN", "0"],
    ["timeout resolved as placed by query", [ev.unknown(), ev.reported("NEW")], "NEW", "0"],
    ["timeout resolved as never placed", [ev.unknown(), ev.notFound()], "REJECTED", "0"],
    ["timeout then the late ack", [ev.unknown(), ev.ack()], "NEW", "0"],
    ["partial fill", [ev.ack(), ev.fill("t1", "0.1")], "PARTIALLY_FILLED", "0.1"],
    ["full fill in two parts", [ev.ack(), ev.fill("t1", "0.1"), ev.fill("t2", "0.2")], "FILLED", "0.3"],
    ["fill before the ack", [ev.fill("t1", "0.1"), ev.ack()], "PARTIALLY_FILLED", "0.1"],
    ["cancel", [ev.ack(), ev.cancelRequested(), ev.canceled()], "CANCELED", "0"],
    ["fill while the cancel is in flight", [ev.ack(), ev.cancelRequested(), ev.fill("t1", "0.1"), ev.canceled()], "CANCELED", "0.1"],
    ["filled before the cancel arrived", [ev.ack(), ev.cancelRequested(), ev.fill("t1", "0.3"), ev.cancelRejected()], "FILLED", "0.3"],
    ["cancel rejected, back to the previous status", [ev.ack(), ev.fill("t1", "0.1"), ev.cancelRequested(), ev.cancelRejected()], "PARTIALLY_FILLED", "0.1"],
    ["fill found by reconciliation after the cancel ack", [ev.ack(), ev.cancelRequested(), ev.canceled(), ev.fill("t9", "0.1", 9)], "CANCELED", "0.1"],
    ["cancel ack before the placement ack", [ev.cancelRequested(), ev.canceled(), ev.ack()], "CANCELED", "0"],
    ["expiry", [ev.ack(), ev.expired()], "EXPIRED", "0"],
    ["EXPIRED_IN_MATCH reported", [ev.unknown(), ev.reported("EXPIRED_IN_MATCH")], "EXPIRED", "0"],
    ["reported FILLED with the fills still to come", [ev.unknown(), ev.reported("FILLED"), ev.fill("t1", "0.3")], "FILLED", "0.3"],
    ["cancel of an order that never reached the book", [ev.cancelRequested(), ev.notFound()], "REJECTED", "0"],
    ["placement rejected while its cancel is in flight", [ev.cancelRequested(), ev.reject()], "REJECTED", "0"],
    ["stale reject after the ack and a cancel request", [ev.ack(), ev.cancelRequested(), ev.reject()], "PENDING_CANCEL", "0"],
  ])("%s", (_name, events, status, executed) => {
    const order = run(events);
    expect(order.status).toBe(status);
    expect(order.executedQty.toFixed()).toBe(executed);
  });

  it("records the exchange id, ack time and close time", () => {
    const order = run([ev.ack(1), ev.cancelRequested(), ev.canceled()]);
    expect(order).toMatchObject({ exchangeOrderId: "9001", acknowledgedAt: 1, closedAt: 5, updatedAt: 5 });
  });

  it("applies a fill exactly once", () => {
    const filled = applyOrderEvent(run([ev.ack()]), ev.fill("t1", "0.1"));
    expect(filled.kind).toBe("applied");
    if (filled.kind !== "applied") return;
    expect(filled.fill).toMatchObject({ tradeId: "t1", side: "BUY", qty: dec("0.1") });
    expect(applyOrderEvent(filled.order, ev.fill("t1", "0.1"))).toMatchObject({ kind: "rejected", reason: "DUPLICATE_TRADE" });
  });

  it("refuses a fill beyond the original quantity", () => {
    expect(applyOrderEvent(run([ev.ack()]), ev.fill("t1", "0.31"))).toMatchObject({ kind: "rejected", reason: "OVERFILL" });
  });

  it("ignores events that make no sense in the current status", () => {
    expect(applyOrderEvent(run([ev.ack()]), ev.ack())).toMatchObject({ kind: "ignored" });
    expect(applyOrderEvent(run([ev.reject()]), ev.canceled())).toMatchObject({ kind: "ignored" });
  });

  it("fails fast on a malformed request", () => {
    expect(() => createOrder({ ...request, qty: dec("0") })).toThrow(RangeError);
  });
});

const eventArb: fc.Arbitrary<OrderEvent> = fc.oneof(
  fc.constant(ev.ack()),
  fc.constant(ev.reject()),
  fc.constant(ev.unknown()),
  fc.record({ id: fc.constantFrom("t1", "t2", "t3", "t4"), qty: fc.constantFrom("0.05", "0.1", "0.2", "0.3") }).map(({ id, qty }) => ev.fill(id, qty)),
  fc.constant(ev.cancelRequested()),
  fc.constant(ev.cancelRejected()),
  fc.constant(ev.canceled()),
  fc.constant(ev.expired()),
  fc.constant(ev.notFound()),
  fc.constantFrom(ev.reported("NEW"), ev.reported("FILLED"), ev.reported("CANCELED"), ev.reported("EXPIRED_IN_MATCH")),
);

describe("order state machine properties", () => {
  it("keeps executedQty <= origQty, applies each trade id once, and terminal states stay terminal", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 30 }), (events) => {
        let order = createOrder(request);
        const applied = new Set<string>();
        let terminal: OrderStatus | null = null;
        for (const e of events) {
          const result = applyOrderEvent(order, e);
          if (result.kind === "applied" && result.fill) {
            expect(applied.has(result.fill.tradeId)).toBe(false);
            applied.add(result.fill.tradeId);
          }
          order = result.order;
          expect(order.executedQty.lte(order.origQty)).toBe(true);
          expect(order.executedQty.gte(0)).toBe(true);
          if (terminal !== null) expect(order.status).toBe(terminal);
          else if (isTerminal(order.status)) terminal = order.status;
        }
        expect(order.tradeIds.size).toBe(applied.size);
      }),
      { numRuns: 500 },
    );
  });
});

describe("OrderLedger", () => {
  it("tracks working and open orders by clientOrderId", () => {
    const ledger = new OrderLedger();
    ledger.submit(request);
    ledger.submit({ ...request, clientOrderId: "c2", side: "SELL", price: dec("65208.00") });
    expect(ledger.working().map((o) => o.clientOrderId)).toEqual(["c1", "c2"]);
    expect(ledger.open()).toEqual([]);
    ledger.apply("c1", ev.ack());
    expect(ledger.open().map((o) => o.clientOrderId)).toEqual(["c1"]);
    expect(ledger.open("SELL")).toEqual([]);
    ledger.apply("c1", ev.fill("t1", "0.1"));
    expect(ledger.workingViews().find((v) => v.clientOrderId === "c1")).toMatchObject({ status: "PARTIALLY_FILLED", remainingQty: dec("0.2") });
    ledger.apply("c2", ev.reject());
    expect(ledger.working().map((o) => o.clientOrderId)).toEqual(["c1"]);
  });

  it("returns null for an order it does not know", () => {
    expect(new OrderLedger().apply("stranger", ev.ack())).toBeNull();
  });

  it("refuses a reused clientOrderId", () => {
    const ledger = new OrderLedger();
    ledger.submit(request);
    expect(() => ledger.submit(request)).toThrow(DuplicateClientOrderIdError);
  });

  it("prunes terminal orders closed before a time", () => {
    const ledger = new OrderLedger();
    ledger.submit(request);
    ledger.submit({ ...request, clientOrderId: "c2" });
    ledger.apply("c1", ev.reject());
    expect(ledger.prune(2)).toBe(1);
    expect(ledger.has("c1")).toBe(false);
    expect(ledger.has("c2")).toBe(true);
  });
});
