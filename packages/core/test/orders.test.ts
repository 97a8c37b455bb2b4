import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dec } from "../src/money";
import {
  applyOrderEvent,
  createOrder,
  isTerminal,
  orderInconsistency,
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
  /** A NOT_FOUND to a query sent at `queriedAt`: final only once the placement can no longer reach the book. */
  notFound: (queriedAt = 6): OrderEvent => ({ type: "NOT_FOUND", time: queriedAt + 1, queriedAt }),
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
    ["timeout, not found while the placement may still arrive", [ev.unknown(), ev.notFound(6)], "UNKNOWN", "0"],
    ["timeout resolved as never placed (not found past recvWindow)", [ev.unknown(), ev.notFound(1 + 7_000)], "REJECTED", "0"],
    ["not found just before the placement's life ends", [ev.unknown(), ev.notFound(1 + 6_999)], "UNKNOWN", "0"],
    ["timeout then the late ack", [ev.unknown(), ev.ack()], "NEW", "0"],
    ["partial fill", [ev.ack(), ev.fill("t1", "0.1")], "PARTIALLY_FILLED", "0.1"],
    ["full fill in two parts", [ev.ack(), ev.fill("t1", "0.1"), ev.fill("t2", "0.2")], "FILLED", "0.3"],
    ["fill before the ack", [ev.fill("t1", "0.1"), ev.ack()], "PARTIALLY_FILLED", "0.1"],
    ["cancel", [ev.ack(), ev.cancelRequested(), ev.canceled()], "CANCELED", "0"],
    ["fill while the cancel is in flight", [ev.ack(), ev.cancelRequested(), ev.fill("t1", "0.1"), ev.canceled()], "CANCELED", "0.1"],
    ["filled before the cancel arrived", [ev.ack(), ev.cancelRequested(), ev.fill("t1", "0.3"), ev.cancelRejected()], "FILLED", "0.3"],
    ["cancel rejected: still to cancel until the exchange says what became of it", [ev.ack(), ev.fill("t1", "0.1"), ev.cancelRequested(), ev.cancelRejected()], "PENDING_CANCEL", "0.1"],
    ["cancel rejected, then the rest fills", [ev.ack(), ev.fill("t1", "0.1"), ev.cancelRequested(), ev.cancelRejected(), ev.fill("t2", "0.2")], "FILLED", "0.3"],
    ["cancel rejected, the exchange reports it open", [ev.ack(), ev.cancelRequested(), ev.cancelRejected(), ev.reported("NEW")], "PENDING_CANCEL", "0"],
    ["fill found by reconciliation after the cancel ack", [ev.ack(), ev.cancelRequested(), ev.canceled(), ev.fill("t9", "0.1", 9)], "CANCELED", "0.1"],
    ["cancel ack before the placement ack", [ev.cancelRequested(), ev.canceled(), ev.ack()], "CANCELED", "0"],
    ["expiry", [ev.ack(), ev.expired()], "EXPIRED", "0"],
    ["EXPIRED_IN_MATCH reported", [ev.unknown(), ev.reported("EXPIRED_IN_MATCH")], "EXPIRED", "0"],
    ["reported FILLED with the fills still to come", [ev.unknown(), ev.reported("FILLED"), ev.fill("t1", "0.3")], "FILLED", "0.3"],
    ["cancel before any reply, then not found: the placement may be in flight", [ev.cancelRequested(), ev.notFound()], "PENDING_CANCEL", "0"],
    ["cancel before any reply, not found long after every request timeout", [ev.cancelRequested(), ev.notFound(37_000)], "REJECTED", "0"],
    ["cancel overtakes the placement: unknown order, still to cancel", [ev.cancelRequested(), ev.cancelRejected()], "PENDING_CANCEL", "0"],
    ["cancel overtakes the placement, which then arrives", [ev.cancelRequested(), ev.cancelRejected(), ev.ack(), ev.canceled()], "CANCELED", "0"],
    ["cancel overtakes the placement, which then fills", [ev.cancelRequested(), ev.cancelRejected(), ev.fill("t1", "0.3")], "FILLED", "0.3"],
    ["timeout while the cancel is in flight", [ev.cancelRequested(), ev.unknown(), ev.cancelRejected(), ev.notFound(1 + 7_000)], "REJECTED", "0"],
    ["not found for an acknowledged order is stale", [ev.ack(), ev.notFound(60_000)], "NEW", "0"],
    ["reported PARTIALLY_FILLED before its fills", [ev.unknown(), { type: "STATUS_REPORTED", time: 6, status: "PARTIALLY_FILLED", exchangeOrderId: "9001" }], "PARTIALLY_FILLED", "0"],
    ["reported NEW after a fill we already have", [ev.fill("t1", "0.1"), ev.reported("NEW")], "PARTIALLY_FILLED", "0.1"],
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

  it("keeps the placement's unknown-outcome time, which bounds when a NOT_FOUND becomes final", () => {
    const order = run([ev.unknown(), ev.cancelRequested()]);
    expect(order).toMatchObject({ status: "PENDING_CANCEL", placementUnknownAt: 1 });
    expect(applyOrderEvent(order, ev.notFound(7_000))).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/^NOT_FOUND not final/) as unknown });
    expect(applyOrderEvent(order, ev.notFound(7_001))).toMatchObject({ kind: "applied", order: { status: "REJECTED", closedByInference: true } });
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
  fc.constantFrom(ev.notFound(), ev.notFound(7_001), ev.notFound(40_000)),
  fc.constantFrom(ev.reported("NEW"), ev.reported("FILLED"), ev.reported("CANCELED"), ev.reported("EXPIRED_IN_MATCH")),
);

