// What the venue's trades add up to, for the market data Binance computes from its trade history: aggregate
// trades (/aggTrades), klines (/klines, <symbol>@kline_<interval>) and the rolling 24-hour statistics
// (/ticker/24hr, /ticker/price, <symbol>@ticker, <symbol>@miniTicker). History starts with the process: a kline or
// window before the first trade the simulator saw is empty, as before a symbol's listing.
import type Decimal from "decimal.js";
import { errors } from "../exchange/errors";
import { Dec, fmt, ZERO } from "../exchange/num";
import { optionalParam, parseInteger, requireParam } from "../exchange/validation";
import type { AggTradeEvent, TradeEvent, Unsubscribe, Venue } from "../exchange/venue";
import { ApiError } from "./errors";

export interface AggTrade {
  a: number;
  p: string;
  q: string;
  f: number;
  l: number;
  T: number;
  m: boolean;
  M: boolean;
}

/** One interval's trades: the unit klines are built from (per second and per minute). */
interface Bucket {
  openTime: number;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: Decimal;
  quoteVolume: Decimal;
  takerBuyVolume: Decimal;
  takerBuyQuoteVolume: Decimal;
  count: number;
  firstId: number;
  lastId: number;
}

/** The same sums over any span of buckets. */
type Totals = Omit<Bucket, "openTime">;

const secondMs = 1000;
const minuteMs = 60_000;
const dayMs = 86_400_000;
// Kept in memory per symbol; older entries are dropped (Binance keeps them for ever).
const maxAggTrades = 100_000;
const maxSecondBuckets = 3_600;
const maxMinuteBuckets = 43_200;

class SymbolHistory {
  readonly aggTrades: AggTrade[] = [];
  readonly seconds: Bucket[] = [];
  readonly minutes: Bucket[] = [];
  lastTrade: { price: Decimal; qty: Decimal; time: number } | undefined;

  onTrade(trade: TradeEvent): void {
    const price = new Dec(trade.p);
    const qty = new Dec(trade.q);
    // The taker bought when the buyer was not the maker.
    const takerBought = !trade.m;
    addToBuckets(this.seconds, Math.floor(trade.T / secondMs) * secondMs, price, qty, takerBought, trade.t, maxSecondBuckets);
    addToBuckets(this.minutes, Math.floor(trade.T / minuteMs) * minuteMs, price, qty, takerBought, trade.t, maxMinuteBuckets);
    this.lastTrade = { price, qty, time: trade.T };
  }

  onAggTrade(event: AggTradeEvent): void {
    this.aggTrades.push({ a: event.a, p: event.p, q: event.q, f: event.f, l: event.l, T: event.T, m: event.m, M: event.M });
    trim(this.aggTrades, maxAggTrades);
  }
}

function addToBuckets(
  buckets: Bucket[],
  openTime: number,
  price: Decimal,
  qty: Decimal,
  takerBought: boolean,
  tradeId: number,
  max: number,
): void {
  let bucket = buckets[buckets.length - 1];
  // A replayed recording may step back in time at its start; such a trade joins the latest bucket.
  if (!bucket || openTime > bucket.openTime) {
    bucket = {
      openTime,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: ZERO,
      quoteVolume: ZERO,
      takerBuyVolume: ZERO,
      takerBuyQuoteVolume: ZERO,
      count: 0,
      firstId: tradeId,
      lastId: tradeId,
    };
    buckets.push(bucket);
    trim(buckets, max);
  }
  const quote = price.mul(qty);
  if (price.gt(bucket.high)) bucket.high = price;
  if (price.lt(bucket.low)) bucket.low = price;
  bucket.close = price;
  bucket.volume = bucket.volume.add(qty);
  bucket.quoteVolume = bucket.quoteVolume.add(quote);
  if (takerBought) {
    bucket.takerBuyVolume = bucket.takerBuyVolume.add(qty);
    bucket.takerBuyQuoteVolume = bucket.takerBuyQuoteVolume.add(quote);
  }
  bucket.count += 1;
  bucket.lastId = tradeId;
}

/** Drops the oldest entries in batches, so trimming costs O(1) per added entry. */
function trim<T>(list: T[], max: number): void {
  if (list.length > max + max / 10) list.splice(0, list.length - max);
}

