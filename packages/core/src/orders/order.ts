import { Decimal } from "../money/decimal";
import type { Side } from "../side";
import { orderInconsistency } from "./consistency";
import { applyFill } from "./fills";
import { isTerminal, type OrderStatus } from "./status";
import { DEFAULT_PLACEMENT_LIFE, isNotFoundFinal, placementDeadline, type PlacementLife } from "./placement-life";

export { ORDER_STATUSES, TERMINAL_STATUSES, isTerminal, type OrderStatus } from "./status";

/** A new order as the bot sends it; creating an Order from it means the request is on its way (PENDING_NEW). */
export interface OrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly time: number;
}

/** Exchange statuses a reconciliation query can report (EXPIRED_IN_MATCH maps to EXPIRED). */
export type ReportedStatus = "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "REJECTED" | "EXPIRED" | "EXPIRED_IN_MATCH";

export type OrderEvent =
  | { readonly type: "ACKNOWLEDGED"; readonly time: number; readonly exchangeOrderId: string }
  | { readonly type: "REJECTED"; readonly time: number; readonly code: number | null; readonly message: string }
  /** A timeout or 5xx: the order may or may not exist; resolved later by a query with the same clientOrderId. */
  | { readonly type: "OUTCOME_UNKNOWN"; readonly time: number; readonly message: string }
  | {
      readonly type: "FILL";
      readonly time: number;
      readonly tradeId: string;
      readonly price: Decimal;
      readonly qty: Decimal;
      readonly exchangeOrderId?: string;
      readonly commission?: Decimal;
      readonly commissionAsset?: string;
      readonly isMaker?: boolean;
    }
  | { readonly type: "CANCEL_REQUESTED"; readonly time: number }
  /**
   * e.g. -2011 "Unknown order sent.": the order was not open when the cancel arrived: filled, already cancelled,
   * or not placed yet (the cancel overtook a placement still in flight).
   */
  | { readonly type: "CANCEL_REJECTED"; readonly time: number; readonly code: number | null; readonly message: string }
  | { readonly type: "CANCELED"; readonly time: number }
  | { readonly type: "EXPIRED"; readonly time: number; readonly reason: string }
  /**
   * A query sent at `queriedAt` found no such order (-2013). Final only once the placement can no longer reach
   * the book (see placement-life.ts); before that the order stays as it is and is asked about again.
   */
  | { readonly type: "NOT_FOUND"; readonly time: number; readonly queriedAt: number }
  /** Reconciliation: the exchange's status from a query or the open-orders list. */
  | {
      readonly type: "STATUS_REPORTED";
      readonly time: number;
      readonly status: ReportedStatus;
      readonly exchangeOrderId: string;
      /** The exchange's executed quantity, when the report carries it: more than ours means fills to fetch. */
      readonly executedQty?: Decimal;
    };

export type OrderEventType = OrderEvent["type"];

export interface Fill {
  readonly clientOrderId: string;
  readonly tradeId: string;
  readonly side: Side;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly time: number;
  readonly commission: Decimal | null;
  readonly commissionAsset: string | null;
  readonly isMaker: boolean | null;
}

export interface Order {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: Decimal;
  readonly origQty: Decimal;
  readonly status: OrderStatus;
  readonly exchangeOrderId: string | null;
  readonly executedQty: Decimal;
  /** Sum of fill price x qty (Binance's cummulativeQuoteQty). */
  readonly cumulativeQuoteQty: Decimal;
  readonly tradeIds: ReadonlySet<string>;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Exchange acknowledgement time on our clock: the order is open from here (KPI definition). */
  readonly acknowledgedAt: number | null;
  /** When the placement's outcome was reported unknown (timeout, 5xx): the client sends it no more after this. */
  readonly placementUnknownAt: number | null;
  readonly closedAt: number | null;
  /**
   * True when REJECTED was concluded from final NOT_FOUND answers rather than reported by the exchange: any later
   * sign of the order (an ack, a status, a cancel or expiry report) reopens it, as a fill on any REJECTED one does.
   */
  readonly closedByInference: boolean;
  /** The last rejection, cancel failure, expiry reason or unknown-outcome message. */
  readonly lastMessage: string | null;
}

export function remainingQty(order: Order): Decimal {
  return order.origQty.minus(order.executedQty);
}

