import type Decimal from "decimal.js";

import { ZERO } from "./num";
import type { AccountId, OrderSide, OrderStatus, OrderType, SelfTradePreventionMode, TimeInForce } from "./venue";

/** An API order's full state, resting in the book while open. */
export class OrderState {
  executedQty: Decimal = ZERO;
  cumQuote: Decimal = ZERO;
  status: OrderStatus = "NEW";
  updateTime: number;
  amendCount = 0;
  /** Public quantity still ahead of this order at its price (queue-position realism). */
  queueAhead: Decimal = ZERO;
  /** Quote (BUY) or base (SELL) still locked for the unfilled part. */
  locked: Decimal = ZERO;
  prev: OrderState | undefined;
  next: OrderState | undefined;

  constructor(
    readonly accountId: AccountId,
    readonly symbol: string,
    readonly orderId: number,
    public clientOrderId: string,
    readonly side: OrderSide,
    readonly type: OrderType,
    readonly timeInForce: TimeInForce,
    readonly price: Decimal,
    readonly tick: number,
    public origQty: Decimal,
    readonly origQuoteOrderQty: Decimal,
    readonly time: number,
    readonly selfTradePreventionMode: SelfTradePreventionMode,
  ) {
    this.updateTime = time;
  }

  remainingQty(): Decimal {
    return this.origQty.sub(this.executedQty);
  }

  isOpen(): boolean {
    return this.status === "NEW" || this.status === "PARTIALLY_FILLED";
  }
}