/** Index of the first bucket with openTime >= time. */
function firstAtOrAfter(buckets: readonly Bucket[], time: number): number {
  let lo = 0;
  let hi = buckets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((buckets[mid] as Bucket).openTime < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The sums of the buckets in [from, to); undefined when none traded. */
function totals(buckets: readonly Bucket[], from: number, to: number): Totals | undefined {
  let result: Totals | undefined;
  for (let i = firstAtOrAfter(buckets, from); i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    if (b.openTime >= to) break;
    if (!result) {
      result = { ...b };
      continue;
    }
    if (b.high.gt(result.high)) result.high = b.high;
    if (b.low.lt(result.low)) result.low = b.low;
    result.close = b.close;
    result.volume = result.volume.add(b.volume);
    result.quoteVolume = result.quoteVolume.add(b.quoteVolume);
    result.takerBuyVolume = result.takerBuyVolume.add(b.takerBuyVolume);
    result.takerBuyQuoteVolume = result.takerBuyQuoteVolume.add(b.takerBuyQuoteVolume);
    result.count += b.count;
    result.lastId = b.lastId;
  }
  return result;
}

/** The close of the last bucket before `time`. */
function closeBefore(buckets: readonly Bucket[], time: number): Decimal | undefined {
  const index = firstAtOrAfter(buckets, time) - 1;
  return index >= 0 ? (buckets[index] as Bucket).close : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Kline intervals, as Binance names them; boundaries in UTC shifted by the request's timeZone.

interface KlineInterval {
  /** Start of the interval holding `time`. */
  start(time: number): number;
  /** Start of the interval after the one starting at `start`. */
  next(start: number): number;
  /** Start of the interval before the one starting at `start`. */
  previous(start: number): number;
  /** Built from per-second buckets (1s) or per-minute ones. */
  perSecond: boolean;
}

const fixedIntervals: Record<string, number> = {
  "1s": secondMs,
  "1m": minuteMs,
  "3m": 3 * minuteMs,
  "5m": 5 * minuteMs,
  "15m": 15 * minuteMs,
  "30m": 30 * minuteMs,
  "1h": 60 * minuteMs,
  "2h": 120 * minuteMs,
  "4h": 240 * minuteMs,
  "6h": 360 * minuteMs,
  "8h": 480 * minuteMs,
  "12h": 720 * minuteMs,
  "1d": dayMs,
  "3d": 3 * dayMs,
};

export const klineIntervalNames = [...Object.keys(fixedIntervals), "1w", "1M"] as const;

export function klineInterval(name: string, offsetMs = 0): KlineInterval | undefined {
  const fixed = fixedIntervals[name];
  if (fixed !== undefined) {
    return {
      start: (t) => Math.floor((t + offsetMs) / fixed) * fixed - offsetMs,
      next: (s) => s + fixed,
      previous: (s) => s - fixed,
      perSecond: fixed === secondMs,
    };
  }
  if (name === "1w") {
    // Weeks start on Monday; 1970-01-01 was a Thursday, so Mondays fall 4 days after the epoch's week grid.
    const week = 7 * dayMs;
    const monday = 4 * dayMs;
    return {
      start: (t) => Math.floor((t + offsetMs - monday) / week) * week + monday - offsetMs,
      next: (s) => s + week,
      previous: (s) => s - week,
      perSecond: false,
    };
  }
  if (name === "1M") {
    const monthStart = (t: number, add: number) => {
      const d = new Date(t + offsetMs);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1) - offsetMs;
    };
    return { start: (t) => monthStart(t, 0), next: (s) => monthStart(s, 1), previous: (s) => monthStart(s - 1, 0), perSecond: false };
  }
  return undefined;
}

/** Binance's timeZone: hours[:minutes] from -12:00 to +14:00, e.g. "0", "-1:00", "05:45". */
export function parseTimeZone(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 0;
  const match = /^([+-]?)(\d{1,2})(?::(\d{2}))?$/.exec(raw);
  const hours = Number(match?.[2] ?? NaN);
  const minutes = Number(match?.[3] ?? 0);
  const sign = match?.[1] === "-" ? -1 : 1;
  const offset = sign * (hours * 60 + minutes);
  if (!match || minutes >= 60 || offset < -12 * 60 || offset > 14 * 60) throw new ApiError(-1130, "Invalid timeZone.");
  return offset * minuteMs;
}

export type Kline = [
  openTime: number,
  open: string,
  high: string,
  low: string,
  close: string,
  volume: string,
  closeTime: number,
  quoteVolume: string,
  count: number,
  takerBuyVolume: string,
  takerBuyQuoteVolume: string,
  unused: "0",
];

export interface Ticker24h {
  symbol: string;
  priceChange: string;
  priceChangePercent: string;
  weightedAvgPrice: string;
  prevClosePrice: string;
  lastPrice: string;
  lastQty: string;
  bidPrice: string;
  bidQty: string;
  askPrice: string;
  askQty: string;
  openPrice: string;
  highPrice: string;
  lowPrice: string;
  volume: string;
  quoteVolume: string;
  openTime: number;
  closeTime: number;
  firstId: number;
  lastId: number;
  count: number;
}

export type MiniTicker24h = Pick<
  Ticker24h,
  "symbol" | "openPrice" | "highPrice" | "lowPrice" | "lastPrice" | "volume" | "quoteVolume" | "openTime" | "closeTime" | "firstId" | "lastId" | "count"
>;

/** Listens to every symbol's trades from construction on; `close()` stops listening. */
export class MarketHistory {
  private readonly bySymbol = new Map<string, SymbolHistory>();
  private readonly unsubscribes: Unsubscribe[] = [];

  constructor(
    private readonly venue: Venue,
    private readonly now: () => number,
  ) {
    for (const symbol of venue.symbols()) {
      const history = new SymbolHistory();
      this.bySymbol.set(symbol, history);
      this.unsubscribes.push(
        venue.onMarketEvent(symbol, (event) => {
          if (event.stream === "trade") history.onTrade(event.data);
          else if (event.stream === "aggTrade") history.onAggTrade(event.data);
        }),
      );
    }
  }

  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  /** GET /api/v3/aggTrades: by fromId, from startTime, up to endTime, or the most recent; oldest first. */
  aggTrades(params: { symbol?: string; fromId?: string; startTime?: string; endTime?: string; limit?: string }): AggTrade[] {
    const list = this.history(params.symbol).aggTrades;
    const limit = limitOf(params.limit, 500, 1000);
    const fromId = integerOrUndefined(params.fromId, "fromId");
    const startTime = integerOrUndefined(params.startTime, "startTime");
    const endTime = integerOrUndefined(params.endTime, "endTime");
    let selected = list;
    if (fromId !== undefined) selected = selected.filter((trade) => trade.a >= fromId);
    if (startTime !== undefined) selected = selected.filter((trade) => trade.T >= startTime);
    if (endTime !== undefined) selected = selected.filter((trade) => trade.T <= endTime);
    // From an id or a start time: the oldest matching ones; otherwise the most recent.
    const fromStart = fromId !== undefined || startTime !== undefined;
    return (fromStart ? selected.slice(0, limit) : selected.slice(-limit)).map((trade) => ({ ...trade }));
  }

  /** GET /api/v3/klines. */
  klines(params: { symbol?: string; interval?: string; startTime?: string; endTime?: string; timeZone?: string; limit?: string }): Kline[] {
    const history = this.history(params.symbol);
    const interval = klineInterval(requireParam(params.interval, "interval"), parseTimeZone(params.timeZone));
    if (!interval) throw new ApiError(-1120, "Invalid interval.");
    const limit = limitOf(params.limit, 500, 1000);
    const startTime = integerOrUndefined(params.startTime, "startTime");
    const endTime = integerOrUndefined(params.endTime, "endTime");
    if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
      throw new ApiError(-1128, "Combination of optional parameters invalid.");
    }
    const buckets = interval.perSecond ? history.seconds : history.minutes;
    const first = buckets[0];
    if (!first) return [];
    const firstStart = interval.start(first.openTime);
    const lastStart = interval.start(Math.min(endTime ?? Infinity, this.now()));
    const starts: number[] = [];
    if (startTime !== undefined) {
      // From startTime: the oldest klines opening at or after it.
      let s = interval.start(startTime);
      if (s < startTime) s = interval.next(s);
      for (s = Math.max(s, firstStart); s <= lastStart && starts.length < limit; s = interval.next(s)) starts.push(s);
    } else {
      // The most recent, counted back from the one holding endTime (or now).
      for (let s = lastStart; s >= firstStart && starts.length < limit; s = interval.previous(s)) starts.push(s);
      starts.reverse();
    }
    return starts.map((s) => this.kline(buckets, s, interval.next(s)));
  }

  /** The kline of the interval holding `time`, for `<symbol>@kline_<interval>`; undefined before the first trade. */
  klineAt(symbol: string, intervalName: string, time: number): { kline: Kline; firstId: number; lastId: number } | undefined {
    const history = this.bySymbol.get(symbol);
    const interval = klineInterval(intervalName);
    if (!history || !interval) return undefined;
    const buckets = interval.perSecond ? history.seconds : history.minutes;
    if (buckets.length === 0) return undefined;
    const start = interval.start(time);
    const end = interval.next(start);
    const sums = totals(buckets, start, end);
    return { kline: this.kline(buckets, start, end), firstId: sums?.firstId ?? -1, lastId: sums?.lastId ?? -1 };
  }

  /** When the symbol last traded, if it has since the simulator started. */
  lastTradeTime(symbol: string): number | undefined {
    return this.bySymbol.get(symbol)?.lastTrade?.time;
  }

  /** GET /api/v3/ticker/24hr for one symbol: the last 24 hours, whole minutes. */
  ticker24h(symbol: string): Ticker24h {
    const history = this.history(symbol);
    const closeTime = this.now();
    const openTime = closeTime - dayMs;
    const sums = totals(history.minutes, Math.floor(openTime / minuteMs) * minuteMs, Infinity);
    const book = this.venue.bookTicker(symbol);
    const last = history.lastTrade;
    const lastPrice = last?.price ?? ZERO;
    // A quiet day: no change from the last price.
    const open = sums?.open ?? lastPrice;
    const change = lastPrice.sub(open);
    return {
      symbol,
      priceChange: fmt(change),
      priceChangePercent: open.isZero() ? "0.000" : change.div(open).mul(100).toFixed(3),
      weightedAvgPrice: sums && !sums.volume.isZero() ? fmt(sums.quoteVolume.div(sums.volume)) : fmt(ZERO),
      prevClosePrice: fmt(closeBefore(history.minutes, Math.floor(openTime / minuteMs) * minuteMs) ?? ZERO),
      lastPrice: fmt(lastPrice),
      lastQty: fmt(last?.qty ?? ZERO),
      bidPrice: book.bidPrice,
      bidQty: book.bidQty,
      askPrice: book.askPrice,
      askQty: book.askQty,
      openPrice: fmt(open),
      highPrice: fmt(sums?.high ?? lastPrice),
      lowPrice: fmt(sums?.low ?? lastPrice),
      volume: fmt(sums?.volume ?? ZERO),
      quoteVolume: fmt(sums?.quoteVolume ?? ZERO),
      openTime,
      closeTime,
      firstId: sums?.firstId ?? -1,
      lastId: sums?.lastId ?? -1,
      count: sums?.count ?? 0,
    };
  }

  /** The price of the symbol's last trade. */
  lastPrice(symbol: string): string {
    return fmt(this.history(symbol).lastTrade?.price ?? ZERO);
  }

  /** The kline of the buckets in [start, end); an interval without trades carries the previous close. */
  private kline(buckets: readonly Bucket[], start: number, end: number): Kline {
    const sums = totals(buckets, start, end);
    if (!sums) {
      const previous = fmt(closeBefore(buckets, start) ?? ZERO);
      const zero = fmt(ZERO);
      return [start, previous, previous, previous, previous, zero, end - 1, zero, 0, zero, zero, "0"];
    }
    return [
      start,
      fmt(sums.open),
      fmt(sums.high),
      fmt(sums.low),
      fmt(sums.close),
      fmt(sums.volume),
      end - 1,
      fmt(sums.quoteVolume),
      sums.count,
      fmt(sums.takerBuyVolume),
      fmt(sums.takerBuyQuoteVolume),
      "0",
    ];
  }

  private history(symbol: string | undefined): SymbolHistory {
    const history = this.bySymbol.get(requireParam(symbol, "symbol"));
    if (!history) throw errors.invalidSymbol();
    return history;
  }
}

function integerOrUndefined(raw: string | undefined, name: string): number | undefined {
  const value = optionalParam(raw);
  return value === undefined ? undefined : parseInteger(value, name);
}

/** Binance clamps `limit` into [1, max]. */
function limitOf(raw: string | undefined, fallback: number, max: number): number {
  const value = integerOrUndefined(raw, "limit");
  return value === undefined ? fallback : Math.min(Math.max(value, 1), max);
}
