// The public market trading with resting API orders: a public print fills the orders it traded at or through,
// and a public level that crosses a resting order takes it at the order's price.
import Decimal from "decimal.js";

import type { ExchangeState } from "../exchange-state";
import { ZERO } from "../num";
import type { OrderState } from "../order";
import type { SymbolState } from "../symbol-state";
import { trade } from "./trade";

/**
 * A public print at `tick` fills our resting orders it traded at or through: orders better than the print
 * fill completely; orders at the print's price fill with what is left of it after the public quantity ahead.
 */
export function fillFromPublicTrade(
  exchange: ExchangeState,
  state: SymbolState,
  tick: number,
  qty: Decimal,
  sellerAggressor: boolean,
  time: number,
): void {
  const { queuePosition } = exchange.settings;
  const side = sellerAggressor ? state.bids : state.asks;
  for (;;) {
    const best = side.best();
    if (!best) return;
    const through = sellerAggressor ? best.tick > tick : best.tick < tick;
    const at = best.tick === tick;
    if (!through && !at) return;
    if (through) {
      const maker = best.head as OrderState;
      trade(exchange, state, maker.price, maker.remainingQty(), { taker: undefined, maker, takerIsBuyer: !sellerAggressor }, undefined, time);
      continue;
    }
    let printLeft = qty;
    let o: OrderState | undefined = best.head;
    while (o && printLeft.gt(0)) {
      const next: OrderState | undefined = o.next;
      const ahead = queuePosition ? o.queueAhead : ZERO;
      const reach = printLeft.sub(ahead);
      if (queuePosition) o.queueAhead = Decimal.max(ZERO, ahead.sub(printLeft));
      if (reach.gt(0)) {
        const fill = Decimal.min(reach, o.remainingQty());
        trade(exchange, state, o.price, fill, { taker: undefined, maker: o, takerIsBuyer: !sellerAggressor }, undefined, time);
        printLeft = printLeft.sub(fill);
      }
      o = next;
    }
    return;
  }
}

/** A public level that crosses our resting order trades with it at our price (the public order took). */
export function fillFromCrossingBook(exchange: ExchangeState, state: SymbolState, time: number): void {
  for (const ourBids of [true, false]) {
    const ours = ourBids ? state.bids : state.asks;
    const theirs = ourBids ? state.publicAsks : state.publicBids;
    for (;;) {
      const ourTick = ours.bestTick();
      const theirTick = theirs.bestTick();
      if (ourTick === undefined || theirTick === undefined) break;
      if (ourBids ? theirTick > ourTick : theirTick < ourTick) break;
      const maker = ours.best()?.head as OrderState;
      const available = theirs.qtyAt(theirTick);
      const qty = Decimal.min(available, maker.remainingQty());
      theirs.set(theirTick, available.sub(qty));
      state.touchPublic(!ourBids, theirTick, time);
      trade(exchange, state, maker.price, qty, { taker: undefined, maker, takerIsBuyer: !ourBids }, undefined, time);
    }
  }
}
