// The stretch of a symbol's market tapes a change request is replayed over: the tape files that can hold the last
// `windowMs` of recorded data, and that recording cut to its last `windowMs`. The cut keeps the book whole: the
// exchange starts from the book as it stood at the cut (one reset step holding every level), and the bot from the
// last book top before it, so the stretch plays as if the recorder had started there.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readStreamCapture } from "@bandkeeper/binance/recordings/stream-capture";
import type { PublicLevel } from "@bandkeeper/exchange-sim/market/model";
import { CaptureReplayBuilder, type ReplayRecord } from "@bandkeeper/exchange-sim/market/replay";
import { RecordingError, type BotMarketEvent, type Recording } from "../replay/recording";

const DAY_MS = 86_400_000;
/** Records read between trims of what lies before the window. */
const TRIM_EVERY = 50_000;
/** Kept before the window at a trim: the bot's events are sorted once all is read, and may be a little out of order. */
const TRIM_SLACK_MS = 60_000;
/** `<SYMBOL>-<YYYY-MM-DD>-<run>.capture.gz`, as persistence/market-tapes.ts names them. */
const TAPE_NAME = /^([A-Z0-9]+)-(\d{4}-\d{2}-\d{2})-[\w-]+\.capture\.gz$/;

/**
 * The symbol's tape files of the newest recorded day and the days before it that `windowMs` reaches into, oldest
 * first (a day's runs in the order they started: their names carry the start time). Empty without any.
 */
export function recentTapeFiles(dir: string, symbol: string, windowMs: number): string[] {
  let names: string[];
  try {
    names = readdirSync(join(dir, symbol));
  } catch {
    return [];
  }
  const tapes = names.flatMap((name) => {
    const match = TAPE_NAME.exec(name);
    return match && match[1] === symbol ? [{ name, day: match[2] as string }] : [];
  });
  if (tapes.length === 0) return [];
  const newest = tapes.reduce((latest, tape) => (tape.day > latest ? tape.day : latest), "");
  const oldest = new Date(Date.parse(`${newest}T00:00:00Z`) - Math.ceil(windowMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  return tapes
    .filter((tape) => tape.day >= oldest)
    .map((tape) => tape.name)
    .sort()
    .map((name) => join(dir, symbol, name));
}

/** The recording's last `windowMs` (the whole of it when shorter). */
export function lastStretch(recording: Recording, windowMs: number): Recording {
  const cut = recording.end - windowMs;
  if (recording.start >= cut) return recording;
  const bids = new Map<string, PublicLevel>();
  const asks = new Map<string, PublicLevel>();
  let lastUpdateId: number | undefined;
  const kept: ReplayRecord[] = [];
  for (const record of recording.exchangeRecords) {
    if (record.time >= cut) {
      kept.push(record);
      continue;
    }
    if (record.step.reset) {
      bids.clear();
      asks.clear();
    }
    for (const level of record.step.levels) {
      const side = level.side === "bid" ? bids : asks;
      if (Number(level.qty) === 0) side.delete(level.price);
      else side.set(level.price, level);
    }
    if (record.step.lastUpdateId !== undefined) lastUpdateId = record.step.lastUpdateId;
  }
  const book: ReplayRecord = {
    time: cut,
    step: { reset: true, levels: [...bids.values(), ...asks.values()], trades: [], ...(lastUpdateId !== undefined ? { lastUpdateId } : {}) },
  };
  const exchangeRecords = bids.size + asks.size > 0 ? [book, ...kept] : kept;

  let lastTop: BotMarketEvent | undefined;
  const botEvents: BotMarketEvent[] = [];
  for (const event of recording.botEvents) {
    const time = event.kind === "trade" ? event.trade.time : event.top.time;
    if (time >= cut) botEvents.push(event);
    else if (event.kind === "book") lastTop = event;
  }
  if (lastTop?.kind === "book") botEvents.unshift({ kind: "book", top: { ...lastTop.top, time: cut } });
  return { ...recording, exchangeRecords, botEvents, start: cut };
}

/**
 * The last `windowMs` of stream captures, as `lastStretch(await loadRecording(files, ...), windowMs)` gives it, in
 * memory bounded by the window rather than by the files (a liquid pair's day is gigabytes of text): as the files
 * are read, what lies before the window so far is folded into one book snapshot and dropped.
 */
export async function loadLastStretch(files: readonly string[], symbol: string, windowMs: number, trimEvery = TRIM_EVERY): Promise<Recording> {
  if (files.length === 0) throw new RecordingError("no tape files to replay");
  const exchangeRecords: ReplayRecord[] = [];
  const botEvents: BotMarketEvent[] = [];
  const builder = new CaptureReplayBuilder(symbol, exchangeRecords);
  let latest = -Infinity;
  let read = 0;
  for (const file of files) {
    for await (const record of readStreamCapture(file)) {
      builder.add(record);
      latest = Math.max(latest, record.localTimeMs);
      if (record.kind === "market" && record.event.symbol === symbol) {
        const { event } = record;
        const time = record.localTimeMs;
        if (event.eventType === "trade") botEvents.push({ kind: "trade", trade: { price: event.price, qty: event.qty, time, isBuyerMaker: event.isBuyerMaker } });
        else if (event.eventType === "bookTicker") botEvents.push({ kind: "book", top: { bidPrice: event.bidPrice, bidQty: event.bidQty, askPrice: event.askPrice, askQty: event.askQty, time } });
      }
      if (++read % trimEvery === 0) trimBefore(exchangeRecords, botEvents, latest - windowMs - TRIM_SLACK_MS);
    }
  }
  builder.finish();
  if (botEvents.length === 0) throw new RecordingError(`no ${symbol} trade or bookTicker events in ${files.join(", ")}`);
  const timeOf = (event: BotMarketEvent) => (event.kind === "trade" ? event.trade.time : event.top.time);
  const sorted = botEvents.map((event, index) => ({ event, index })).sort((a, b) => timeOf(a.event) - timeOf(b.event) || a.index - b.index).map(({ event }) => event);
  // The span as loadRecording measures it: over what the exchange and the bot are given.
  let start = Infinity;
  let end = -Infinity;
  for (const time of [...exchangeRecords.map((r) => r.time), ...sorted.map(timeOf)]) {
    start = Math.min(start, time);
    end = Math.max(end, time);
  }
  return lastStretch({ exchangeRecords, botEvents: sorted, start, end, format: "capture" }, windowMs);
}

/** In place (the capture builder keeps appending to the same array): everything before `cut` folded into one snapshot. */
function trimBefore(exchangeRecords: ReplayRecord[], botEvents: BotMarketEvent[], cut: number): void {
  const firstKept = exchangeRecords.findIndex((record) => record.time >= cut);
  if (firstKept > 1) {
    const folded = lastStretch({ exchangeRecords: exchangeRecords.slice(0, firstKept), botEvents: [], start: -Infinity, end: cut, format: "capture" }, 0);
    exchangeRecords.splice(0, firstKept, ...folded.exchangeRecords);
  }
  let lastTop: BotMarketEvent | undefined;
  let drop = 0;
  for (const event of botEvents) {
    const time = event.kind === "trade" ? event.trade.time : event.top.time;
    if (time >= cut) break;
    if (event.kind === "book") lastTop = event;
    drop++;
  }
  if (drop > 1) botEvents.splice(0, drop, ...(lastTop ? [lastTop] : []));
}
