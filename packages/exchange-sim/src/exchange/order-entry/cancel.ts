// DELETE /api/v3/order and /api/v3/openOrders: find the open order (by orderId, or by client id among the open
// ones), honour cancelRestrictions, take it off the book and give its reservation back.
import { randomClientOrderId } from "../../market/random";
import type { AccountState } from "../accounts/account-state";
import { errors } from "../errors";
import type { ExchangeState } from "../exchange-state";
import { releaseLock, retire } from "../matching/order-lifecycle";
import type { OrderState } from "../order";
import { finishAction } from "../publisher/event-queue";
import { report } from "../publisher/execution-reports";
import { emitBookTicker, flushDueDepth } from "../publisher/market-streams";
import type { SymbolState } from "../symbol-state";
import { checkClientOrderId, optionalParam, parseInteger, requireParam } from "../validation";
import type { AccountId, CancelOrderParams, CancelOrderResponse } from "../venue";
import { cancelView } from "../views";

export interface CancelRequest {
  orderId: string | undefined;
  origClientOrderId: string | undefined;
  newClientOrderId: string | undefined;
  cancelRestrictions: string | undefined;
  /** The parameter names errors cite (cancelReplace calls them cancelOrderId / cancelOrigClientOrderId). */
  idNames: [string, string];
}

export function cancelOrder(exchange: ExchangeState, accountId: AccountId, params: CancelOrderParams): CancelOrderResponse {
  const account = exchange.accountOf(accountId);
  const state = exchange.symbolState(requireParam(params.symbol, "symbol"));
  try {
    return executeCancel(exchange, account, state, {
      orderId: optionalParam(params.orderId),
      origClientOrderId: optionalParam(params.origClientOrderId),
      newClientOrderId: optionalParam(params.newClientOrderId),
      cancelRestrictions: optionalParam(params.cancelRestrictions),
      idNames: ["orderId", "origClientOrderId"],
    });
  } finally {
    finishAction(exchange);
  }
}

export function cancelAllOpenOrders(exchange: ExchangeState, accountId: AccountId, symbol: string | undefined): CancelOrderResponse[] {
  const account = exchange.accountOf(accountId);
  const state = exchange.symbolState(requireParam(symbol, "symbol"));
  const open = [...(account.openBySymbol.get(state.symbol)?.values() ?? [])].sort((a, b) => a.orderId - b.orderId);
  if (open.length === 0) throw errors.unknownOrder();
  try {
    return open.map((order) => cancelResting(exchange, account, state, order, undefined));
  } finally {
    finishAction(exchange);
  }
}

/** The cancel itself, without ending the action (cancelReplace places its new order before it does). */
export function executeCancel(exchange: ExchangeState, account: AccountState, state: SymbolState, req: CancelRequest): CancelOrderResponse {
  if (req.orderId === undefined && req.origClientOrderId === undefined) {
    throw errors.eitherMandatory(req.idNames[1], req.idNames[0]);
  }
  if (
    req.cancelRestrictions !== undefined &&
    req.cancelRestrictions !== "ONLY_NEW" &&
    req.cancelRestrictions !== "ONLY_PARTIALLY_FILLED"
  ) {
    throw errors.invalidCancelRestrictions();
  }
  if (req.newClientOrderId !== undefined) checkClientOrderId(req.newClientOrderId, "newClientOrderId");
  let order: OrderState | undefined;
  if (req.orderId !== undefined) {
    order = state.orders.get(parseInteger(req.orderId, req.idNames[0]));
    if (order && req.origClientOrderId !== undefined && order.clientOrderId !== req.origClientOrderId) {
      order = undefined;
    }
  } else if (req.origClientOrderId !== undefined) {
    order = account.openBySymbol.get(state.symbol)?.get(req.origClientOrderId);
  }
  if (!order || order.accountId !== account.id || !order.isOpen()) throw errors.unknownOrder();
  if (req.cancelRestrictions === "ONLY_NEW" && order.status !== "NEW") throw errors.cancelRestricted();
  if (req.cancelRestrictions === "ONLY_PARTIALLY_FILLED" && order.status !== "PARTIALLY_FILLED") {
    throw errors.cancelRestricted();
  }
  return cancelResting(exchange, account, state, order, req.newClientOrderId);
}

function cancelResting(
  exchange: ExchangeState,
  account: AccountState,
  state: SymbolState,
  order: OrderState,
  cancelClientOrderId: string | undefined,
): CancelOrderResponse {
  const now = exchange.clock.now();
  flushDueDepth(exchange, state, now);
  const isBid = order.side === "BUY";
  (isBid ? state.bids : state.asks).remove(order);
  state.touchOwn(isBid, order.tick, now);
  account.removeOpen(order);
  releaseLock(exchange, account, state, order);
  order.status = "CANCELED";
  order.updateTime = now;
  account.updateTime = now;
  exchange.events.touch(account);
  const cancelId = cancelClientOrderId ?? randomClientOrderId(exchange.random);
  report(exchange, order, "CANCELED", now, undefined, cancelId);
  retire(exchange, state, order);
  emitBookTicker(exchange, state);
  return cancelView(order, cancelId, now);
}
