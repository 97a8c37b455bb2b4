// An executionReport from the user-data stream as the bot's ExecutionUpdate: the one mapping, for live trading and
// for replay (which parses the simulator's raw events with the same client parser).
import type { ExecutionReport } from "@bandkeeper/binance";
import type { ExecutionUpdate } from "@bandkeeper/core";

export function executionUpdate(report: ExecutionReport): ExecutionUpdate | undefined {
  switch (report.executionType) {
    case "NEW":
      return {
        type: "NEW",
        clientOrderId: report.clientOrderId,
        exchangeOrderId: String(report.orderId),
        side: report.side,
        price: report.price,
        origQty: report.quantity,
      };
    case "TRADE":
      return {
        type: "TRADE",
        clientOrderId: report.clientOrderId,
        exchangeOrderId: String(report.orderId),
        tradeId: String(report.tradeId),
        price: report.lastExecutedPrice,
        qty: report.lastExecutedQty,
        commission: report.commission,
        commissionAsset: report.commissionAsset ?? "",
        isMaker: report.isMaker,
      };
    case "CANCELED":
      // On a cancel, `c` is the cancel request's own id and `C` the cancelled order's.
      return { type: "CANCELED", clientOrderId: report.originalClientOrderId || report.clientOrderId };
    case "EXPIRED":
      return { type: "EXPIRED", clientOrderId: report.clientOrderId, reason: report.expiryReason ?? "expired" };
    case "REJECTED":
      return { type: "REJECTED", clientOrderId: report.clientOrderId, reason: report.rejectReason };
    case "REPLACED":
    case "TRADE_PREVENTION":
      return undefined;
  }
}
