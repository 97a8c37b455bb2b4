// A thin pair made up from a seed, as a Recording: the simulator's synthetic market (a random-walk mid with a
// ladder of public levels) moves the book, and a print comes every 10-60 s (uniform), at the touch, from a random
// side; one in 30 sweeps on through the book. The book is wide (0.2% between best bid and ask, as on a new
// small-cap listing) and changes only every couple of seconds. Same seed, same tape.
import { Decimal, type BookTop } from "@bandkeeper/core";
import type { SymbolInfo } from "@bandkeeper/exchange-sim";
import { SeededRandom } from "@bandkeeper/exchange-sim/market/random";
import type { ReplayRecord } from "@bandkeeper/exchange-sim/market/replay";
import { SyntheticMarket } from "@bandkeeper/exchange-sim/market/synthetic";
import type { BotMarketEvent, Recording } from "../recording";
import { DepthBook } from "../depth-book";
import { symbolFromFilterFlags } from "../symbols";
import { TapeError } from "./transforms";

export interface SyntheticThinOptions {
  readonly seed?: number;
  /** Simulated length (default 8 h). */
  readonly hours?: number;
  /** Epoch ms of the first step (default 2024-08-09 00:00 UTC). */
  readonly startAt?: number;
  /** Shortest and longest gap between prints (default 10 s and 60 s). */
  readonly printGapMs?: readonly [number, number];
}

/** The made-up pair: a 2.5 USDT token, tick 0.0001 (0.004% of the price), lot 0.1, 5 USDT minimum notional. */
export const THIN_SYMBOL: SymbolInfo = symbolFromFilterFlags("THINUSDT", { tickSize: "0.0001", stepSize: "0.1", minNotional: "5" });
const START_PRICE = "2.5000";
/** 50 ticks between best bid and ask: 0.2% of the price. */
const SPREAD_TICKS = 50;
const BOOK_STEP_MS = 2_000;
/** Mean print size in base units (about 1,250 USDT, an eighth of the default quote). */
const MEAN_PRINT_QTY = 500;
const TICK = 0.0001;
/** One print in 30 sweeps (about 3 an hour), as far beyond the touch as an exponential with mean 0.15% of the price. */
const SWEEP_SHARE = 1 / 30;
const MEAN_SWEEP_DEPTH = 0.0015;
const SWEEP_STEP_TICKS = 10;

export function syntheticThinTape(options: SyntheticThinOptions = {}): Recording {
  const seed = options.seed ?? 1;
  const hours = options.hours ?? 8;
  const [minGap, maxGap] = options.printGapMs ?? [10_000, 60_000];
  if (!(hours > 0) || !(minGap > 0 && maxGap >= minGap)) throw new TapeError(`synthetic thin tape: hours must be positive and 0 < printGap[0] <= printGap[1], got ${hours} h, ${minGap}-${maxGap} ms`);
  const start = options.startAt ?? Date.UTC(2024, 7, 9);
  const end = start + hours * 3_600_000;
  const market = new SyntheticMarket({
    symbol: THIN_SYMBOL.symbol,
    seed,
    startPrice: START_PRICE,
    tickSize: "0.0001",
    stepSize: "0.1",
    stepMs: BOOK_STEP_MS,
    volatility: 0.8,
    jumpProbabilityPerSecond: 0.0002,
    jumpSize: 0.003,
    levels: 10,
    spreadTicks: SPREAD_TICKS,
    farLevelSpacingTicks: 10,
    levelSize: "4000",
    tradeRatePerSecond: 0,
  });
  const book = new DepthBook();
  const exchangeRecords: ReplayRecord[] = [];
  const botEvents: BotMarketEvent[] = [];
  /** The book top after each step, in time order, for the prints to trade at. */
  const tops: BookTop[] = [];
  let shownTop = "";
  for (let now = start; now <= end; now += BOOK_STEP_MS) {
    market.advance(now, (step) => {
      const { time, ...rest } = step;
      exchangeRecords.push({ time, step: rest });
      book.apply(rest, time);
      const top = book.top(time);
      if (!top) return;
      tops.push(top);
      const key = `${top.bidPrice.toFixed()}|${top.askPrice.toFixed()}|${top.bidQty.toFixed()}|${top.askQty.toFixed()}`;
      if (key !== shownTop) botEvents.push({ kind: "book", top });
      shownTop = key;
    });
  }
  const prints = new SeededRandom(seed * 7919 + 17);
  let topIndex = 0;
  for (let time = Math.floor(start + minGap + prints.next() * (maxGap - minGap)); time <= end; time = Math.floor(time + minGap + prints.next() * (maxGap - minGap))) {
    while ((tops[topIndex + 1]?.time ?? Infinity) <= time) topIndex++;
    const top = tops[topIndex];
    if (!top || top.time > time) continue;
    const buyerTakes = prints.next() < 0.5;
    const touch = buyerTakes ? top.askPrice : top.bidPrice;
    // Now and then an aggressor sweeps: prints every SWEEP_STEP_TICKS from the touch out to its limit.
    const sweepDepth = prints.next() < SWEEP_SHARE ? Math.min(0.01, -Math.log(1 - prints.next()) * MEAN_SWEEP_DEPTH) : 0;
    const limitTicks = Math.floor(touch.toNumber() * sweepDepth / TICK);
    const trades = [];
    for (let ticks = 0; ticks === 0 || ticks <= limitTicks; ticks += SWEEP_STEP_TICKS) {
      const price = touch.plus(new Decimal(TICK).times(buyerTakes ? ticks : -ticks));
      const lots = Math.max(1, Math.round((-Math.log(1 - prints.next()) * MEAN_PRINT_QTY) / 0.1));
      trades.push({ price, qty: new Decimal(lots).div(10) });
    }
    exchangeRecords.push({ time, step: { levels: [], trades: trades.map((t) => ({ price: t.price.toFixed(8), qty: t.qty.toFixed(8), buyerIsMaker: !buyerTakes })) } });
    for (const t of trades) botEvents.push({ kind: "trade", trade: { price: t.price, qty: t.qty, time, isBuyerMaker: !buyerTakes } });
  }
  exchangeRecords.sort((a, b) => a.time - b.time);
  botEvents.sort((a, b) => timeOf(a) - timeOf(b));
  return { exchangeRecords, botEvents, start, end, format: "capture" };
}

const timeOf = (event: BotMarketEvent) => (event.kind === "trade" ? event.trade.time : event.top.time);
