// Orders the exchange holds for this bot that this run never placed: an earlier run's, found after a restart or a
// takeover. Its engine may have died before journaling the order (the journal writes in batches), so no row may
// know it. Every run of a bot gives its client order ids one prefix (BotIdentity.clientOrderIdPrefix), which is how
// such an order is recognised as ours rather than a stranger's: it is adopted, taken into the ledger as the exchange
// reports it (so it is journaled and its fills accounted like any other order) and then cancelled on the tracked
// path, whose answer closes its row. An order without our prefix is not ours and is cancelled blind, as before.
import type { OrderEvent, OrderRequest } from "../orders";
import type { ExchangeOpenOrder } from "./inputs";

export interface Adoption {
  /** The order as if this run had sent it now. */
  readonly request: OrderRequest;
  /** Then the exchange's report of it, which acknowledges it (and names what executed, for the fills to fetch). */
  readonly report: Extract<OrderEvent, { type: "STATUS_REPORTED" }>;
}

/**
 * How to take an order the exchange reports (and this run does not know) into the ledger, or null when it is not
 * this bot's, not open on the book, or reported without its side, price and quantity.
 */
export function adoptionOf(prefix: string | undefined, symbol: string, sighted: ExchangeOpenOrder, time: number): Adoption | null {
  if (!prefix || !sighted.clientOrderId.startsWith(prefix)) return null;
  if (sighted.status !== "NEW" && sighted.status !== "PARTIALLY_FILLED") return null;
  const { side, price, origQty } = sighted;
  if (side === undefined || price === undefined || origQty === undefined || !price.gt(0) || !origQty.gt(0)) return null;
  return {
    request: { clientOrderId: sighted.clientOrderId, symbol, side, price, qty: origQty, time },
    report: {
      type: "STATUS_REPORTED",
      time,
      status: sighted.status,
      exchangeOrderId: sighted.exchangeOrderId,
      ...(sighted.executedQty ? { executedQty: sighted.executedQty } : {}),
    },
  };
}
