// A recording split into its two audiences: the public market the simulated exchange plays (book diffs and
// trades, through the simulator's own capture and CSV readers), and the market events the bot receives at their
// recorded local receive time (trades and book tops).
import { readStreamCapture } from "@bandkeeper/binance/recordings/stream-capture";
import { Decimal, type BookTop, type MarketTrade } from "@bandkeeper/core";
import { CaptureReplayBuilder, tradesCsvRecords, type ReplayRecord } from "@bandkeeper/exchange-sim/market/replay";

export type BotMarketEvent = { readonly kind: "trade"; readonly trade: MarketTrade } | { readonly kind: "book"; readonly top: BookTop };

export interface Recording {
  /** Public market changes for the exchange, at recorded time (epoch ms). */
  readonly exchangeRecords: readonly ReplayRecord[];
  /** What the bot's market feed would have delivered, in receive-time order. */
  readonly botEvents: readonly BotMarketEvent[];
  /** First and last recorded time (epoch ms) over both. */
  readonly start: number;
  readonly end: number;
  readonly format: "capture" | "trades" | "aggTrades";
}

export class RecordingError extends Error {
  override name = "RecordingError";
}

/**
 * Raw stream captures (several are read as one continuous recording, in the order given) or data.binance.vision
 * trades / aggTrades CSVs (a name containing "aggTrades" is read as aggTrades). Trade-only files have no book:
 * the bot and the exchange see a one-level book touching each print, one tick wide.
 */
export async function loadRecording(files: readonly string[], symbol: string, tickSize: string): Promise<Recording> {
  if (files.length === 0) throw new RecordingError("replay needs at least one --data file");
  const csv = files.filter((file) => /\.csv(\.gz)?$/i.test(file));
  if (csv.length === 0) return loadCaptures(files, symbol);
  if (csv.length !== files.length) throw new RecordingError("replay takes stream captures or trades / aggTrades CSVs, not both at once");
  const formats = new Set(files.map((file) => (/aggTrades/i.test(file) ? "aggTrades" : "trades")));
  if (formats.size > 1) throw new RecordingError("replay takes trades CSVs or aggTrades CSVs, not both at once");
  return loadTradesCsv(files, formats.has("aggTrades") ? "aggTrades" : "trades", tickSize);
}

async function loadCaptures(files: readonly string[], symbol: string): Promise<Recording> {
  const exchangeRecords: ReplayRecord[] = [];
  const botEvents: BotMarketEvent[] = [];
  const builder = new CaptureReplayBuilder(symbol, exchangeRecords);
  for (const file of files) {
    for await (const record of readStreamCapture(file)) {
      builder.add(record);
      if (record.kind !== "market" || record.event.symbol !== symbol) continue;
      const { event } = record;
      const time = record.localTimeMs;
      if (event.eventType === "trade") {
        botEvents.push({ kind: "trade", trade: { price: event.price, qty: event.qty, time, isBuyerMaker: event.isBuyerMaker } });
      } else if (event.eventType === "bookTicker") {
        botEvents.push({
          kind: "book",
          top: { bidPrice: event.bidPrice, bidQty: event.bidQty, askPrice: event.askPrice, askQty: event.askQty, time },
        });
      }
    }
  }
  builder.finish();
  if (botEvents.length === 0) throw new RecordingError(`no ${symbol} trade or bookTicker events in ${files.join(", ")}`);
  return { exchangeRecords, botEvents: inTimeOrder(botEvents), ...span(exchangeRecords, botEvents), format: "capture" };
}

async function loadTradesCsv(files: readonly string[], format: "trades" | "aggTrades", tickSize: string): Promise<Recording> {
  const exchangeRecords: ReplayRecord[] = [];
  const botEvents: BotMarketEvent[] = [];
  for (const file of files) {
    for await (const record of tradesCsvRecords(file, { format, bookAroundTrades: { tickSize, qty: "1" } })) {
      exchangeRecords.push(record);
      const top = bookTopOf(record);
      if (top) botEvents.push({ kind: "book", top });
      for (const t of record.step.trades) {
        botEvents.push({
          kind: "trade",
          trade: { price: new Decimal(t.price), qty: new Decimal(t.qty), time: record.time, isBuyerMaker: t.buyerIsMaker },
        });
      }
    }
  }
  if (botEvents.length === 0) throw new RecordingError(`no trades in ${files.join(", ")}`);
  return { exchangeRecords, botEvents: inTimeOrder(botEvents), ...span(exchangeRecords, botEvents), format };
}

/** The one-level book the CSV reader shows around a print, as the bot's book top. */
function bookTopOf(record: ReplayRecord): BookTop | undefined {
  const live = record.step.levels.filter((level) => level.qty !== "0");
  const bid = live.find((level) => level.side === "bid");
  const ask = live.find((level) => level.side === "ask");
  if (!bid || !ask) return undefined;
  return { bidPrice: new Decimal(bid.price), bidQty: new Decimal(bid.qty), askPrice: new Decimal(ask.price), askQty: new Decimal(ask.qty), time: record.time };
}

/** Captures are written in receive order, but a recorder's files may overlap by a line or two: sort, stably. */
function inTimeOrder(events: BotMarketEvent[]): BotMarketEvent[] {
  const time = (e: BotMarketEvent) => (e.kind === "trade" ? e.trade.time : e.top.time);
  for (let i = 1; i < events.length; i++) {
    if (time(events[i] as BotMarketEvent) < time(events[i - 1] as BotMarketEvent)) {
      return events.map((e, index) => ({ e, index })).sort((a, b) => time(a.e) - time(b.e) || a.index - b.index).map(({ e }) => e);
    }
  }
  return events;
}

function span(records: readonly ReplayRecord[], events: readonly BotMarketEvent[]): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (const r of records) {
    start = Math.min(start, r.time);
    end = Math.max(end, r.time);
  }
  for (const e of events) {
    const t = e.kind === "trade" ? e.trade.time : e.top.time;
    start = Math.min(start, t);
    end = Math.max(end, t);
  }
  return { start, end };
}
