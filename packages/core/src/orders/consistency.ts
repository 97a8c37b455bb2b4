// What every order row must satisfy, whatever the order of the exchange's events: status, exchange id, executed
// quantity and times agree. applyOrderEvent refuses any result that breaks one of these, and the property tests
// drive random, reordered and repeated events through it to show none is ever produced.
import type { Order } from "./order";
import { isTerminal } from "./status";

/** The first rule the order breaks, in words; null when it is consistent. */
export function orderInconsistency(order: Order): string | null {
  const { status, executedQty, origQty, acknowledgedAt } = order;
  if (executedQty.lt(0) || executedQty.gt(origQty)) return `executedQty ${executedQty.toFixed()} outside 0..${origQty.toFixed()}`;
  if (executedQty.gt(0) !== order.tradeIds.size > 0) return "executedQty and the recorded trades disagree";
  if (executedQty.gt(0) !== order.cumulativeQuoteQty.gt(0)) return "executedQty and cumulativeQuoteQty disagree";
  if (isTerminal(status) !== (order.closedAt !== null)) return `${status} with closedAt ${order.closedAt ?? "null"}`;
  if (executedQty.eq(origQty) && status !== "FILLED") return `${status} with all of its quantity executed`;
  if (executedQty.gt(0) && acknowledgedAt === null) return "executed but never acknowledged";
  if (order.closedByInference && status !== "REJECTED") return `${status} marked as closed by inference`;
  switch (status) {
    case "REJECTED":
      if (executedQty.gt(0)) return "REJECTED with an executed quantity";
      if (acknowledgedAt !== null) return "REJECTED after the exchange acknowledged it";
      return null;
    case "NEW":
      if (executedQty.gt(0)) return "NEW with an executed quantity";
      if (acknowledgedAt === null) return "NEW without an acknowledgement";
      return null;
    case "PARTIALLY_FILLED":
      return acknowledgedAt === null ? "PARTIALLY_FILLED without an acknowledgement" : null;
    case "PENDING_NEW":
      if (acknowledgedAt !== null || order.exchangeOrderId !== null) return "PENDING_NEW with an acknowledgement or exchange id";
      if (order.placementUnknownAt !== null) return "PENDING_NEW with an unknown placement outcome";
      return null;
    case "UNKNOWN":
      if (acknowledgedAt !== null || order.exchangeOrderId !== null) return "UNKNOWN with an acknowledgement or exchange id";
      if (order.placementUnknownAt === null) return "UNKNOWN without an unknown placement outcome";
      return null;
    case "PENDING_CANCEL":
    case "FILLED":
    case "CANCELED":
    case "EXPIRED":
      return null;
  }
}
