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
  /** Clock time (ms) at which the first record plays; default the clock time of the first `advance`.
   * Required for streaming sources. */
  startAt?: number;
}

export interface TradesCsvOptions {
  format: "trades" | "aggTrades";
  bookAroundTrades?: BookAroundTrades;
}

/**
 * Plays recorded public market changes against the injected clock: a record recorded `d` ms after the first
 * plays `d / speed` ms after the start. Records come from an array (read up front) or stream from an async
 * source; a streaming replay plays only what `ready(until)` has read, so a driver awaits `ready` before it
 * ticks (simulated clock) or keeps calling it ahead of the clock (real time). Deterministic either way.
 */
export class ReplayMarket implements MarketModel {
  private buffer: ReplayRecord[];
  private head = 0;
  private startAt: number | undefined;
  private readonly speed: number;
  private firstTime: number | undefined;
  private readonly source: AsyncIterator<ReplayRecord> | undefined;
  private sourceDone: boolean;
  private loading: Promise<void> = Promise.resolve();

  constructor(
    readonly symbol: string,
    records: readonly ReplayRecord[] | AsyncIterable<ReplayRecord>,
    options: ReplayOptions = {},
  ) {
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0)) throw new Error(`replay speed must be positive, got ${this.speed}`);
    this.startAt = options.startAt;
    if (Symbol.asyncIterator in records) {
      if (this.startAt === undefined) throw new Error("a streaming replay needs options.startAt");
      this.source = records[Symbol.asyncIterator]();
      this.buffer = [];
      this.sourceDone = false;
    } else {
      this.source = undefined;
      this.buffer = [...records];
      this.sourceDone = true;
      this.firstTime = this.buffer[0]?.time;
    }
  }

  get finished(): boolean {
    return this.sourceDone && this.head >= this.buffer.length;
  }

  /** Records read and not yet played. */
  get remaining(): number {
    return this.buffer.length - this.head;
  }

  /** Reads a streaming source ahead until a record due after clock time `until` is buffered, or it ends. */
  ready(until: number): Promise<void> {
    if (this.sourceDone) return this.loading;
    this.loading = this.loading.then(() => this.readUntil(until));
    return this.loading;
  }

  private async readUntil(until: number): Promise<void> {
    const source = this.source;
    while (source && !this.sourceDone) {
      const last = this.buffer[this.buffer.length - 1];
      if (last && this.playTime(last) > until) return;
      const next = await source.next();
      if (next.done) {
        this.sourceDone = true;
        return;
      }
      this.firstTime ??= next.value.time;
      this.buffer.push(next.value);
    }
  }

  /** Stops reading a streaming source (closing its file); what is buffered still plays. */
  async close(): Promise<void> {
    if (this.sourceDone) return;
    await this.loading;
    this.sourceDone = true;
    await this.source?.return?.();
  }

  /** Clock time at which the next buffered record plays (undefined when none is buffered or not started). */
  nextStepTime(): number | undefined {
    const record = this.buffer[this.head];
    if (!record || this.startAt === undefined) return undefined;
    return this.playTime(record);
  }

  advance(now: number, emit: (step: MarketStep) => void): void {
    this.startAt ??= now;
    while (this.head < this.buffer.length) {
      const record = this.buffer[this.head] as ReplayRecord;
      const time = this.playTime(record);
      if (time > now) break;
      this.head++;
      emit({ ...record.step, time });
    }
    if (this.source && this.head > 4096) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
  }

  private playTime(record: ReplayRecord): number {
    return Math.floor((this.startAt as number) + (record.time - (this.firstTime ?? record.time)) / this.speed);
  }

  /** A raw stream capture (or several, continuous, in order) of one symbol, read up front. */
  static async fromCapture(symbol: string, paths: string | readonly string[], options: ReplayOptions = {}): Promise<ReplayMarket> {
    const records: ReplayRecord[] = [];
    for await (const record of captureRecords(symbol, paths)) records.push(record);
    return new ReplayMarket(symbol, records, options);
  }

  /** A data.binance.vision `trades` or `aggTrades` CSV (ms or µs timestamps), read up front. */
  static async fromTradesCsv(
    symbol: string,
    path: string,
    options: ReplayOptions & TradesCsvOptions,
  ): Promise<ReplayMarket> {
    const records: ReplayRecord[] = [];
    for await (const record of tradesCsvRecords(path, options)) records.push(record);
    return new ReplayMarket(symbol, records, options);
  }
}

/** Replay records of raw stream captures (continuous files in order), streamed. */
export async function* captureRecords(symbol: string, paths: string | readonly string[]): AsyncGenerator<ReplayRecord> {
  const out: ReplayRecord[] = [];
  const builder = new CaptureReplayBuilder(symbol, out);
  for (const path of typeof paths === "string" ? [paths] : paths) {
    for await (const record of readStreamCapture(path)) {
      builder.add(record);
      if (out.length > 0) yield* out.splice(0);
    }
  }
  builder.finish();
  yield* out.splice(0);
}

/** Replay records of a data.binance.vision `trades` or `aggTrades` CSV, streamed. */
export async function* tradesCsvRecords(path: string, options: TradesCsvOptions): AsyncGenerator<ReplayRecord> {
  const book = options.bookAroundTrades ? new TradeBook(options.bookAroundTrades) : undefined;
  const record = (time: number, id: number, price: string, qty: string, buyerIsMaker: boolean): ReplayRecord => ({
    time,
    step: { levels: book?.around(price, buyerIsMaker) ?? [], trades: [{ price, qty, buyerIsMaker }], firstTradeId: id },
  });
  if (options.format === "trades") {
    for await (const t of readVisionTrades(path)) {
      yield record(t.timeMs, t.id, t.price.toFixed(8), t.qty.toFixed(8), t.isBuyerMaker);
    }
  } else {
    for await (const t of readVisionAggTrades(path)) {
      yield record(t.timeMs, t.firstTradeId, t.price.toFixed(8), t.qty.toFixed(8), t.isBuyerMaker);
    }
  }
}

/**
 * Turns capture records into replay records, building the book exactly as docs/binance-api.md, "Local order book" says: diffs
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
