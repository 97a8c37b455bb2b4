// How the bot finds out what became of an order whose fate it does not know: a placement of unknown outcome, a
// cancel that overtook its placement ("unknown order"), a cancel that got no answer. The exchange's record decides,
// so the bot asks it again by client order id, with backoff, until an answer is final (orders/placement-life.ts),
// and cancels the order if it turns up while we want it gone. Pure bookkeeping: the bot sends what this decides.
import { isTerminal, placementDeadline, type Order, type OrderEvent, type PlacementLife, DEFAULT_PLACEMENT_LIFE } from "../orders";

export interface ResolutionSettings {
  /** The first query of an order waits this long after the last event on it; the wait doubles per query. */
  readonly firstQueryAfterMs: number;
  /** The longest wait between two queries of one order. */
  readonly maxQueryGapMs: number;
  /** A cancel with no answer for this long may be lost: the order is asked about, and cancelled again if listed. */
  readonly cancelAnswerMs: number;
  /** A placement with no reply at all for this long is asked about (its reply may have been lost). */
  readonly placementReplyMs: number;
  readonly life: PlacementLife;
}

export const DEFAULT_RESOLUTION: ResolutionSettings = {
  firstQueryAfterMs: 1_000,
  maxQueryGapMs: 4_000,
  cancelAnswerMs: 1_000,
  placementReplyMs: 10_000,
  life: DEFAULT_PLACEMENT_LIFE,
};

/** Queries sent for one order: the send times still waiting for an answer (oldest first) and the count. */
interface QueryTrail {
  outstanding: number[];
  lastSentAt: number;
  sent: number;
}

/** Outstanding query times kept per order; more are dropped oldest first (an answer that late is long overdue). */
const MAX_OUTSTANDING = 16;

export class OrderResolution {
  private readonly queries = new Map<string, QueryTrail>();
  /** When the cancel now in flight for each order was sent; absent when none is (never sent, or answered). */
  private readonly cancelsInFlight = new Map<string, number>();
  /**
   * Orders whose last cancel was refused while we held their ack: most likely filled or closed, so the cancel goes
   * again only if the exchange still lists the order (a refusal before the ack just means "not placed yet").
   */
  private readonly refusedWhileAcked = new Set<string>();

  constructor(readonly settings: ResolutionSettings = DEFAULT_RESOLUTION) {}

  // ---- queries ------------------------------------------------------------------------------------------------

  /** Whether a query may go out now: none sent yet, or the backoff since the last one has passed. */
  mayQuery(clientOrderId: string, now: number): boolean {
    const trail = this.queries.get(clientOrderId);
    return trail === undefined || now - trail.lastSentAt >= this.gap(trail);
  }

  querySent(clientOrderId: string, now: number): void {
    const trail = this.queries.get(clientOrderId) ?? { outstanding: [], lastSentAt: now, sent: 0 };
    trail.outstanding.push(now);
    if (trail.outstanding.length > MAX_OUTSTANDING) trail.outstanding.shift();
    trail.lastSentAt = now;
    trail.sent += 1;
    this.queries.set(clientOrderId, trail);
  }

  /**
   * An answer came: the send time of the query it answers. Answers are matched to the oldest query still waiting,
   * which can only make the answer look older than it is: a NOT_FOUND is then believed later, never too early.
   * Null when no query of ours is waiting (an answer nobody asked for proves nothing about time).
   */
  answered(clientOrderId: string): number | null {
    return this.queries.get(clientOrderId)?.outstanding.shift() ?? null;
  }

  /**
   * Whether the host should ask about the order on this tick: its outcome is unknown, its cancel is unanswered or
   * came back without effect, or its placement got no reply at all; at the backoff's pace, and once more as soon as
   * a NOT_FOUND would be final.
   */
  queryDue(order: Order, now: number): boolean {
    if (isTerminal(order.status) || !this.needsAnswer(order, now)) return false;
    const trail = this.queries.get(order.clientOrderId);
    if (trail === undefined) return true;
    if (now - trail.lastSentAt >= this.gap(trail)) return true;
    const deadline = placementDeadline(order, this.settings.life);
    return deadline !== null && trail.lastSentAt < deadline && now >= deadline;
  }

