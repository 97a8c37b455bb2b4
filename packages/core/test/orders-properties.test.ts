// Property tests of the order state machine against an exchange's truth: what really happened to an order
// (placed or not, when, its fills, its cancel) is drawn at random, every report of it that an exchange and a
// client can produce is derived from that truth, and the reports reach the state machine shuffled and repeated.
// Whatever the order of arrival: no row is ever inconsistent, every fill counts once, an order that rested is
// never written off as REJECTED, and one that filled completely ends FILLED.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal, dec } from "../src/money";
import { DEFAULT_PLACEMENT_LIFE, applyOrderEvent, createOrder, orderInconsistency, type Order, type OrderEvent } from "../src/orders";

const QTY = dec("0.3");
const request = { clientOrderId: "c1", symbol: "BTCUSDT", side: "SELL" as const, price: dec("64792.00"), qty: QTY, time: 0 };
const { recvWindowMs, clockLeadMs } = DEFAULT_PLACEMENT_LIFE;

/** What happened on the exchange, and what the client heard of the placement. */
interface Truth {
  /** When the placement entered the book, or null: it never did. */
  readonly placedAt: number | null;
  /** The placement's own reply: an ack (only if placed), the exchange's reject (only if not), a timeout, or nothing yet. */
  readonly reply: { readonly kind: "ack" | "reject" | "unknown" | "none"; readonly at: number };
  readonly fills: readonly { readonly tradeId: string; readonly qty: Decimal; readonly at: number }[];
  /** Our cancel: when sent, and whether it found the order open. */
  readonly cancel: { readonly at: number; readonly found: boolean } | null;
}

const truthArb: fc.Arbitrary<Truth> = fc
  .record({
    placed: fc.boolean(),
    replyKind: fc.constantFrom("ack", "reject", "unknown", "none"),
    replyAt: fc.integer({ min: 1, max: 3_000 }),
    // A placement executes before its recvWindow runs out (measured from its last signing, at most the timeout).
    placeDelay: fc.integer({ min: 0, max: recvWindowMs + clockLeadMs - 1 }),
    fillQtys: fc.array(fc.constantFrom("0.05", "0.1", "0.15"), { maxLength: 4 }),
    fillAll: fc.boolean(),
    cancelAt: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: null }),
  })
  .map(({ placed, replyKind, replyAt, placeDelay, fillQtys, fillAll, cancelAt }): Truth => {
    const kind = placed ? (replyKind === "reject" ? "ack" : replyKind) : replyKind === "ack" ? "reject" : replyKind;
    // Acked orders were placed before the ack; a timed-out one may execute up to its recvWindow after the timeout.
    const placedAt = placed ? (kind === "ack" ? Math.max(0, replyAt - 1) : kind === "unknown" ? replyAt + placeDelay : placeDelay) : null;
    const fills: { tradeId: string; qty: Decimal; at: number }[] = [];
    if (placedAt !== null) {
      let total = new Decimal(0);
      for (const [i, q] of (fillAll ? ["0.3"] : fillQtys).entries()) {
        const qty = dec(q);
        if (total.plus(qty).gt(QTY)) break;
        total = total.plus(qty);
        fills.push({ tradeId: `t${i}`, qty, at: placedAt + 100 * (i + 1) });
      }
    }
    const filled = fills.reduce((sum, f) => sum.plus(f.qty), new Decimal(0));
    const cancel = cancelAt === null ? null : { at: cancelAt, found: placedAt !== null && cancelAt > placedAt && filled.lt(QTY) };
    return { placedAt, reply: { kind, at: replyAt }, fills, cancel };
  });

/** Every report of the truth a client may receive, in the order things happened (the test shuffles them). */
function reportsOf(truth: Truth, notFoundQueries: readonly number[]): OrderEvent[] {
  const events: OrderEvent[] = [];
  const { placedAt, reply, fills, cancel } = truth;
  if (reply.kind === "ack") events.push({ type: "ACKNOWLEDGED", time: reply.at, exchangeOrderId: "9001" });
  if (reply.kind === "reject") events.push({ type: "REJECTED", time: reply.at, code: -2010, message: "Order would immediately match and take." });
  if (reply.kind === "unknown") events.push({ type: "OUTCOME_UNKNOWN", time: reply.at, message: "timeout" });
  for (const f of fills) events.push({ type: "FILL", time: f.at, tradeId: f.tradeId, price: request.price, qty: f.qty, exchangeOrderId: "9001" });
  if (cancel) {
    events.push({ type: "CANCEL_REQUESTED", time: cancel.at });
    events.push(cancel.found ? { type: "CANCELED", time: cancel.at + 5 } : { type: "CANCEL_REJECTED", time: cancel.at + 5, code: -2011, message: "Unknown order sent." });
  }
  if (placedAt !== null) {
    const filled = fills.reduce((sum, f) => sum.plus(f.qty), new Decimal(0));
    const status = filled.eq(QTY) ? "FILLED" : cancel?.found ? "CANCELED" : filled.gt(0) ? "PARTIALLY_FILLED" : "NEW";
    events.push({ type: "STATUS_REPORTED", time: 60_000, status, exchangeOrderId: "9001" });
  }
  // A query answers NOT_FOUND only while the order is not on the exchange: before it was placed, or ever if never.
  for (const queriedAt of notFoundQueries) {
    if (placedAt === null || queriedAt < placedAt) events.push({ type: "NOT_FOUND", time: queriedAt + 50, queriedAt });
  }
  return events;
}

