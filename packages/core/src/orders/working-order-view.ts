import type { Decimal } from "../money/decimal";
import type { Side } from "../side";

/** An order that is (or may be) on the exchange, as the requote planner sees it. */
export interface WorkingOrderView {
  readonly clientOrderId: string;
  readonly side: Side;
  readonly price: Decimal;
  readonly remainingQty: Decimal;
  readonly status: "PENDING_NEW" | "NEW" | "PARTIALLY_FILLED" | "PENDING_CANCEL" | "UNKNOWN";
}
