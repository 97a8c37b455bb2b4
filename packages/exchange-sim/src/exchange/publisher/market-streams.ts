// The public streams the book feeds: bookTicker on every change of the best prices or their quantities, and the
// diff depth streams in 100 ms and 1000 ms batches. Depth shows API orders and the public market summed.
import type { ExchangeState } from "../exchange-state";
import { fmt, ZERO } from "../num";
import type { SymbolState } from "../symbol-state";
import type { BookTickerResponse } from "../venue";

export function tickerOf(state: SymbolState): BookTickerResponse {
  const bid = state.bestBidTick();
  const ask = state.bestAskTick();
  return {
    symbol: state.symbol,
    bidPrice: bid === undefined ? "0.00000000" : state.formatPrice(bid),
    bidQty: bid === undefined ? "0.00000000" : fmt(state.mergedQty(true, bid)),
    askPrice: ask === undefined ? "0.00000000" : state.formatPrice(ask),
    askQty: ask === undefined ? "0.00000000" : fmt(state.mergedQty(false, ask)),
  };
}

export function emitBookTicker(exchange: ExchangeState, state: SymbolState): void {
  // Called on every tick and order action: compare ticks and quantities before formatting anything.
  const bid = state.bestBidTick();
  const ask = state.bestAskTick();
  const bidQty = bid === undefined ? ZERO : state.mergedQty(true, bid);
  const askQty = ask === undefined ? ZERO : state.mergedQty(false, ask);
  const last = state.lastTicker;
  if (last !== undefined && last.bid === bid && last.ask === ask && last.bidQty.eq(bidQty) && last.askQty.eq(askQty)) return;
  state.lastTicker = { bid, ask, bidQty, askQty };
  const t = tickerOf(state);
  exchange.events.market(state, {
    stream: "bookTicker",
    data: { u: state.updateId, s: state.symbol, b: t.bidPrice, B: t.bidQty, a: t.askPrice, A: t.askQty },
  });
}

/** Closes the depth batches whose window ended at or before `now`, before anything newer changes the book. */
export function flushDueDepth(exchange: ExchangeState, state: SymbolState, now: number): void {
  flushDepth(exchange, state, state.batch100, "depth@100ms", now);
  flushDepth(exchange, state, state.batch1000, "depth", now);
}

function flushDepth(
  exchange: ExchangeState,
  state: SymbolState,
  batch: SymbolState["batch100"],
  stream: "depth@100ms" | "depth",
  now: number,
): void {
  if (batch.dueAt === undefined || now < batch.dueAt) return;
  if (state.updateId <= batch.lastEmittedId) {
    batch.clear();
    return;
  }
  const level = (isBid: boolean, tick: number): [string, string] => [
    state.formatPrice(tick),
    fmt(state.mergedQty(isBid, tick)),
  ];
  const bids = [...batch.bidTicks].sort((a, b) => b - a).map((t) => level(true, t));
  const asks = [...batch.askTicks].sort((a, b) => a - b).map((t) => level(false, t));
  exchange.events.market(state, {
    stream,
    data: {
      e: "depthUpdate",
      E: now,
      s: state.symbol,
      U: batch.lastEmittedId + 1,
      u: state.updateId,
      b: bids,
      a: asks,
    },
  });
  batch.lastEmittedId = state.updateId;
  batch.clear();
}