  // ---- cancels ------------------------------------------------------------------------------------------------

  cancelSent(clientOrderId: string, now: number): void {
    this.cancelsInFlight.set(clientOrderId, now);
    this.refusedWhileAcked.delete(clientOrderId);
  }

  /**
   * Whether to send the cancel of a PENDING_CANCEL order (again): the exchange has the order (acknowledged,
   * reported or filled) and no cancel is on its way, because the last one was refused before we knew the order
   * was placed (it overtook the placement), or was refused or unanswered for a while and the exchange still lists
   * the order (`stillListed`: a query or the open orders say it is open).
   */
  cancelDue(order: Order, now: number, stillListed = false): boolean {
    if (order.status !== "PENDING_CANCEL" || order.acknowledgedAt === null) return false;
    const id = order.clientOrderId;
    const sentAt = this.cancelsInFlight.get(id);
    if (sentAt !== undefined) return stillListed && now - sentAt >= this.settings.cancelAnswerMs;
    return stillListed || !this.refusedWhileAcked.has(id);
  }

  // ---- events -------------------------------------------------------------------------------------------------

  /** Keeps the bookkeeping in step with the order's events; forgets an order once it is closed. */
  noteEvent(clientOrderId: string, event: OrderEvent, after: Order | undefined): void {
    if (event.type === "CANCEL_REQUESTED") this.cancelSent(clientOrderId, event.time);
    if (event.type === "CANCELED" || event.type === "CANCEL_REJECTED") this.cancelsInFlight.delete(clientOrderId);
    if (event.type === "CANCEL_REJECTED" && after?.acknowledgedAt != null) this.refusedWhileAcked.add(clientOrderId);
    if (after === undefined || isTerminal(after.status)) this.forget(clientOrderId);
  }

  forget(clientOrderId: string): void {
    this.queries.delete(clientOrderId);
    this.cancelsInFlight.delete(clientOrderId);
    this.refusedWhileAcked.delete(clientOrderId);
  }

  private needsAnswer(order: Order, now: number): boolean {
    const { cancelAnswerMs, placementReplyMs } = this.settings;
    switch (order.status) {
      case "UNKNOWN":
        return true;
      case "PENDING_CANCEL": {
        const sentAt = this.cancelsInFlight.get(order.clientOrderId);
        // The cancel was refused: filled, closed, or not placed yet? The exchange's record says.
        if (sentAt === undefined) return true;
        return now - Math.max(sentAt, order.updatedAt) >= cancelAnswerMs;
      }
      case "PENDING_NEW":
        return now - order.createdAt >= placementReplyMs;
      case "NEW":
      case "PARTIALLY_FILLED":
      case "FILLED":
      case "CANCELED":
      case "REJECTED":
      case "EXPIRED":
        return false;
    }
  }

  private gap(trail: QueryTrail): number {
    const { firstQueryAfterMs, maxQueryGapMs } = this.settings;
    return Math.min(maxQueryGapMs, firstQueryAfterMs * 2 ** Math.max(0, trail.sent - 1));
  }
}

/** The reason text of an `order_reopened` event: what we had concluded, and what the exchange showed instead. */
export function reopenedReason(before: Order, after: Order, event: OrderEvent): string {
  const concluded = before.lastMessage === null ? "closed as REJECTED" : `closed as REJECTED (${before.lastMessage})`;
  const shown = event.type === "FILL" ? `a fill of ${event.qty.toFixed()} at ${event.price.toFixed()}` : event.type === "STATUS_REPORTED" ? `its status ${event.status}` : event.type;
  const now = isTerminal(after.status) ? `now ${after.status}` : `now ${after.status}, cancelling it`;
  return `order ${after.clientOrderId} was ${concluded}, but the exchange reported ${shown}: reopened and accounted, ${now}`;
}
