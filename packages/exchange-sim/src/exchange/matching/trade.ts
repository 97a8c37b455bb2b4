// A trade prints once: both API sides settle (settlement.ts), the public trade and aggTrade are queued and the
// symbol's recent trades and average price learn it. Either side may be the public market.
import type Decimal from "decimal.js";

import type { ExchangeState } from "../exchange-state";
import { fmt } from "../num";
import type { OrderState } from "../order";
import type { SymbolState } from "../symbol-state";
import { settle } from "./settlement";

/** Who is on each side of a trade: an API order, or the public market (undefined). */
export interface TradeParties {
  taker: OrderState | undefined;
  maker: OrderState | undefined;
  takerIsBuyer: boolean;
}

export function trade(
  exchange: ExchangeState,
  state: SymbolState,
  price: Decimal,
  qty: Decimal,
  parties: TradeParties,
  recordedTradeId?: number,
  time = exchange.clock.now(),
): void {
  const quote = price.mul(qty);
  const tradeId = state.nextTradeId(recordedTradeId);
  const { taker, maker } = parties;
  if (maker) {
    settle(exchange, state, maker, { price, qty, quote, isMaker: true, tradeId, time });
    (maker.side === "BUY" ? state.bids : state.asks).reduce(maker, qty);
    state.touchOwn(maker.side === "BUY", maker.tick, time);
  }
  if (taker) settle(exchange, state, taker, { price, qty, quote, isMaker: false, tradeId, time });
  const buyerIsMaker = !parties.takerIsBuyer;
  const p = fmt(price);
  const q = fmt(qty);
  state.recordTrade(
    { id: tradeId, price: p, qty: q, quoteQty: fmt(quote), time, isBuyerMaker: buyerIsMaker, isBestMatch: true },
    price,
    qty,
    quote,
  );
  exchange.events.market(state, {
    stream: "trade",
    data: { e: "trade", E: time, s: state.symbol, t: tradeId, p, q, T: time, m: buyerIsMaker, M: true },
  });
  const aggId = state.nextAggTradeId++;
  exchange.events.market(state, {
    stream: "aggTrade",
    data: { e: "aggTrade", E: time, s: state.symbol, a: aggId, p, q, f: tradeId, l: tradeId, T: time, m: buyerIsMaker, M: true },
  });
}
