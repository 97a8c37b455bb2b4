// An order joining the book, leaving it unfilled (EXPIRED) and being retired once closed, and the reservation it
// gives back.
import type { AccountState } from "../accounts/account-state";
import type { ExchangeState } from "../exchange-state";
import { ZERO } from "../num";
import type { OrderState } from "../order";
import { report } from "../publisher/execution-reports";
import type { SymbolState } from "../symbol-state";

export function rest(exchange: ExchangeState, state: SymbolState, account: AccountState, order: OrderState, now: number): void {
  const isBid = order.side === "BUY";
  if (exchange.settings.queuePosition) order.queueAhead = (isBid ? state.publicBids : state.publicAsks).qtyAt(order.tick);
  (isBid ? state.bids : state.asks).add(order);
  account.addOpen(order);
  state.touchOwn(isBid, order.tick, now);
}

export function expire(exchange: ExchangeState, state: SymbolState, order: OrderState, now: number): void {
  const account = exchange.accountOf(order.accountId);
  releaseLock(exchange, account, state, order);
  order.status = "EXPIRED";
  order.updateTime = now;
  report(exchange, order, "EXPIRED", now);
  retire(exchange, state, order);
}

export function releaseLock(exchange: ExchangeState, account: AccountState, state: SymbolState, order: OrderState): void {
  if (order.locked.gt(0)) {
    account.unlock(order.side === "BUY" ? state.instrument.quoteAsset : state.instrument.baseAsset, order.locked);
    order.locked = ZERO;
    exchange.events.touch(account);
  }
}

/** Keeps the newest closed orders queryable and forgets older ones (Binance archives them too). */
export function retire(exchange: ExchangeState, state: SymbolState, order: OrderState): void {
  state.closedOrderIds.push(order.orderId);
  if (state.closedOrderIds.length - state.closedHead <= exchange.settings.retainClosedOrders) return;
  const oldest = state.orders.get(state.closedOrderIds[state.closedHead++] as number);
  if (oldest) {
    state.orders.delete(oldest.orderId);
    const account = exchange.accounts.get(oldest.accountId);
    const key = `${state.symbol}\u0000${oldest.clientOrderId}`;
    if (account?.latestByClientId.get(key) === oldest) account.latestByClientId.delete(key);
  }
  if (state.closedHead > 4096 && state.closedHead * 2 > state.closedOrderIds.length) {
    state.closedOrderIds.splice(0, state.closedHead);
    state.closedHead = 0;
  }
}
