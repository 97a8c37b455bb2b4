// What the host hands a bot: who it is, what the exchange lists as open, and the execution reports it acts on.
import type { Decimal } from "../money";
import type { ReportedStatus } from "../orders";
import type { Side } from "../side";
import type { OrderTradeReport } from "./ports";

export interface BotIdentity {
  readonly botId: string;
  readonly symbol: string;
  /** What every client order id of every run of this bot starts with: an earlier run's order is ours (adoption.ts). */
  readonly clientOrderIdPrefix?: string;
}

/** An order's terms as the exchange reports them, so that an earlier run's order can be adopted (adoption.ts). */
export interface ReportedTerms {
  readonly side?: Side;
  readonly price?: Decimal;
  readonly origQty?: Decimal;
}

/**
 * An order the exchange reports as open: an open-orders listing entry (reconciliation) or a NEW execution report of
 * an order this run does not know (adoption.ts).
 */
export interface ExchangeOpenOrder extends ReportedTerms {
  readonly clientOrderId: string;
  readonly exchangeOrderId: string;
  readonly status: ReportedStatus;
  /** What the exchange has executed of it, when the listing says (a partly filled order we lack fills of). */
  readonly executedQty?: Decimal;
}

/** The part of an executionReport the bot acts on. */
export type ExecutionUpdate =
  | ({ readonly type: "NEW"; readonly clientOrderId: string; readonly exchangeOrderId: string } & ReportedTerms)
  | ({ readonly type: "TRADE"; readonly clientOrderId: string; readonly exchangeOrderId: string } & OrderTradeReport)
  | { readonly type: "CANCELED"; readonly clientOrderId: string }
  | { readonly type: "EXPIRED"; readonly clientOrderId: string; readonly reason: string }
  | { readonly type: "REJECTED"; readonly clientOrderId: string; readonly reason: string };
