// The public market on the clock: every tick advances each symbol's model, applies its steps (public trades fill
// resting API orders, level changes may cross them) and closes the depth batches that are due.
import type { MarketStep } from "../market/model";
import type { ExchangeState } from "./exchange-state";
import { fillFromCrossingBook, fillFromPublicTrade } from "./matching/public-fills";
import { trade } from "./matching/trade";
import { Dec } from "./num";
import { finishAction } from "./publisher/event-queue";
import { emitBookTicker, flushDueDepth } from "./publisher/market-streams";
import type { SymbolState } from "./symbol-state";

export function tick(exchange: ExchangeState): void {
  const now = exchange.clock.now();
  try {
    for (const state of exchange.states.values()) {
      state.market.advance(now, (step) => applyMarketStep(exchange, state, step));
      emitBookTicker(exchange, state);
      flushDueDepth(exchange, state, now);
    }
  } finally {
    finishAction(exchange);
  }
}

/** The earliest clock time at which `tick()` has something to do (a market step or a depth batch due). */
export function nextEventTime(exchange: ExchangeState): number | undefined {
  let next: number | undefined;
  const consider = (t: number | undefined): void => {
    if (t !== undefined && (next === undefined || t < next)) next = t;
  };
  for (const state of exchange.states.values()) {
    consider(state.market.nextStepTime());
    consider(state.batch100.dueAt);
    consider(state.batch1000.dueAt);
  }
  return next;
}

/** Whether a finite market (replay) has played to its end on every symbol. */
export function marketsFinished(exchange: ExchangeState): boolean {
  for (const state of exchange.states.values()) if (!state.market.finished) return false;
  return true;
}

function applyMarketStep(exchange: ExchangeState, state: SymbolState, step: MarketStep): void {
  const { instrument } = state;
  const { queuePosition } = exchange.settings;
  const time = step.time;
  flushDueDepth(exchange, state, time);
  let recordedTradeId = step.firstTradeId;
  for (const print of step.trades) {
    const price = new Dec(print.price);
    const qty = new Dec(print.qty);
    fillFromPublicTrade(exchange, state, instrument.tickOfString(print.price), qty, print.buyerIsMaker, time);
    const buyerIsMaker = print.buyerIsMaker;
    trade(exchange, state, price, qty, { taker: undefined, maker: undefined, takerIsBuyer: !buyerIsMaker }, recordedTradeId, time);
    if (recordedTradeId !== undefined) recordedTradeId++;
  }
  if (step.reset || step.levels.length > 0) {
    if (step.reset) {
      state.publicBids.clear();
      state.publicAsks.clear();
    }
    for (const level of step.levels) {
      const isBid = level.side === "bid";
      const levelTick = instrument.tickOfString(level.price);
      const qty = new Dec(level.qty);
      (isBid ? state.publicBids : state.publicAsks).set(levelTick, qty);
      state.touchPublic(isBid, levelTick, time);
      if (queuePosition) {
        for (let o = (isBid ? state.bids : state.asks).levels.get(levelTick)?.head; o; o = o.next) {
          if (o.queueAhead.gt(qty)) o.queueAhead = qty;
        }
      }
    }
    state.advanceUpdateId(step.lastUpdateId);
    if (step.reset) {
      // A replaced book starts the diff streams afresh: a client's next U follows the new snapshot's id,
      // so one holding the old book sees a gap and resyncs, as on Binance.
      for (const batch of [state.batch100, state.batch1000]) {
        batch.clear();
        batch.lastEmittedId = state.updateId;
      }
    }
    fillFromCrossingBook(exchange, state, time);
  }
  emitBookTicker(exchange, state);
}
