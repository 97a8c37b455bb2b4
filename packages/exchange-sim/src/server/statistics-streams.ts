// The streams Binance pushes on a timer rather than per event: `<symbol>@ticker` and `<symbol>@miniTicker` (rolling
// 24-hour statistics, every second) and `<symbol>@kline_<interval>` (the open kline, every second for 1s and every
// 2 seconds otherwise; when an interval ends, its final kline with `x: true` comes first). Built from the trade
// history (market-history.ts); a symbol that has not traded yet sends nothing.
import { klineIntervalNames } from "./kline-intervals";
import type { MarketHistory } from "./market-history";

export type Statistic = { kind: "ticker" } | { kind: "miniTicker" } | { kind: "kline"; interval: string };

const statisticPattern = new RegExp(`^([a-z0-9]+)@(ticker|miniTicker|kline_(${klineIntervalNames.join("|")}))$`);

export function parseStatisticStream(name: string): { symbol: string; statistic: Statistic } | undefined {
  const match = statisticPattern.exec(name);
  if (!match) return undefined;
  const symbol = (match[1] ?? "").toUpperCase();
  const kind = match[2] ?? "";
  if (kind === "ticker" || kind === "miniTicker") return { symbol, statistic: { kind } };
  return { symbol, statistic: { kind: "kline", interval: match[3] ?? "" } };
}

/** How often the server calls `payloads`; kline streams of intervals above 1s send every other call. */
export const statisticsEveryMs = 1000;

/** Remembers, per kline stream, which interval it last sent, so a finished interval is closed exactly once. */
export class StatisticsPublisher {
  private readonly lastKlineStart = new Map<string, number>();
  private calls = 0;

  constructor(
    private readonly history: MarketHistory,
    private readonly now: () => number,
  ) {}

  /** Starts a round of pushes; returns whether the 2-second kline streams are due in it. */
  nextRound(): boolean {
    this.calls += 1;
    return this.calls % 2 === 0;
  }

  /** What stream `name` sends this round, oldest first (nothing, one event, or a closed kline then the open one). */
  payloads(name: string, symbol: string, statistic: Statistic, slowDue: boolean): unknown[] {
    const E = this.now();
    if (statistic.kind === "kline") return this.klinePayloads(name, symbol, statistic.interval, slowDue, E);
    if (this.history.lastTradeTime(symbol) === undefined) return [];
    const t = this.history.ticker24h(symbol);
    if (statistic.kind === "miniTicker") {
      return [{ e: "24hrMiniTicker", E, s: symbol, c: t.lastPrice, o: t.openPrice, h: t.highPrice, l: t.lowPrice, v: t.volume, q: t.quoteVolume }];
    }
    return [
      {
        e: "24hrTicker",
        E,
        s: symbol,
        p: t.priceChange,
        P: t.priceChangePercent,
        w: t.weightedAvgPrice,
        x: t.prevClosePrice,
        c: t.lastPrice,
        Q: t.lastQty,
        b: t.bidPrice,
        B: t.bidQty,
        a: t.askPrice,
        A: t.askQty,
        o: t.openPrice,
        h: t.highPrice,
        l: t.lowPrice,
        v: t.volume,
        q: t.quoteVolume,
        O: t.openTime,
        C: t.closeTime,
        F: t.firstId,
        L: t.lastId,
        n: t.count,
      },
    ];
  }

  /** A stream nobody receives any more forgets its last interval. */
  forget(name: string): void {
    this.lastKlineStart.delete(name);
  }

  private klinePayloads(name: string, symbol: string, interval: string, slowDue: boolean, E: number): unknown[] {
    if (interval !== "1s" && !slowDue) return [];
    const current = this.history.klineAt(symbol, interval, E);
    if (!current) return [];
    const event = (k: NonNullable<typeof current>, closed: boolean) => ({
      e: "kline",
      E,
      s: symbol,
      k: {
        t: k.kline[0],
        T: k.kline[6],
        s: symbol,
        i: interval,
        f: k.firstId,
        L: k.lastId,
        o: k.kline[1],
        c: k.kline[4],
        h: k.kline[2],
        l: k.kline[3],
        v: k.kline[5],
        n: k.kline[8],
        x: closed,
        q: k.kline[7],
        V: k.kline[9],
        Q: k.kline[10],
        B: "0",
      },
    });
    const events: unknown[] = [];
    const previousStart = this.lastKlineStart.get(name);
    const start = current.kline[0];
    if (previousStart !== undefined && previousStart !== start) {
      const finished = this.history.klineAt(symbol, interval, previousStart);
      if (finished) events.push(event(finished, true));
    }
    this.lastKlineStart.set(name, start);
    events.push(event(current, false));
    return events;
  }
}
