import { readVisionAggTrades, readVisionTrades } from "@bandkeeper/binance/recordings/csv-trades";
import { readStreamCapture, type CaptureRecord } from "@bandkeeper/binance/recordings/stream-capture";
import type { PriceLevel } from "@bandkeeper/binance/types";
import Decimal from "decimal.js";

import type { MarketModel, MarketStep, PublicLevel } from "./model";

/** One recorded public change at its recorded time (epoch ms, the recorder's or the exchange's clock). */
export interface ReplayRecord {
  time: number;
  step: Omit<MarketStep, "time">;
}

export interface ReplayOptions {
  /** 1 plays at recorded speed, 10 ten times faster. Default 1. */
  speed?: number;
  /** Clock time (ms) at which the first record plays; default the clock time of the first `advance`. */
  startAt?: number;
}

/**
 * Plays recorded public market changes against the injected clock: a record recorded `d` ms after the first
 * plays `d / speed` ms after the start. Pure and deterministic; the loaders below read files up front.
 */
export class ReplayMarket implements MarketModel {
  private next = 0;
  private startAt: number | undefined;
  private readonly speed: number;
  private readonly firstTime: number;

  constructor(
    readonly symbol: string,
    private readonly records: readonly ReplayRecord[],
    options: ReplayOptions = {},
  ) {
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0)) throw new Error(`replay speed must be positive, got ${this.speed}`);
    this.startAt = options.startAt;
    this.firstTime = records[0]?.time ?? 0;
  }

  get finished(): boolean {
    return this.next >= this.records.length;
  }

  /** Records not yet played. */
  get remaining(): number {
    return this.records.length - this.next;
  }

  /** Clock time at which the next record plays (undefined when finished or not started). */
  nextStepTime(): number | undefined {
    const record = this.records[this.next];
    if (!record || this.startAt === undefined) return undefined;
    return this.playTime(record);
  }

  advance(now: number, emit: (step: MarketStep) => void): void {
    this.startAt ??= now;
    while (this.next < this.records.length) {
      const record = this.records[this.next] as ReplayRecord;
      const time = this.playTime(record);
      if (time > now) return;
      this.next++;
      emit({ ...record.step, time });
    }
  }

  private playTime(record: ReplayRecord): number {
    return Math.floor((this.startAt as number) + (record.time - this.firstTime) / this.speed);
  }

  /** A raw stream capture (or several, continuous, in order) of one symbol. */
  static async fromCapture(symbol: string, paths: string | readonly string[], options: ReplayOptions = {}): Promise<ReplayMarket> {
    const records: ReplayRecord[] = [];
    const builder = new CaptureReplayBuilder(symbol, records);
    for (const path of typeof paths === "string" ? [paths] : paths) {
      for await (const record of readStreamCapture(path)) builder.add(record);
    }
    builder.finish();
    return new ReplayMarket(symbol, records, options);
  }

  /** A data.binance.vision `trades` or `aggTrades` CSV (ms or µs timestamps). */
  static async fromTradesCsv(
    symbol: string,
    path: string,
    options: ReplayOptions & { format: "trades" | "aggTrades"; bookAroundTrades?: BookAroundTrades },
  ): Promise<ReplayMarket> {
    const records: ReplayRecord[] = [];
    const book = options.bookAroundTrades ? new TradeBook(options.bookAroundTrades) : undefined;
    const add = (time: number, id: number, price: string, qty: string, buyerIsMaker: boolean): void => {
      records.push({
        time,
        step: { levels: book?.around(price, buyerIsMaker) ?? [], trades: [{ price, qty, buyerIsMaker }], firstTradeId: id },
      });
    };
    if (options.format === "trades") {
      for await (const t of readVisionTrades(path)) {
        add(t.timeMs, t.id, t.price.toFixed(8), t.qty.toFixed(8), t.isBuyerMaker);
      }
    } else {
      for await (const t of readVisionAggTrades(path)) {
        add(t.timeMs, t.firstTradeId, t.price.toFixed(8), t.qty.toFixed(8), t.isBuyerMaker);
      }
    }
    return new ReplayMarket(symbol, records, options);
  }
}