/** Creates the order in PENDING_NEW; fails fast on a malformed request (a bug, not a market event). */
export function createOrder(request: OrderRequest): Order {
  if (!request.price.gt(0) || !request.qty.gt(0)) {
    throw new RangeError(`order ${request.clientOrderId}: price and quantity must be positive`);
  }
  return {
    clientOrderId: request.clientOrderId,
    symbol: request.symbol,
    side: request.side,
    price: request.price,
    origQty: request.qty,
    status: "PENDING_NEW",
    exchangeOrderId: null,
    executedQty: new Decimal(0),
    cumulativeQuoteQty: new Decimal(0),
    tradeIds: new Set(),
    createdAt: request.time,
    updatedAt: request.time,
    acknowledgedAt: null,
    placementUnknownAt: null,
    closedAt: null,
    closedByInference: false,
    lastMessage: null,
  };
}

export type OrderEventResult =
  /** `reopened`: the order had been closed as REJECTED, and this event shows it existed on the exchange after all. */
  | { readonly kind: "applied"; readonly order: Order; readonly previous: OrderStatus; readonly fill?: Fill; readonly reopened?: true }
  /** Harmless: a late or repeated event that changes nothing (e.g. an ack after the cancel ack). */
  | { readonly kind: "ignored"; readonly order: Order; readonly reason: string }
  /**
   * The event contradicts what we know (duplicate trade id, overfill), or would leave the order inconsistent
   * (`detail` says how): not applied; the engine reconciles.
   */
  | { readonly kind: "rejected"; readonly order: Order; readonly reason: "DUPLICATE_TRADE" | "OVERFILL" | "INVALID_FILL" | "INCONSISTENT"; readonly detail?: string };

type TableEvent = Exclude<OrderEventType, "FILL" | "STATUS_REPORTED" | "NOT_FOUND">;

/**
 * Where each non-fill event leads from each status; a missing entry means the event is ignored there.
 * Terminal statuses have no entries: they stay terminal (but see reopen). The odd real-world cases:
 * - CANCELED / EXPIRED from PENDING_NEW or UNKNOWN: the cancel (by clientOrderId) or an expiry can be reported
 *   before the ack of the placement reached us.
 * - ACKNOWLEDGED in PENDING_CANCEL: the placement's response arrives after we already asked to cancel; the order
 *   id is recorded and the cancel stays pending. REJECTED there: the placement failed (e.g. post-only would have
 *   crossed) while the cancel was in flight, so there is nothing to cancel. OUTCOME_UNKNOWN there: the placement
 *   timed out while the cancel was in flight; the cancel stays wanted.
 * - CANCEL_REJECTED keeps PENDING_CANCEL: "unknown order" means the order was filled or closed, or not placed
 *   yet (the cancel overtook its placement, whatever order the replies came back in). The exchange's record
 *   decides which (a query, the fills, the ack); until then we still want the order gone.
 * - NOT_FOUND and STATUS_REPORTED are handled apart (applyNotFound, applyReport), as are fills (applyFill), since
 *   where they lead depends on times and quantities.
 */
const TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<TableEvent, OrderStatus>>>> = {
  PENDING_NEW: {
    ACKNOWLEDGED: "NEW",
    REJECTED: "REJECTED",
    OUTCOME_UNKNOWN: "UNKNOWN",
    CANCEL_REQUESTED: "PENDING_CANCEL",
    CANCELED: "CANCELED",
    EXPIRED: "EXPIRED",
  },
  UNKNOWN: {
    ACKNOWLEDGED: "NEW",
    REJECTED: "REJECTED",
    CANCEL_REQUESTED: "PENDING_CANCEL",
    CANCELED: "CANCELED",
    EXPIRED: "EXPIRED",
  },
  NEW: { CANCEL_REQUESTED: "PENDING_CANCEL", CANCELED: "CANCELED", EXPIRED: "EXPIRED" },
  PARTIALLY_FILLED: { CANCEL_REQUESTED: "PENDING_CANCEL", CANCELED: "CANCELED", EXPIRED: "EXPIRED" },
  PENDING_CANCEL: {
    ACKNOWLEDGED: "PENDING_CANCEL",
    REJECTED: "REJECTED",
    OUTCOME_UNKNOWN: "PENDING_CANCEL",
    CANCELED: "CANCELED",
    EXPIRED: "EXPIRED",
    CANCEL_REJECTED: "PENDING_CANCEL",
  },
  FILLED: {},
  CANCELED: {},
  REJECTED: {},
  EXPIRED: {},
};

