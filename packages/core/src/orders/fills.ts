// Fills: the one event whose effect depends on quantities. Split from order.ts, whose applyOrderEvent routes here.
import type { Fill, Order, OrderEvent, OrderEventResult } from "./order";
import { isTerminal, type OrderStatus } from "./status";

/**
 * Fills are recorded in every status, terminal ones included, because money moved: a fill found by
 * reconciliation after a cancel ack (the user-data stream dropped it) is still a fill. A fill before the ack
 * (the execution report overtook the placement response) implies the ack. A fill never reopens a cancelled or
 * expired order (the trade happened before the close) but completes it to FILLED when all of it executed. A fill
 * on a REJECTED order reopens it: the order rested after all. A fill on PENDING_CANCEL keeps the cancel pending
 * unless it completes the order.
 */
export function applyFill(order: Order, event: Extract<OrderEvent, { type: "FILL" }>): OrderEventResult {
  if (order.tradeIds.has(event.tradeId)) return { kind: "rejected", order, reason: "DUPLICATE_TRADE" };
  if (!event.qty.gt(0) || !event.price.gt(0)) return { kind: "rejected", order, reason: "INVALID_FILL" };
  const executedQty = order.executedQty.plus(event.qty);
  if (executedQty.gt(order.origQty)) return { kind: "rejected", order, reason: "OVERFILL" };
  const complete = executedQty.eq(order.origQty);
  const reopened = order.status === "REJECTED";
  const status: OrderStatus = complete
    ? "FILLED"
    : reopened
      ? "PARTIALLY_FILLED"
      : isTerminal(order.status)
        ? order.status
        : order.status === "PENDING_CANCEL"
          ? "PENDING_CANCEL"
          : "PARTIALLY_FILLED";
  const tradeIds = new Set(order.tradeIds);
  tradeIds.add(event.tradeId);
  const next: Order = {
    ...order,
    status,
    exchangeOrderId: order.exchangeOrderId ?? event.exchangeOrderId ?? null,
    executedQty,
    cumulativeQuoteQty: order.cumulativeQuoteQty.plus(event.price.times(event.qty)),
    tradeIds,
    acknowledgedAt: order.acknowledgedAt ?? event.time,
    closedAt: isTerminal(status) ? (reopened ? event.time : (order.closedAt ?? event.time)) : null,
    closedByInference: false,
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
  return reopened ? { kind: "applied", order: next, previous: order.status, fill, reopened: true } : { kind: "applied", order: next, previous: order.status, fill };
}
