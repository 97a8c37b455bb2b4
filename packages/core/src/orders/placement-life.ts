// When may "no such order" (-2013 on a query) be believed? Only once the placement can no longer reach the book.
//
// Binance checks a signed request's timestamp against recvWindow twice: on receipt and again just before the
// request reaches the matching engine (-1021 "outside of the recvWindow" otherwise). So a placement signed at
// `t` cannot enter the book after `t + recvWindow` on the exchange's clock. Our timestamp may lead the
// exchange's clock by less than a second (a timestamp 1 s or more ahead is refused the same way), so on our clock
// the placement's last chance is before `t + recvWindow + 1 s`. A query sent after that, and answered NOT_FOUND,
// is the exchange's final word: the placement never executed and never will.
//
// What bounds `t`, the last time the placement was signed:
// - its outcome was reported unknown (timeout, 5xx, dropped connection): the client has given up on it and sends
//   it no more, so `t` is at most that moment;
// - no answer yet: the client still owns the request (it re-signs it once after a -1021 and a clock sync), so the
//   answer to wait for is the placement's own; only a reply that never comes at all is bounded, by the client's
//   request timeouts (`replyTimeoutMs`).
// A margin on top (`settleMs`) lets the exchange's order record catch up with its matching engine.
import type { Order } from "./order";

export interface PlacementLife {
  /** The recvWindow the exchange client signs with (Binance's default 5000 ms). */
  readonly recvWindowMs: number;
  /** How far our signed timestamp may lead the exchange's clock before it is refused (Binance: 1000 ms). */
  readonly clockLeadMs: number;
  /** Slack for the exchange's order record to catch up with its matching engine. */
  readonly settleMs: number;
  /** The longest a placement may wait for its own reply: two request timeouts (a -1021, a clock sync, a resend). */
  readonly replyTimeoutMs: number;
}

export const DEFAULT_PLACEMENT_LIFE: PlacementLife = { recvWindowMs: 5_000, clockLeadMs: 1_000, settleMs: 1_000, replyTimeoutMs: 30_000 };

/**
 * Our-clock time after which the placement cannot execute any more, so a NOT_FOUND from a query sent from then
 * on is final. Null for an order the exchange acknowledged or filled: it exists, whatever a query says.
 */
export function placementDeadline(order: Order, life: PlacementLife = DEFAULT_PLACEMENT_LIFE): number | null {
  if (order.acknowledgedAt !== null || order.executedQty.gt(0)) return null;
  const lastSigned = order.placementUnknownAt ?? order.createdAt + life.replyTimeoutMs;
  return lastSigned + life.recvWindowMs + life.clockLeadMs + life.settleMs;
}

/** A NOT_FOUND answer to a query sent at `queriedAt` is final (see placementDeadline). */
export function isNotFoundFinal(order: Order, queriedAt: number, life: PlacementLife = DEFAULT_PLACEMENT_LIFE): boolean {
  const deadline = placementDeadline(order, life);
  return deadline !== null && queriedAt >= deadline;
}