function eventMessage(event: OrderEvent): string | null {
  switch (event.type) {
    case "REJECTED":
    case "CANCEL_REJECTED":
      return event.code === null ? event.message : `${event.code} ${event.message}`;
    case "OUTCOME_UNKNOWN":
      return event.message;
    case "EXPIRED":
      return event.reason;
    case "NOT_FOUND":
      return "not on the exchange after its placement could no longer reach the book";
    case "ACKNOWLEDGED":
    case "FILL":
    case "CANCEL_REQUESTED":
    case "CANCELED":
    case "STATUS_REPORTED":
      return null;
  }
}

/** Events that show the order exists on the exchange (whatever its status there). */
function provesExistence(event: OrderEvent): boolean {
  switch (event.type) {
    case "ACKNOWLEDGED":
    case "FILL":
    case "CANCELED":
    case "EXPIRED":
      return true;
    case "STATUS_REPORTED":
      return event.status !== "REJECTED";
    case "REJECTED":
    case "OUTCOME_UNKNOWN":
    case "CANCEL_REQUESTED":
    case "CANCEL_REJECTED":
    case "NOT_FOUND":
      return false;
  }
}

function withStatus(order: Order, status: OrderStatus, event: OrderEvent): Order {
  const hasId = event.type === "ACKNOWLEDGED" || event.type === "STATUS_REPORTED";
  // An ack, or a report of any status but REJECTED, proves the exchange accepted it (a cancel or expiry report
  // overtaking the ack does not open it in the KPI sense: it was never seen open).
  const acked = status !== "REJECTED" && (event.type === "ACKNOWLEDGED" || event.type === "STATUS_REPORTED");
  return {
    ...order,
    status,
    exchangeOrderId: hasId ? event.exchangeOrderId : order.exchangeOrderId,
    acknowledgedAt: order.acknowledgedAt ?? (acked ? event.time : null),
    placementUnknownAt: order.placementUnknownAt ?? (event.type === "OUTCOME_UNKNOWN" ? event.time : null),
    closedAt: isTerminal(status) ? (order.closedAt ?? event.time) : null,
    closedByInference: status === "REJECTED" && event.type === "NOT_FOUND",
    updatedAt: event.time,
    lastMessage: eventMessage(event) ?? order.lastMessage,
  };
}

/** The open status the quantities call for: nothing executed is NEW, something PARTIALLY_FILLED, all FILLED. */
function openStatusFor(order: Order): OrderStatus {
  if (order.executedQty.eq(order.origQty)) return "FILLED";
  return order.executedQty.gt(0) ? "PARTIALLY_FILLED" : "NEW";
}

function reportedToStatus(order: Order, status: ReportedStatus): OrderStatus {
  switch (status) {
    case "EXPIRED_IN_MATCH":
      return "EXPIRED";
    case "NEW":
    case "PARTIALLY_FILLED":
      // The report may lag the fills we already have, or run ahead of the ones still to come.
      return order.executedQty.gt(0) ? openStatusFor(order) : status === "NEW" ? "NEW" : "PARTIALLY_FILLED";
    case "CANCELED":
    case "EXPIRED":
      // All of it executed: whatever the report says, the order is filled.
      return order.executedQty.eq(order.origQty) ? "FILLED" : status;
    case "FILLED":
      // Filled on the exchange, but our fills are not all in (the user-data stream dropped them): the order is
      // leaving (gone from the book, so the side is quoted again) and closes FILLED on its trades once they are
      // fetched, so its row never reads FILLED with less executed.
      return order.executedQty.eq(order.origQty) ? "FILLED" : "PENDING_CANCEL";
    case "REJECTED":
      return status;
  }
}

/** NOT_FOUND ends an order only when it is final (placement-life.ts); before that nothing changes. */
function applyNotFound(order: Order, event: Extract<OrderEvent, { type: "NOT_FOUND" }>, life: PlacementLife): OrderEventResult {
  if (isTerminal(order.status)) return { kind: "ignored", order, reason: `NOT_FOUND in ${order.status}` };
  if (!isNotFoundFinal(order, event.queriedAt, life)) {
    const deadline = placementDeadline(order, life);
    const why = deadline === null ? "the exchange acknowledged it" : `its placement may still reach the book until ${new Date(deadline).toISOString()}`;
    return { kind: "ignored", order, reason: `NOT_FOUND not final: ${why}` };
  }
  return { kind: "applied", order: withStatus(order, "REJECTED", event), previous: order.status };
}

