import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { constants, createGunzip } from "node:zlib";

async function isGzip(path: string): Promise<boolean> {
  const file = await open(path, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await file.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await file.close();
  }
}

/**
 * The file's lines, one at a time (plain or gzip, told apart by the magic bytes). Streaming with backpressure,
 * so memory stays bounded however large the recording; empty lines are skipped. A gzip file cut short (a recorder
 * killed mid-write, as the engine's market tapes can be) is read up to the last data it holds.
 */
export async function* readLines(path: string): AsyncGenerator<{ line: string; lineNumber: number }> {
  // Sniffed before the stream exists, so a missing file is one rejection here, not also an unhandled stream error.
  const gzip = await isGzip(path);
  const raw = createReadStream(path);
  const input: Readable = gzip ? raw.pipe(createGunzip({ finishFlush: constants.Z_SYNC_FLUSH })) : raw;
  raw.on("error", (err) => input.destroy(err));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (line.trim() === "") continue;
      yield { line, lineNumber };
    }
  } finally {
    lines.close();
    raw.destroy();
  }
}

/** Local epoch timestamp of unknown unit, told apart by its digit count: s, ms, µs or ns -> epoch ms (fractional). */
export function epochDigitsToMs(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new Error(`not an epoch timestamp: ${JSON.stringify(digits)}`);
  const n = digits.length;
  if (n >= 18) return Number(digits.slice(0, n - 6)) + Number(digits.slice(n - 6)) / 1e6; // ns; exact beyond 2^53
  if (n >= 15) return Number(digits) / 1e3; // µs
  if (n >= 12) return Number(digits); // ms
  if (n >= 9) return Number(digits) * 1e3; // s
  throw new Error(`epoch timestamp too short to place: ${digits}`);
}
