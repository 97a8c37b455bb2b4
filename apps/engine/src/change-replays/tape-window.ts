// The stretch of a symbol's market tapes a change request is replayed over: the tape files that can hold the last
// `windowMs` of recorded data, and that recording cut to its last `windowMs`. The cut keeps the book whole: the
// exchange starts from the book as it stood at the cut (one reset step holding every level), and the bot from the
// last book top before it, so the stretch plays as if the recorder had started there.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { PublicLevel } from "@bandkeeper/exchange-sim/market/model";
import type { ReplayRecord } from "@bandkeeper/exchange-sim/market/replay";
import type { BotMarketEvent, Recording } from "../replay/recording";

const DAY_MS = 86_400_000;
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
