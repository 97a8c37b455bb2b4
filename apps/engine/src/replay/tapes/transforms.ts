// Test tapes made from a real recording, as pure functions from one Recording to another: the same market thinned
// to a fraction of its trades (a thin pair), played faster (a busier one), or mirrored (the same moves the other way
// round, so a bot that only does well on a falling market shows it). Each keeps the recording's two audiences in
// step: the exchange's public book and trades, and the events the bot receives.
import type { BookTop, Decimal } from "@bandkeeper/core";
import type { PublicLevel } from "@bandkeeper/exchange-sim/market/model";
import type { ReplayRecord } from "@bandkeeper/exchange-sim/market/replay";
import type { BotMarketEvent, Recording } from "../recording";

export class TapeError extends Error {
  override name = "TapeError";
}

/**
 * Keeps one trade in `every` (the 1st, the (every+1)th, ...), on both sides of the tape, and lets the book change
 * only at the prints that remain: the exchange applies the level changes gathered since the last kept print
 * together with it, and the bot sees the book top as it stood at that print. Snapshots (book resets) stay where
 * they are, so the first book is there from the start. The span of the tape is unchanged.
 */
export function thinTape(recording: Recording, every: number): Recording {
  if (!(Number.isInteger(every) && every >= 1)) throw new TapeError(`thinning keeps one trade in N: N must be a whole number >= 1, got ${every}`);
  const exchangeRecords: ReplayRecord[] = [];
  const pending = new Map<string, PublicLevel>();
  let pendingUpdateId: number | undefined;
  let exchangeTrades = 0;
  for (const record of recording.exchangeRecords) {
    const { step } = record;
    if (step.reset) {
      pending.clear();
      exchangeRecords.push(record);
      continue;
    }
    for (const level of step.levels) pending.set(`${level.side}|${level.price}`, level);
    if (step.lastUpdateId !== undefined) pendingUpdateId = step.lastUpdateId;
    const kept = step.trades.filter(() => exchangeTrades++ % every === 0);
    if (kept.length === 0) continue;
    exchangeRecords.push({
      time: record.time,
      step: {
        levels: [...pending.values()],
        trades: kept,
        ...(pendingUpdateId !== undefined ? { lastUpdateId: pendingUpdateId } : {}),
        ...(step.firstTradeId !== undefined ? { firstTradeId: step.firstTradeId } : {}),
      },
    });
    pending.clear();
    pendingUpdateId = undefined;
  }

  const botEvents: BotMarketEvent[] = [];
  let latestTop: BookTop | undefined;
  let shownTop: BookTop | undefined;
  let botTrades = 0;
  for (const event of recording.botEvents) {
    if (event.kind === "book") {
      // The first book is the start-up seed; later ones wait for the next kept print.
      if (!shownTop) botEvents.push(event);
      shownTop ??= event.top;
      latestTop = event.top;
      continue;
    }
    if (botTrades++ % every !== 0) continue;
    if (latestTop && latestTop !== shownTop) {
      botEvents.push({ kind: "book", top: { ...latestTop, time: event.trade.time } });
      shownTop = latestTop;
    }
    botEvents.push(event);
  }
  return { ...recording, exchangeRecords, botEvents };
}

/** Plays the tape `factor` times faster: every time t becomes start + (t - start) / factor. */
export function compressTape(recording: Recording, factor: number): Recording {
  if (!(Number.isFinite(factor) && factor > 0)) throw new TapeError(`time compression factor must be a positive number, got ${factor}`);
  const { start } = recording;
  const at = (time: number) => start + (time - start) / factor;
  return {
    ...recording,
    exchangeRecords: recording.exchangeRecords.map((record) => ({ ...record, time: at(record.time) })),
    botEvents: recording.botEvents.map((event) =>
      event.kind === "trade" ? { kind: "trade", trade: { ...event.trade, time: at(event.trade.time) } } : { kind: "book", top: { ...event.top, time: at(event.top.time) } },
    ),
    end: at(recording.end),
  };
}

/**
 * The market upside down around the first trade's price P0: every price p becomes 2 x P0 - p, bids become asks and
 * asks bids, and each trade's aggressor changes side. A rise becomes a fall of the same size; mirroring twice gives
 * the original tape. Levels that would land at or below zero (far out in a deep snapshot) are left out.
 */
export function mirrorTape(recording: Recording): Recording {
  const firstTrade = recording.botEvents.find((event) => event.kind === "trade");
  if (!firstTrade) throw new TapeError("mirroring needs a trade to mirror around, and the tape has none");
  const twiceP0 = firstTrade.trade.price.times(2);
  const mirrored = (price: string) => twiceP0.minus(price).toFixed(8);
  const exchangeRecords: ReplayRecord[] = recording.exchangeRecords.map((record) => ({
    ...record,
    step: {
      ...record.step,
      levels: record.step.levels
        .filter((level) => twiceP0.gt(level.price))
        .map((level) => ({ side: level.side === "bid" ? "ask" : "bid", price: mirrored(level.price), qty: level.qty })),
      trades: record.step.trades.map((trade) => ({ ...trade, price: mirrored(trade.price), buyerIsMaker: !trade.buyerIsMaker })),
    },
  }));
  const botEvents: BotMarketEvent[] = recording.botEvents.map((event) => {
    if (event.kind === "trade") {
      const { trade } = event;
      return { kind: "trade", trade: { ...trade, price: twiceP0.minus(trade.price), isBuyerMaker: trade.isBuyerMaker === undefined ? undefined : !trade.isBuyerMaker } };
    }
    const { top } = event;
    return { kind: "book", top: { bidPrice: twiceP0.minus(top.askPrice), bidQty: top.askQty, askPrice: twiceP0.minus(top.bidPrice), askQty: top.bidQty, time: top.time } };
  });
  return { ...recording, exchangeRecords, botEvents };
}

/** Trades on the bot's side of a tape (what a thinning keeps one in N of). */
export function tradeCount(recording: Recording): number {
  return recording.botEvents.reduce((count, event) => count + (event.kind === "trade" ? 1 : 0), 0);
}

/** The decimal P0 a mirror turns around: the first trade's price. */
export function mirrorPivot(recording: Recording): Decimal | undefined {
  const firstTrade = recording.botEvents.find((event) => event.kind === "trade");
  return firstTrade?.kind === "trade" ? firstTrade.trade.price : undefined;
}
