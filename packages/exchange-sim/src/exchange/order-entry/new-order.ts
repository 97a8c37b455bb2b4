// POST /api/v3/order: checks in Binance's order (filters, account, symbol status, duplicate client id, funds,
// LIMIT_MAKER crossing), then the order takes what it may (matching/taker.ts) and rests, or expires.
import { randomClientOrderId } from "../../market/random";
import type { AccountState } from "../accounts/account-state";
import { errors } from "../errors";
import type { ExchangeState } from "../exchange-state";
import { expire, rest } from "../matching/order-lifecycle";
import { availableTo, marketOrderCost, quoteOrderPlan, sweep } from "../matching/taker";
import { ZERO } from "../num";
import { OrderState } from "../order";
import { finishAction } from "../publisher/event-queue";
import { report } from "../publisher/execution-reports";
import { emitBookTicker, flushDueDepth } from "../publisher/market-streams";
import type { SymbolState } from "../symbol-state";
import { checkFilters, parseNewOrder, type NewOrderSpec } from "../validation";
import type { AccountId, NewOrderParams, NewOrderResponse } from "../venue";
import { newOrderView } from "../views";

export function placeOrder(exchange: ExchangeState, accountId: AccountId, params: NewOrderParams): NewOrderResponse {
  const account = exchange.accountOf(accountId);
  const spec = parseNewOrder(params, (s) => exchange.states.get(s)?.instrument);
  try {
    return executeNewOrder(exchange, account, spec);
  } finally {
    finishAction(exchange);
  }
}

export function checkNewOrderFilters(exchange: ExchangeState, account: AccountState, state: SymbolState, spec: NewOrderSpec, now: number): void {
  checkFilters(spec, {
    averagePrice: state.averagePrice(now),
    openOrdersOnSymbol: account.openOrdersOf(state.symbol).size,
    openOrdersOnExchange: account.openCount,
    exchangeMaxNumOrders: exchange.settings.exchangeMaxNumOrders,
  });
}

/** The order itself, without ending the action (cancelReplace runs it between its cancel and its answer). */
export function executeNewOrder(exchange: ExchangeState, account: AccountState, spec: NewOrderSpec): NewOrderResponse {
  const state = exchange.symbolState(spec.instrument.symbol);
  const now = exchange.clock.now();
  flushDueDepth(exchange, state, now);
  const open = account.openOrdersOf(state.symbol);
  checkNewOrderFilters(exchange, account, state, spec, now);
  if (!account.canTrade) throw errors.tradingDisabled();
  if (state.status !== "TRADING") throw errors.marketClosed();
  if (spec.newClientOrderId !== undefined && open.has(spec.newClientOrderId)) throw errors.duplicateOrder();

  const { instrument } = spec;
  const isBuy = spec.side === "BUY";
  const price = spec.price ?? ZERO;
  const tick = spec.price ? instrument.tickOf(spec.price) : 0;

  if (spec.type === "LIMIT_MAKER") {
    const opposite = isBuy ? state.bestAskTick() : state.bestBidTick();
    if (opposite !== undefined && (isBuy ? opposite <= tick : opposite >= tick)) throw errors.wouldMatch();
  }

  // Funds: limit orders reserve their full cost; market orders must be coverable by the visible book.
  let lockAmount = ZERO;
  const lockAsset = isBuy ? instrument.quoteAsset : instrument.baseAsset;
  const free = account.balance(lockAsset).free;
  if (spec.type !== "MARKET") {
    lockAmount = isBuy ? price.mul(spec.quantity ?? ZERO) : (spec.quantity ?? ZERO);
    if (free.lt(lockAmount)) throw errors.insufficientBalance();
  } else {
    const need = marketOrderCost(state, spec);
    if (free.lt(need)) throw errors.insufficientBalance();
  }

  const clientOrderId = spec.newClientOrderId ?? randomClientOrderId(exchange.random);
  const order = new OrderState(
    account.id,
    state.symbol,
    state.nextOrderId++,
    clientOrderId,
    spec.side,
    spec.type,
    spec.timeInForce,
    price,
    tick,
    spec.quoteOrderQty ? quoteOrderPlan(state, isBuy, spec.quoteOrderQty) : (spec.quantity ?? ZERO),
    spec.quoteOrderQty ?? ZERO,
    now,
    "NONE",
  );
  state.orders.set(order.orderId, order);
  account.latestByClientId.set(`${state.symbol}\u0000${clientOrderId}`, order);
  if (lockAmount.gt(0)) {
    account.lock(lockAsset, lockAmount);
    order.locked = lockAmount;
  }
  account.updateTime = now;
  exchange.events.touch(account);
  report(exchange, order, "NEW", now);

  exchange.takerFills = [];
  if (spec.type === "MARKET") {
    sweep(exchange, state, order, undefined);
    if (order.remainingQty().gt(0) || order.origQty.lte(0)) expire(exchange, state, order, now);
  } else if (spec.type === "LIMIT") {
    const fokBlocked = spec.timeInForce === "FOK" && availableTo(state, order).lt(order.origQty);
    if (!fokBlocked) sweep(exchange, state, order, order.tick);
    if (order.remainingQty().gt(0)) {
      if (spec.timeInForce === "GTC") rest(exchange, state, account, order, now);
      else expire(exchange, state, order, now);
    }
  } else {
    rest(exchange, state, account, order, now);
  }
  emitBookTicker(exchange, state);
  return newOrderView(order, spec.respType, now, exchange.takerFills);
}
