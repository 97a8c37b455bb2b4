import type Decimal from "decimal.js";
import { BinancePayloadError } from "../errors";
import { parseDecimal } from "../payload";
import { parseBookTickerEvent, parseDepthUpdateEvent } from "../parse";
import type { BookTickerEvent, DepthUpdateEvent } from "../types";
import { epochDigitsToMs, readLines } from "./lines";

/** A row of data.binance.vision `trades` (`id,price,qty,quote_qty,time,is_buyer_maker,is_best_match`). */
export interface VisionTrade {
  id: number;
  price: Decimal;
  qty: Decimal;
  quoteQty: Decimal;
  /** Epoch ms; the files switched from ms to µs on 2025-01-01 and both are accepted. */
  timeMs: number;
  isBuyerMaker: boolean;
  isBestMatch: boolean;
}

/** A row of data.binance.vision `aggTrades`. */
export interface VisionAggTrade {
  aggTradeId: number;
  price: Decimal;
  qty: Decimal;
  firstTradeId: number;
  lastTradeId: number;
  timeMs: number;
  isBuyerMaker: boolean;
  isBestMatch: boolean;
}

/** A row of the flat trades file derived from our own capture (`BTCUSDT_trades_*.csv`). */
export interface RecordedTrade {
  id: number;
  price: Decimal;
  qty: Decimal;
  tradeTimeMs: number;
  eventTimeMs: number;
  /** Recorder's receive time, epoch ms. */
  localTimeMs: number;
  isBuyerMaker: boolean;
}

/** A row of the flat bookTicker file derived from our own capture. */
export interface RecordedBookTicker {
  localTimeMs: number;
  event: BookTickerEvent;
}

interface Row {
  fields: string[];
  where: string;
}

/** Data rows of a CSV file, with a header line (first field not a number) skipped if present. */
async function* csvRows(path: string, columns: number): AsyncGenerator<Row> {
  let first = true;
  for await (const { line, lineNumber } of readLines(path)) {
    const fields = line.split(",").map((f) => f.trim());
    const where = `${path}:${lineNumber}`;
    if (first) {
      first = false;
      if (!/^\d+$/.test(fields[0] ?? "")) continue;
    }
    if (fields.length < columns) throw new BinancePayloadError(where, `expected ${columns} columns, got ${fields.length}`);
    yield { fields, where };
  }
}

function field(row: Row, i: number): string {
  return row.fields[i] as string;
}

function int(row: Row, i: number): number {
  const v = field(row, i);
  if (!/^-?\d+$/.test(v)) throw new BinancePayloadError(`${row.where} column ${i + 1}`, `expected an integer, got ${v}`);
  return Number(v);
}

function flag(row: Row, i: number): boolean {
  const v = field(row, i).toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw new BinancePayloadError(`${row.where} column ${i + 1}`, `expected true/false, got ${v}`);
}

function decimal(row: Row, i: number): Decimal {
  return parseDecimal(field(row, i), `${row.where} column ${i + 1}`);
}

function time(row: Row, i: number): number {
  return epochDigitsToMs(field(row, i));
}

export async function* readVisionTrades(path: string): AsyncGenerator<VisionTrade> {
  for await (const row of csvRows(path, 7)) {
    yield {
      id: int(row, 0),
      price: decimal(row, 1),
      qty: decimal(row, 2),
      quoteQty: decimal(row, 3),
      timeMs: time(row, 4),
      isBuyerMaker: flag(row, 5),
      isBestMatch: flag(row, 6),
    };
  }
}

export async function* readVisionAggTrades(path: string): AsyncGenerator<VisionAggTrade> {
  for await (const row of csvRows(path, 8)) {
    yield {
      aggTradeId: int(row, 0),
      price: decimal(row, 1),
      qty: decimal(row, 2),
      firstTradeId: int(row, 3),
      lastTradeId: int(row, 4),
      timeMs: time(row, 5),
      isBuyerMaker: flag(row, 6),
      isBestMatch: flag(row, 7),
    };
  }
}

/** `id,price,qty,trade_time_ms,event_time_ms,local_recv_ns,is_buyer_maker` */
export async function* readRecordedTrades(path: string): AsyncGenerator<RecordedTrade> {
  for await (const row of csvRows(path, 7)) {
    yield {
      id: int(row, 0),
      price: decimal(row, 1),
      qty: decimal(row, 2),
      tradeTimeMs: time(row, 3),
      eventTimeMs: time(row, 4),
      localTimeMs: time(row, 5),
      isBuyerMaker: flag(row, 6),
    };
  }
}

/** `update_id,bid_price,bid_qty,ask_price,ask_qty,local_recv_ns` */
export async function* readRecordedBookTickers(path: string, symbol: string): AsyncGenerator<RecordedBookTicker> {
  for await (const row of csvRows(path, 6)) {
    yield {
      localTimeMs: time(row, 5),
      event: parseBookTickerEvent(
        { u: int(row, 0), s: symbol, b: field(row, 1), B: field(row, 2), a: field(row, 3), A: field(row, 4) },
        row.where,
      ),
    };
  }
}

/** One raw depthUpdate payload a line (`BTCUSDT_depthUpdate100ms_*.jsonl.gz`). */
export async function* readRecordedDepthUpdates(path: string): AsyncGenerator<DepthUpdateEvent> {
  for await (const { line, lineNumber } of readLines(path)) {
    yield parseDepthUpdateEvent(JSON.parse(line), `${path}:${lineNumber}`);
  }
}
