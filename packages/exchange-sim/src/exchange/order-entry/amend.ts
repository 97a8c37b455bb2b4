// PUT /api/v3/order/amend/keepPriority: an open order shrinks in place, keeping its queue position and orderId;
// the released reservation goes back to free. Every engine rejection is -2038 with the engine's message.
import Decimal from "decimal.js";

import { randomClientOrderId } from "../../market/random";
import { errors } from "../errors";
import type { ExchangeState } from "../exchange-state";
import { releaseLock, retire } from "../matching/order-lifecycle";
import { ZERO } from "../num";
import type { OrderState } from "../order";
import { finishAction } from "../publisher/event-queue";
import { report } from "../publisher/execution-reports";
import { emitBookTicker, flushDueDepth } from "../publisher/market-streams";
import { checkClientOrderId, checkLotSize, optionalParam, parseDecimal, parseInteger, requireParam } from "../validation";
import type { AccountId, AmendKeepPriorityParams, AmendKeepPriorityResponse } from "../venue";
import { amendedOrderView } from "../views";

export function amendKeepPriority(exchange: ExchangeState, accountId: AccountId, params: AmendKeepPriorityParams): AmendKeepPriorityResponse {
  const account = exchange.accountOf(accountId);
  const state = exchange.symbolState(requireParam(params.symbol, "symbol"));
  const newQty = parseDecimal(requireParam(params.newQty, "newQty"), "newQty", state.instrument.info.baseAssetPrecision);
  const orderIdRaw = optionalParam(params.orderId);
  const clientId = optionalParam(params.origClientOrderId);
  if (orderIdRaw === undefined && clientId === undefined) throw errors.eitherMandatory("origClientOrderId", "orderId");
  const newClientRaw = optionalParam(params.newClientOrderId);
  if (newClientRaw !== undefined) checkClientOrderId(newClientRaw, "newClientOrderId");
  if (!newQty) throw errors.mandatory("newQty");
  checkLotSize(state.instrument, newQty);
  if (!state.instrument.info.amendAllowed) throw errors.amendRejected("Order amend is not supported for this symbol.");
  const open = account.openOrdersOf(state.symbol);
  let order: OrderState | undefined;
  if (orderIdRaw !== undefined) {
    order = state.orders.get(parseInteger(orderIdRaw, "orderId"));
    if (order && clientId !== undefined && order.clientOrderId !== clientId) order = undefined;
  } else if (clientId !== undefined) {
    order = open.get(clientId);
  }
  if (!order || order.accountId !== account.id || !order.isOpen()) throw errors.amendRejected("Unknown order sent.");
  if (newQty.gt(order.origQty)) throw errors.amendRejected("Order amend (quantity increase) is not supported.");
  if (newQty.eq(order.origQty)) throw errors.amendRejected("The requested action would change no state; rejecting");
  const maxAmends = state.instrument.filter("MAX_NUM_ORDER_AMENDS")?.maxNumOrderAmends;
  if (maxAmends !== undefined && order.amendCount >= maxAmends) throw errors.filter("MAX_NUM_ORDER_AMENDS");
  const newClientOrderId = newClientRaw ?? randomClientOrderId(exchange.random);
  if (newClientOrderId !== order.clientOrderId && open.has(newClientOrderId)) {
    throw errors.amendRejected("Duplicate order sent.");
  }

  try {
    const now = exchange.clock.now();
    flushDueDepth(exchange, state, now);
    const isBid = order.side === "BUY";
    const side = isBid ? state.bids : state.asks;
    const origClientOrderId = order.clientOrderId;
    const oldRemaining = order.remainingQty();
    const newRemaining = Decimal.max(ZERO, newQty.sub(order.executedQty));
    // Shrinks in place: the order keeps its place in the level's queue.
    const level = side.levels.get(order.tick);
    if (level) level.total = level.total.sub(oldRemaining.sub(newRemaining));
    const release = isBid ? order.price.mul(oldRemaining.sub(newRemaining)) : oldRemaining.sub(newRemaining);
    const released = Decimal.min(release, order.locked);
    if (released.gt(0)) {
      account.unlock(isBid ? state.instrument.quoteAsset : state.instrument.baseAsset, released);
      order.locked = order.locked.sub(released);
    }
    account.removeOpen(order);
    order.origQty = Decimal.max(newQty, order.executedQty);
    order.clientOrderId = newClientOrderId;
    order.amendCount++;
    order.updateTime = now;
    account.updateTime = now;
    exchange.events.touch(account);
    account.latestByClientId.set(`${state.symbol}\u0000${newClientOrderId}`, order);
    if (newRemaining.lte(0)) {
      side.remove(order);
      releaseLock(exchange, account, state, order);
      order.status = "EXPIRED";
    } else {
      account.addOpen(order);
    }
    state.touchOwn(isBid, order.tick, now);
    const executionId = exchange.counters.nextExecutionId;
    report(exchange, order, "REPLACED", now, undefined, undefined, origClientOrderId);
    if (order.status === "EXPIRED") retire(exchange, state, order);
    emitBookTicker(exchange, state);
    return {
      transactTime: now,
      executionId,
      amendedOrder: amendedOrderView(order, origClientOrderId),
    };
  } finally {
    finishAction(exchange);
  }
}