/**
 * Turns capture records into replay records, building the book exactly as SPEC.md section 9 says: diffs
 * before the snapshot are buffered, those with u <= lastUpdateId dropped, the rest applied in order. A
 * capture without a snapshot starts from an empty book and shows only the levels its diffs touched.
 * Recorded bookTicker events are not replayed: the exchange derives its own from the rebuilt book.
 */
export class CaptureReplayBuilder {
  private bookId: number | undefined;
  private readonly buffered: { time: number; u: number; levels: PublicLevel[] }[] = [];
  private sawSnapshot = false;
  private sawDiff = false;

  constructor(
    private readonly symbol: string,
    private readonly out: ReplayRecord[],
  ) {}

  add(record: CaptureRecord): void {
    if (record.kind === "depthSnapshot") {
      this.applySnapshot(record.localTimeMs, record.snapshot.lastUpdateId, record.snapshot.bids, record.snapshot.asks);
      return;
    }
    if (record.kind !== "market" || record.event.symbol !== this.symbol) return;
    const event = record.event;
    const time = record.localTimeMs;
    if (event.eventType === "trade") {
      this.out.push({
        time,
        step: {
          levels: [],
          trades: [{ price: event.price.toFixed(8), qty: event.qty.toFixed(8), buyerIsMaker: event.isBuyerMaker }],
          firstTradeId: event.tradeId,
        },
      });
    } else if (event.eventType === "depthUpdate") {
      const levels = [...toLevels("bid", event.bids), ...toLevels("ask", event.asks)];
      this.sawDiff = true;
      if (!this.sawSnapshot) {
        this.buffered.push({ time, u: event.finalUpdateId, levels });
        return;
      }
      this.applyDiff(time, event.finalUpdateId, levels);
    }
  }

  /** Plays buffered diffs of a capture that never had a snapshot onto an empty book. Call after the last add. */
  finish(): void {
    if (this.sawSnapshot || !this.sawDiff) return;
    for (const diff of this.buffered.splice(0)) this.applyDiff(diff.time, diff.u, diff.levels);
  }

  private applySnapshot(time: number, lastUpdateId: number, bids: PriceLevel[], asks: PriceLevel[]): void {
    this.sawSnapshot = true;
    this.bookId = lastUpdateId;
    this.out.push({
      time,
      step: { reset: true, levels: [...toLevels("bid", bids), ...toLevels("ask", asks)], trades: [], lastUpdateId },
    });
    for (const diff of this.buffered.splice(0)) this.applyDiff(time, diff.u, diff.levels);
  }

  private applyDiff(time: number, u: number, levels: PublicLevel[]): void {
    if (this.bookId !== undefined && u <= this.bookId) return;
    this.bookId = u;
    this.out.push({ time, step: { levels, trades: [], lastUpdateId: u } });
  }
}

export interface BookAroundTrades {
  tickSize: string;
  /** Quantity shown at each synthetic level. */
  qty: string;
}

/** For trade-only data: a one-level book touching each print (a sell print is the bid, a buy print the ask). */
class TradeBook {
  private bid: string | undefined;
  private ask: string | undefined;
  private readonly tick: Decimal;

  constructor(private readonly options: BookAroundTrades) {
    this.tick = new Decimal(options.tickSize);
  }

  around(price: string, sellerAggressor: boolean): PublicLevel[] {
    const p = new Decimal(price);
    const bid = (sellerAggressor ? p : p.sub(this.tick)).toFixed(8);
    const ask = (sellerAggressor ? p.add(this.tick) : p).toFixed(8);
    const levels: PublicLevel[] = [];
    if (this.bid !== undefined && this.bid !== bid) levels.push({ side: "bid", price: this.bid, qty: "0" });
    if (this.ask !== undefined && this.ask !== ask) levels.push({ side: "ask", price: this.ask, qty: "0" });
    levels.push({ side: "bid", price: bid, qty: this.options.qty }, { side: "ask", price: ask, qty: this.options.qty });
    this.bid = bid;
    this.ask = ask;
    return levels;
  }
}

function toLevels(side: "bid" | "ask", levels: readonly PriceLevel[]): PublicLevel[] {
  return levels.map((l) => ({ side, price: l.price.toFixed(8), qty: l.qty.toFixed(8) }));
}
