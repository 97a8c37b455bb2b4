import { BinancePayloadError } from "../errors";
import { parseDepthSnapshot } from "../parse";
import { asObject, str } from "../payload";
import { parseMarketEvent } from "../streams/market-stream";
import type { DepthSnapshot, MarketEvent } from "../types";
import { epochDigitsToMs, readLines } from "./lines";

export type CaptureRecord =
  | { kind: "market"; localTimeMs: number; stream: string; event: MarketEvent }
  /** A raw `GET /api/v3/depth` answer recorded inline (no wrapper), to start the book from. */
  | { kind: "depthSnapshot"; localTimeMs: number; snapshot: DepthSnapshot }
  | { kind: "serverShutdown"; localTimeMs: number }
  /** A stream this client does not model (aggTrade, partial depth, ...), passed through. */
  | { kind: "other"; localTimeMs: number; stream: string; data: Record<string, unknown> };

/** One capture line: `<local receive timestamp> <combined-stream JSON>`. */
export function parseCaptureLine(line: string, where = "capture"): CaptureRecord {
  const space = line.indexOf(" ");
  if (space <= 0) throw new BinancePayloadError(where, "expected `<timestamp> <json>`");
  const localTimeMs = epochDigitsToMs(line.slice(0, space));
  const msg = asObject(JSON.parse(line.slice(space + 1)), where);
  if (msg.stream === undefined && msg.lastUpdateId !== undefined) {
    return { kind: "depthSnapshot", localTimeMs, snapshot: parseDepthSnapshot(msg, where) };
  }
  const stream = str(msg, "stream", where);
  const data = asObject(msg.data, `${where}.data`);
  const event = parseMarketEvent(stream, data);
  if (event === "serverShutdown") return { kind: "serverShutdown", localTimeMs };
  if (event === undefined) return { kind: "other", localTimeMs, stream, data };
  return { kind: "market", localTimeMs, stream, event };
}

/**
 * Records of a raw stream capture (gzip or plain), in file order. Local timestamps may be ns (2024 files)
 * or µs (2023 file); both come out as epoch ms. Note they are the recorder's clock, not the exchange's `E`.
 */
export async function* readStreamCapture(path: string): AsyncGenerator<CaptureRecord> {
  for await (const { line, lineNumber } of readLines(path)) {
    yield parseCaptureLine(line, `${path}:${lineNumber}`);
  }
}