function applyReport(order: Order, event: Extract<OrderEvent, { type: "STATUS_REPORTED" }>): OrderEventResult {
  if (isTerminal(order.status)) return { kind: "ignored", order, reason: `status report on ${order.status} order` };
  if (event.status === "REJECTED" && (order.acknowledgedAt !== null || order.executedQty.gt(0))) {
    return { kind: "ignored", order, reason: "REJECTED reported for an order the exchange accepted" };
  }
  let status = reportedToStatus(order, event.status);
  // A still-open order we asked to cancel stays PENDING_CANCEL until the cancel resolves.
  if (order.status === "PENDING_CANCEL" && (status === "NEW" || status === "PARTIALLY_FILLED")) status = "PENDING_CANCEL";
  return { kind: "applied", order: withStatus(order, status, event), previous: order.status };
}

/**
 * A REJECTED order shows up after all. A fill always reopens it (see applyFill); any other sign of it reopens an
 * order closed by inference only, since a rejection the exchange itself reported is its final word.
 */
function reopen(order: Order, event: OrderEvent): OrderEventResult {
  let status: OrderStatus;
  switch (event.type) {
    case "CANCELED":
      status = "CANCELED";
      break;
    case "EXPIRED":
      status = "EXPIRED";
      break;
    case "STATUS_REPORTED":
      status = reportedToStatus(order, event.status);
      break;
    case "ACKNOWLEDGED":
    case "FILL":
    case "REJECTED":
    case "OUTCOME_UNKNOWN":
    case "CANCEL_REQUESTED":
    case "CANCEL_REJECTED":
    case "NOT_FOUND":
      status = openStatusFor(order);
      break;
  }
  const reopened = withStatus({ ...order, closedAt: null }, status, event);
  return { kind: "applied", order: reopened, previous: order.status, reopened: true };
}

function route(order: Order, event: OrderEvent, life: PlacementLife): OrderEventResult {
  if (event.type === "FILL") return applyFill(order, event);
  if (order.status === "REJECTED" && order.closedByInference && provesExistence(event)) return reopen(order, event);
  // The placement's ack (or a report) after the cancel ack or expiry: nothing changes but the exchange id we lacked.
  if ((event.type === "ACKNOWLEDGED" || event.type === "STATUS_REPORTED") && order.exchangeOrderId === null && (order.status === "CANCELED" || order.status === "EXPIRED" || order.status === "FILLED")) {
    return { kind: "applied", order: { ...order, exchangeOrderId: event.exchangeOrderId, updatedAt: event.time }, previous: order.status };
  }
  switch (event.type) {
    case "NOT_FOUND":
      return applyNotFound(order, event, life);
    case "STATUS_REPORTED":
      return applyReport(order, event);
    case "ACKNOWLEDGED":
    case "REJECTED":
    case "OUTCOME_UNKNOWN":
    case "CANCEL_REQUESTED":
    case "CANCEL_REJECTED":
    case "CANCELED":
    case "EXPIRED": {
      const target = TRANSITIONS[order.status][event.type];
      if (target === undefined) return { kind: "ignored", order, reason: `${event.type} in ${order.status}` };
      // Once acknowledged or filled an order exists: a reject for it is stale.
      if (target === "REJECTED" && (order.executedQty.gt(0) || order.acknowledgedAt !== null)) {
        return { kind: "ignored", order, reason: `${event.type} on an order the exchange accepted` };
      }
      if (event.type === "OUTCOME_UNKNOWN" && order.acknowledgedAt !== null) return { kind: "ignored", order, reason: "OUTCOME_UNKNOWN after the ack" };
      return { kind: "applied", order: withStatus(order, target, event), previous: order.status };
    }
  }
}

/**
 * The only way an order changes: one event through the transition rules. Pure; returns a new Order. A result
 * that would break an order's consistency (consistency.ts) is refused, never applied.
 */
export function applyOrderEvent(order: Order, event: OrderEvent, life: PlacementLife = DEFAULT_PLACEMENT_LIFE): OrderEventResult {
  const result = route(order, event, life);
  if (result.kind !== "applied") return result;
  const problem = orderInconsistency(result.order);
  return problem === null ? result : { kind: "rejected", order, reason: "INCONSISTENT", detail: problem };
}
