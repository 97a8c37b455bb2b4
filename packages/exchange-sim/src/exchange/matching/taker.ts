// An incoming order taking liquidity: price-time priority, and at each price the public market's quantity (there
// first) before API orders. Also what a taker could get or would pay, for FOK, MARKET funds and quote quantities.
import Decimal from "decimal.js";

import type { ExchangeState } from "../exchange-state";
import { Dec, ZERO } from "../num";
import type { OrderState } from "../order";
import type { SymbolState } from "../symbol-state";
import type { NewOrderSpec } from "../validation";
import { trade } from "./trade";

/** Takes liquidity from the opposite side in price priority, up to `limitTick`. */
export function sweep(exchange: ExchangeState, state: SymbolState, order: OrderState, limitTick: number | undefined): void {
  const isBuy = order.side === "BUY";
  const apiSide = isBuy ? state.asks : state.bids;
  const pubSide = isBuy ? state.publicAsks : state.publicBids;
  while (order.remainingQty().gt(0)) {
    const tick = isBuy ? state.bestAskTick() : state.bestBidTick();
    if (tick === undefined) return;
    if (limitTick !== undefined && (isBuy ? tick > limitTick : tick < limitTick)) return;
    const price = state.instrument.priceOfTick(tick);
    const pubQty = pubSide.qtyAt(tick);
    if (pubQty.gt(0)) {
      const qty = Decimal.min(pubQty, order.remainingQty());
      pubSide.set(tick, pubQty.sub(qty));
      state.touchOwn(!isBuy, tick, exchange.clock.now());
      trade(exchange, state, price, qty, { taker: order, maker: undefined, takerIsBuyer: isBuy });
      continue;
    }
    const maker = apiSide.levels.get(tick)?.head;
    if (!maker) return;
    trade(exchange, state, price, Decimal.min(maker.remainingQty(), order.remainingQty()), {
      taker: order,
      maker,
      takerIsBuyer: isBuy,
    });
  }
}

/** Quote needed for a MARKET BUY (or base for a SELL), walking the visible opposite book. */
export function marketOrderCost(state: SymbolState, spec: NewOrderSpec): Decimal {
  const isBuy = spec.side === "BUY";
  if (spec.quoteOrderQty) return isBuy ? spec.quoteOrderQty : quoteOrderPlan(state, false, spec.quoteOrderQty);
  const quantity = spec.quantity ?? ZERO;
  if (!isBuy) return quantity;
  let left = quantity;
  let cost = ZERO;
  for (const [p, q] of state.levels(false, 5000)) {
    const qty = Decimal.min(new Dec(q), left);
    cost = cost.add(qty.mul(p));
    left = left.sub(qty);
    if (left.lte(0)) break;
  }
  return cost;
}

/** Quantity a LIMIT order could take right now within its price (for FOK). */
export function availableTo(state: SymbolState, order: OrderState): Decimal {
  const isBuy = order.side === "BUY";
  let total = ZERO;
  for (const [p, q] of state.levels(!isBuy, 5000)) {
    const tick = state.instrument.tickOf(new Dec(p));
    if (isBuy ? tick > order.tick : tick < order.tick) break;
    total = total.add(q);
    if (total.gte(order.origQty)) break;
  }
  return total;
}

/**
 * The quantity a quote-quantity MARKET order executes: whole lot steps, level by level, until the quote is
 * spent (BUY) or raised (SELL). Binance reports it as the order's origQty.
 */
export function quoteOrderPlan(state: SymbolState, isBuy: boolean, quote: Decimal): Decimal {
  const step = lotStep(state);
  let quoteLeft = quote;
  let total = ZERO;
  for (const [p, q] of state.levels(!isBuy, 5000)) {
    const price = new Dec(p);
    const affordable = quoteLeft.div(price).div(step).floor().mul(step);
    const take = Decimal.min(new Dec(q), affordable);
    if (take.lte(0)) break;
    total = total.add(take);
    quoteLeft = quoteLeft.sub(take.mul(price));
  }
  return total;
}

function lotStep(state: SymbolState): Decimal {
  const market = state.instrument.filter("MARKET_LOT_SIZE");
  if (market && new Dec(market.stepSize).gt(0)) return new Dec(market.stepSize);
  const lot = state.instrument.filter("LOT_SIZE");
  return lot ? new Dec(lot.stepSize) : new Dec("0.00000001");
}
