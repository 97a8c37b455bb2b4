import { Decimal } from "../money/decimal";
import type { Side } from "../side";

export const ORDER_STATUSES = [
  "PENDING_NEW",
  "NEW",
  "PARTIALLY_FILLED",
  "PENDING_CANCEL",
  "UNKNOWN",
  "FILLED",
  "CANCELED",
  "REJECTED",
  "EXPIRED",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(["FILLED", "CANCELED", "REJECTED", "EXPIRED"]);

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

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
      readonly commission?: Decimal;
      readonly commissionAsset?: string;
      readonly isMaker?: boolean;
    }
  | { readonly type: "CANCEL_REQUESTED"; readonly time: number }
  /** e.g. -2011: the order was no longer open (filled or already cancelled) when the cancel arrived. */
  | { readonly type: "CANCEL_REJECTED"; readonly time: number; readonly code: number | null; readonly message: string }
  | { readonly type: "CANCELED"; readonly time: number }
  | { readonly type: "EXPIRED"; readonly time: number; readonly reason: string }
  /** A query found no such order (-2013): a request of unknown outcome never reached the book. */
  | { readonly type: "NOT_FOUND"; readonly time: number }
  /** Reconciliation: the exchange's status from a query or the open-orders list. */
  | { readonly type: "STATUS_REPORTED"; readonly time: number; readonly status: ReportedStatus; readonly exchangeOrderId: string };

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
  readonly closedAt: number | null;
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
    closedAt: null,
    lastMessage: null,
  };
}

export type OrderEventResult =
  | { readonly kind: "applied"; readonly order: Order; readonly previous: OrderStatus; readonly fill?: Fill }
  /** Harmless: a late or repeated event that changes nothing (e.g. an ack after the cancel ack). */
  | { readonly kind: "ignored"; readonly order: Order; readonly reason: string }
  /** The event contradicts what we know (duplicate trade id, overfill): not applied; the engine reconciles. */
  | { readonly kind: "rejected"; readonly order: Order; readonly reason: "DUPLICATE_TRADE" | "OVERFILL" | "INVALID_FILL" };

/**
 * Where each non-fill event leads from each status; a missing entry means the event is ignored there.
 * Terminal statuses have no entries: they stay terminal. The odd real-world cases:
 * - CANCELED / EXPIRED from PENDING_NEW or UNKNOWN: the cancel (by clientOrderId) or an expiry can be reported
 *   before the ack of the placement reached us.
 * - ACKNOWLEDGED in PENDING_CANCEL: the placement's response arrives after we already asked to cancel; the order
 *   id is recorded and the cancel stays pending. REJECTED there: the placement failed (e.g. post-only would have
 *   crossed) while the cancel was in flight, so there is nothing to cancel.
 * - CANCEL_REJECTED returns to the status the order had (see statusBeforeCancel): typically the order filled
 *   while the cancel was in flight, and the fill follows or already came.
 * - NOT_FOUND after a cancel request: the placement never reached the book, so the order is REJECTED.
 * - STATUS_REPORTED moves a pending or unknown order to what the exchange says.
 * Fills are handled apart (applyFill), since the next status depends on the quantities.
 */
const TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<Exclude<OrderEventType, "FILL" | "STATUS_REPORTED">, OrderStatus | "PREVIOUS">>>> = {
  PENDING_NEW: {
    ACKNOWLEDGED: "NEW",
    REJECTED: "REJECTED",
    OUTCOME_UNKNOWN: "UNKNOWN",
    CANCEL_REQUESTED: "PENDING_CANCEL",
    CANCELED: "CANCELED",
    EXPIRED: "EXPIRED",
    NOT_FOUND: "REJECTED",
  },
  UNKNOWN: {
    ACKNOWLEDGED: "NEW",
    REJECTED: "REJECTED",
    CANCEL_REQUESTED: "PENDING_CANCEL",
    CANCELED: "CANCELED",
    EXPIRED: "EXPIRED",
    NOT_FOUND: "REJECTED",
  },
  NEW: { CANCEL_REQUESTED: "PENDING_CANCEL", CANCELED: "CANCELED", EXPIRED: "EXPIRED" },
  PARTIALLY_FILLED: { CANCEL_REQUESTED: "PENDING_CANCEL", CANCELED: "CANCELED", EXPIRED: "EXPIRED" },
  PENDING_CANCEL: {
    ACKNOWLEDGED: "PENDING_CANCEL",
    REJECTED: "REJECTED",
    CANCELED: "CANCELED",
    EXPIRED: "EXPIRED",
    CANCEL_REJECTED: "PREVIOUS",
    NOT_FOUND: "REJECTED",
  },
  FILLED: {},
  CANCELED: {},
  REJECTED: {},
  EXPIRED: {},
};

function statusBeforeCancel(order: Order): OrderStatus {
  if (order.executedQty.gt(0)) return "PARTIALLY_FILLED";
  return order.acknowledgedAt !== null ? "NEW" : "PENDING_NEW";
}

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
      return "order not found on the exchange";
    case "ACKNOWLEDGED":
    case "FILL":
    case "CANCEL_REQUESTED":
    case "CANCELED":
    case "STATUS_REPORTED":
      return null;
  }
}