const scenarioArb = truthArb.chain((truth) =>
  fc.array(fc.integer({ min: 0, max: 45_000 }), { maxLength: 5 }).chain((queries) => {
    const events = reportsOf(truth, queries);
    return fc
      .record({
        shuffled: fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        repeats: fc.array(fc.nat({ max: Math.max(0, events.length - 1) }), { maxLength: events.length === 0 ? 0 : 6 }),
      })
      .map(({ shuffled, repeats }) => ({ truth, events: [...shuffled, ...repeats.map((i) => events[i]).filter((e): e is OrderEvent => e !== undefined)] }));
  }),
);

function replay(events: readonly OrderEvent[]): { order: Order; fillsApplied: string[]; reopened: number; everRejected: boolean } {
  let order = createOrder(request);
  const fillsApplied: string[] = [];
  let reopened = 0;
  let everRejected = false;
  for (const event of events) {
    const result = applyOrderEvent(order, event);
    expect(result).not.toMatchObject({ reason: "INCONSISTENT" });
    if (result.kind === "applied") {
      if (result.fill) fillsApplied.push(result.fill.tradeId);
      if (result.reopened) reopened += 1;
    }
    order = result.order;
    everRejected ||= order.status === "REJECTED";
    expect(orderInconsistency(order)).toBeNull();
  }
  return { order, fillsApplied, reopened, everRejected };
}

describe("order state machine against the exchange's truth, events reordered and repeated", () => {
  it("never leaves a row inconsistent, counts every fill once, never writes off an order that rested, and ends a filled one FILLED", () => {
    fc.assert(
      fc.property(scenarioArb, ({ truth, events }) => {
        const { order, fillsApplied, everRejected } = replay(events);
        const filled = truth.fills.reduce((sum, f) => sum.plus(f.qty), new Decimal(0));
        expect(new Set(fillsApplied).size).toBe(fillsApplied.length);
        expect(fillsApplied.sort()).toEqual(truth.fills.map((f) => f.tradeId).sort());
        expect(order.executedQty.toFixed()).toBe(filled.toFixed());
        // Not at the end, nor for a moment on the way (a later report would reopen it, but it rested untracked).
        if (truth.placedAt !== null) expect(everRejected).toBe(false);
        if (filled.eq(QTY)) expect(order.status).toBe("FILLED");
        if (truth.placedAt === null && truth.reply.kind === "reject") expect(order.status).toBe("REJECTED");
      }),
      { numRuns: 1_500 },
    );
  }, 30_000);

  it("reopens an order written off by final NOT_FOUND answers when any sign of it arrives, and accounts its fill", () => {
    const finalNotFound: OrderEvent = { type: "NOT_FOUND", time: 9_050, queriedAt: 9_000 };
    const signs: OrderEvent[] = [
      { type: "ACKNOWLEDGED", time: 9_100, exchangeOrderId: "9001" },
      { type: "FILL", time: 9_100, tradeId: "t1", price: request.price, qty: dec("0.1"), exchangeOrderId: "9001" },
      { type: "STATUS_REPORTED", time: 9_100, status: "CANCELED", exchangeOrderId: "9001" },
      { type: "CANCELED", time: 9_100 },
    ];
    fc.assert(
      fc.property(fc.constantFrom(...signs), fc.integer({ min: 1, max: 3 }), (sign, times) => {
        const base = [{ type: "OUTCOME_UNKNOWN", time: 1_000, message: "timeout" } as const, finalNotFound];
        const { order: closed } = replay(base);
        expect(closed).toMatchObject({ status: "REJECTED", closedByInference: true });
        const { order, reopened } = replay([...base, ...Array.from({ length: times }, () => sign)]);
        expect(reopened).toBe(1);
        expect(order.status).not.toBe("REJECTED");
        if (sign.type === "FILL") expect(order).toMatchObject({ status: "PARTIALLY_FILLED", executedQty: dec("0.1"), acknowledgedAt: 9_100, closedAt: null });
      }),
    );
  });
});