describe("order state machine properties", () => {
  it("keeps every order consistent, applies each trade id once, and leaves a terminal status only by a fill or a reopen", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 30 }), (events) => {
        let order = createOrder(request);
        const applied = new Set<string>();
        for (const e of events) {
          const result = applyOrderEvent(order, e);
          expect(result).not.toMatchObject({ reason: "INCONSISTENT" });
          if (result.kind === "applied" && result.fill) {
            expect(applied.has(result.fill.tradeId)).toBe(false);
            applied.add(result.fill.tradeId);
          }
          if (isTerminal(order.status) && result.order.status !== order.status) {
            // Money moved: a fill completes a closed order, or reopens one we had written off as REJECTED.
            const reopened = result.kind === "applied" && result.reopened === true;
            expect(result.order.status === "FILLED" || (order.status === "REJECTED" && reopened)).toBe(true);
          }
          order = result.order;
          expect(orderInconsistency(order)).toBeNull();
        }
        expect(order.tradeIds.size).toBe(applied.size);
      }),
      { numRuns: 1_000 },
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

  it("prunes terminal orders closed before a time to an archive, where a late fill still finds them", () => {
    const ledger = new OrderLedger();
    ledger.submit(request);
    ledger.submit({ ...request, clientOrderId: "c2" });
    ledger.apply("c1", ev.ack());
    ledger.apply("c1", ev.cancelRequested());
    ledger.apply("c1", ev.canceled());
    expect(ledger.prune(6)).toBe(1);
    expect(ledger.all().map((o) => o.clientOrderId)).toEqual(["c2"]);
    expect(ledger.get("c1")?.status).toBe("CANCELED");
    expect(() => ledger.submit(request)).toThrow(DuplicateClientOrderIdError);
    // The user-data stream dropped a fill that happened before the cancel; reconciliation finds it later.
    expect(ledger.apply("c1", ev.fill("t9", "0.1", 90_000))).toMatchObject({ kind: "applied", fill: { tradeId: "t9" } });
    expect(ledger.all().map((o) => o.clientOrderId).sort()).toEqual(["c1", "c2"]);
  });
});