function withStatus(order: Order, status: OrderStatus, event: OrderEvent): Order {
  const hasId = event.type === "ACKNOWLEDGED" || event.type === "STATUS_REPORTED";
  // A reported REJECTED order never rested; any other report proves the exchange accepted it.
  const acked = event.type === "ACKNOWLEDGED" || (event.type === "STATUS_REPORTED" && status !== "REJECTED");
  return {
    ...order,
    status,
    exchangeOrderId: hasId ? event.exchangeOrderId : order.exchangeOrderId,
    acknowledgedAt: order.acknowledgedAt ?? (acked ? event.time : null),
    closedAt: isTerminal(status) ? event.time : order.closedAt,
    updatedAt: event.time,
    lastMessage: eventMessage(event) ?? order.lastMessage,
  };
}

function reportedToStatus(status: ReportedStatus): OrderStatus {
  return status === "EXPIRED_IN_MATCH" ? "EXPIRED" : status;
}

/**
 * Fills are recorded in every status, terminal ones included, because money moved: a fill found by
 * reconciliation after a cancel ack (the user-data stream dropped it) is still a fill. A fill before the ack
 * (the execution report overtook the placement response) implies the ack. A fill never changes a terminal status,
 * and a fill on PENDING_CANCEL keeps the cancel pending unless it completes the order.
 */
function applyFill(order: Order, event: Extract<OrderEvent, { type: "FILL" }>): OrderEventResult {
  if (order.tradeIds.has(event.tradeId)) return { kind: "rejected", order, reason: "DUPLICATE_TRADE" };
  if (!event.qty.gt(0) || !event.price.gt(0)) return { kind: "rejected", order, reason: "INVALID_FILL" };
  const executedQty = order.executedQty.plus(event.qty);
  if (executedQty.gt(order.origQty)) return { kind: "rejected", order, reason: "OVERFILL" };
  const complete = executedQty.eq(order.origQty);
  const status: OrderStatus = isTerminal(order.status)
    ? order.status
    : complete
      ? "FILLED"
      : order.status === "PENDING_CANCEL"
        ? "PENDING_CANCEL"
        : "PARTIALLY_FILLED";
  const tradeIds = new Set(order.tradeIds);
  tradeIds.add(event.tradeId);
  const next: Order = {
    ...order,
    status,
    executedQty,
    cumulativeQuoteQty: order.cumulativeQuoteQty.plus(event.price.times(event.qty)),
    tradeIds,
    acknowledgedAt: order.acknowledgedAt ?? event.time,
    closedAt: isTerminal(status) ? (order.closedAt ?? event.time) : null,
    updatedAt: event.time,
  };
  const fill: Fill = {
    clientOrderId: order.clientOrderId,
    tradeId: event.tradeId,
    side: order.side,
    price: event.price,
    qty: event.qty,
    time: event.time,
    commission: event.commission ?? null,
    commissionAsset: event.commissionAsset ?? null,
    isMaker: event.isMaker ?? null,
  };
  return { kind: "applied", order: next, previous: order.status, fill };
}

/** The only way an order changes: one event through the transition table. Pure; returns a new Order. */
export function applyOrderEvent(order: Order, event: OrderEvent): OrderEventResult {
  switch (event.type) {
    case "FILL":
      return applyFill(order, event);
    case "STATUS_REPORTED": {
      const reportable: ReadonlySet<OrderStatus> = new Set(["PENDING_NEW", "UNKNOWN", "PENDING_CANCEL", "NEW", "PARTIALLY_FILLED"]);
      if (!reportable.has(order.status)) return { kind: "ignored", order, reason: `status report on ${order.status} order` };
      let status = reportedToStatus(event.status);
      // A still-open order we asked to cancel stays PENDING_CANCEL until the cancel resolves.
      if (order.status === "PENDING_CANCEL" && (status === "NEW" || status === "PARTIALLY_FILLED")) status = "PENDING_CANCEL";
      return { kind: "applied", order: withStatus(order, status, event), previous: order.status };
    }
    case "ACKNOWLEDGED":
    case "REJECTED":
    case "OUTCOME_UNKNOWN":
    case "CANCEL_REQUESTED":
    case "CANCEL_REJECTED":
    case "CANCELED":
    case "EXPIRED":
    case "NOT_FOUND": {
      const target = TRANSITIONS[order.status][event.type];
      if (target === undefined) return { kind: "ignored", order, reason: `${event.type} in ${order.status}` };
      const status = target === "PREVIOUS" ? statusBeforeCancel(order) : target;
      // Once acknowledged or filled an order exists: a reject or "not found" for it is stale.
      if (status === "REJECTED" && (order.executedQty.gt(0) || (order.acknowledgedAt !== null && event.type === "REJECTED"))) {
        return { kind: "ignored", order, reason: `${event.type} on an order the exchange accepted` };
      }
      return { kind: "applied", order: withStatus(order, status, event), previous: order.status };
    }
  }
}
