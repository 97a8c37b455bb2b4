// One side of a trade settled against its account: funds move (a limit order's reservation pays, a better price
// returns the difference), commission is charged in the asset received, the order fills, the trade joins the
// account's history and an executionReport TRADE is queued.
import Decimal from "decimal.js";

import type { ExchangeState } from "../exchange-state";
import { fmt } from "../num";
import type { OrderState } from "../order";
import { report } from "../publisher/execution-reports";
import type { SymbolState } from "../symbol-state";
import type { MyTrade } from "../venue";
import { releaseLock, retire } from "./order-lifecycle";

export interface Execution {
  price: Decimal;
  qty: Decimal;
  quote: Decimal;
  isMaker: boolean;
  tradeId: number;
  time: number;
}

export function settle(exchange: ExchangeState, state: SymbolState, order: OrderState, execution: Execution): void {
  const { price, qty, quote, isMaker, tradeId, time } = execution;
  const account = exchange.accountOf(order.accountId);
  const { baseAsset, quoteAsset } = state.instrument;
  const rate = isMaker ? account.makerRate : account.takerRate;
  const isBuy = order.side === "BUY";
  const hasReservation = order.type !== "MARKET" && order.locked.gt(0);
  let commission: Decimal;
  let commissionAsset: string;
  if (isBuy) {
    commission = qty.mul(rate).toDecimalPlaces(8, Decimal.ROUND_UP);
    commissionAsset = baseAsset;
    if (hasReservation) {
      // The reservation was at the limit price; a better fill returns the difference.
      const reserved = Decimal.min(order.price.mul(qty), order.locked);
      account.spendLocked(quoteAsset, reserved);
      account.credit(quoteAsset, reserved.sub(quote));
      order.locked = order.locked.sub(reserved);
    } else {
      account.credit(quoteAsset, quote.neg());
    }
    account.credit(baseAsset, qty.sub(commission));
  } else {
    commission = quote.mul(rate).toDecimalPlaces(8, Decimal.ROUND_UP);
    commissionAsset = quoteAsset;
    if (hasReservation) {
      const reserved = Decimal.min(qty, order.locked);
      account.spendLocked(baseAsset, reserved);
      order.locked = order.locked.sub(reserved);
    } else {
      account.credit(baseAsset, qty.neg());
    }
    account.credit(quoteAsset, quote.sub(commission));
  }
  order.executedQty = order.executedQty.add(qty);
  order.cumQuote = order.cumQuote.add(quote);
  order.updateTime = time;
  const filled = order.remainingQty().lte(0);
  order.status = filled ? "FILLED" : "PARTIALLY_FILLED";
  account.updateTime = time;
  exchange.events.touch(account);
  if (filled) {
    releaseLock(exchange, account, state, order);
    account.removeOpen(order);
  }
  const myTrade: MyTrade = {
    symbol: state.symbol,
    id: tradeId,
    orderId: order.orderId,
    orderListId: -1,
    price: fmt(price),
    qty: fmt(qty),
    quoteQty: fmt(quote),
    commission: fmt(commission),
    commissionAsset,
    time,
    isBuyer: isBuy,
    isMaker,
    isBestMatch: true,
  };
  const history = account.tradesOf(state.symbol);
  history.push(myTrade);
  exchange.recorder?.tradeRecorded(account, myTrade);
  const { retainTrades } = exchange.settings;
  if (history.length > retainTrades * 2) history.splice(0, history.length - retainTrades);
  if (!isMaker) {
    exchange.takerFills.push({ price: myTrade.price, qty: myTrade.qty, commission: myTrade.commission, commissionAsset, tradeId });
  }
  report(exchange, order, "TRADE", time, { price, qty, commission, commissionAsset, tradeId, isMaker });
  if (filled) retire(exchange, state, order);
}
