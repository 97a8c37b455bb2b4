// One executionReport per change to an order, numbered by the exchange-wide execution id and told to the state
// store before it is queued.
import type { ExchangeState } from "../exchange-state";
import type { OrderState } from "../order";
import type { ExecutionType } from "../venue";
import { executionReport, type FillDetail } from "../views";

export function report(
  exchange: ExchangeState,
  order: OrderState,
  x: ExecutionType,
  time: number,
  fill?: FillDetail,
  cancelClientOrderId?: string,
  replacedClientOrderId?: string,
): void {
  const event = executionReport(order, x, time, exchange.counters.nextExecutionId++, fill, cancelClientOrderId);
  if (replacedClientOrderId !== undefined) event.C = replacedClientOrderId;
  exchange.recorder?.orderChanged(order);
  exchange.events.user(order.accountId, event);
}
