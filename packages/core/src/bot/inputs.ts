// What the host hands a bot: who it is, what the exchange lists as open, and the execution reports it acts on.
import type { Decimal } from "../money";
import type { ReportedStatus } from "../orders";
import type { Side } from "../side";

export interface BotIdentity {
  readonly botId: string;
  readonly symbol: string;
  /** What every client order id of every run of this bot starts with: an earlier run's order is ours (adoption.ts). */
  readonly clientOrderIdPrefix?: string;
}

/** An order the exchange reports as open (open-orders query), for reconciliation. */
export interface ExchangeOpenOrder {
  readonly clientOrderId: string;
  readonly exchangeOrderId: string;
  readonly status: ReportedStatus;
  /** What the exchange has executed of it, when the listing says (a partly filled order we lack fills of). */
  readonly executedQty?: Decimal;
  /** The order's terms, so that an earlier run's order can be adopted (adoption.ts). */
  readonly side?: Side;
  readonly price?: Decimal;
  readonly origQty?: Decimal;
}

/** The part of an executionReport the bot acts on. */
export type ExecutionUpdate =
  | {
      readonly type: "NEW";
      readonly clientOrderId: string;
      readonly exchangeOrderId: string;
      /** The order's terms, so that an earlier run's order can be adopted (adoption.ts). */
      readonly side?: Side;
      readonly price?: Decimal;
      readonly origQty?: Decimal;
    }
  | {
      readonly type: "TRADE";
      readonly clientOrderId: string;
      readonly exchangeOrderId: string;
      readonly tradeId: string;
      readonly price: Decimal;
      readonly qty: Decimal;
      readonly commission: Decimal;
      readonly commissionAsset: string;
      readonly isMaker: boolean;
    }
  | { readonly type: "CANCELED"; readonly clientOrderId: string }
  | { readonly type: "EXPIRED"; readonly clientOrderId: string; readonly reason: string }
  | { readonly type: "REJECTED"; readonly clientOrderId: string; readonly reason: string };
