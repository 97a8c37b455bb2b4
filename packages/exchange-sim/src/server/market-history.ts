// What the venue's trades add up to, for the market data Binance computes from its trade history: aggregate
// trades (/aggTrades), klines (/klines, <symbol>@kline_<interval>) and the rolling 24-hour statistics
// (/ticker/24hr, /ticker/price, <symbol>@ticker, <symbol>@miniTicker). History starts with the process: a kline or
// window before the first trade the simulator saw is empty, as before a symbol's listing. The sums are kept in
// trade-buckets.ts, the interval boundaries in kline-intervals.ts.
import type { RawAggTrade, RawKline, RawTicker24h } from "@bandkeeper/binance/raw-types";
import type Decimal from "decimal.js";
import { errors } from "../exchange/errors";
import { Dec, fmt, ZERO } from "../exchange/num";
import { optionalParam, parseInteger, requireParam } from "../exchange/validation";
import type { AggTradeEvent, TradeEvent, Unsubscribe, Venue } from "../exchange/venue";
import { ApiError } from "./errors";
import { klineInterval, parseTimeZone } from "./kline-intervals";
import { addToBuckets, closeBefore, totals, trim, type Bucket } from "./trade-buckets";

const secondMs = 1000;
const minuteMs = 60_000;
const dayMs = 86_400_000;
// Kept in memory per symbol; older entries are dropped (Binance keeps them for ever).
const maxAggTrades = 100_000;
const maxSecondBuckets = 3_600;
const maxMinuteBuckets = 43_200;

class SymbolHistory {
  readonly aggTrades: RawAggTrade[] = [];
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
  aggTrades(params: { symbol?: string; fromId?: string; startTime?: string; endTime?: string; limit?: string }): RawAggTrade[] {
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
  klines(params: { symbol?: string; interval?: string; startTime?: string; endTime?: string; timeZone?: string; limit?: string }): RawKline[] {
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
  klineAt(symbol: string, intervalName: string, time: number): { kline: RawKline; firstId: number; lastId: number } | undefined {
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
  ticker24h(symbol: string): RawTicker24h {
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
  private kline(buckets: readonly Bucket[], start: number, end: number): RawKline {
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
