// The raw market streams an engine receives, kept per symbol in gzip files of one UTC day, in the capture format
// `npm run replay` reads (`<local receive time in µs> <combined-stream JSON>` a line, the REST depth snapshots the
// book starts from inline), so any stretch the desk lived through can be replayed against another config.
// Each engine run writes files of its own (two engines, or a restart, never append to one gzip stream), flushed
// every second so a killed engine loses at most the last second; files past the retention are deleted.
import { createWriteStream, mkdirSync, readdirSync, rmSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import { constants, createGzip, type Gzip } from "node:zlib";
import type { DepthSnapshot } from "@bandkeeper/binance";

export interface MarketTapeSettings {
  /** The folder the symbols' folders go in. */
  readonly dir: string;
  /** Days of files kept, the current one included. */
  readonly retentionDays: number;
}

interface TapeFile {
  readonly day: string;
  readonly gzip: Gzip;
  readonly out: WriteStream;
}

const DAY_MS = 86_400_000;
const FLUSH_EVERY_MS = 1_000;
/** `<SYMBOL>-<YYYY-MM-DD>-<run>.capture.gz` */
const TAPE_NAME = /^([A-Z0-9]+)-(\d{4}-\d{2}-\d{2})-[\w-]+\.capture\.gz$/;

export class MarketTapes {
  private readonly files = new Map<string, TapeFile>();
  private readonly flushing: NodeJS.Timeout;
  private closed = false;

  /** `run` names this engine run in the file names (start time and process id, say). */
  constructor(
    private readonly settings: MarketTapeSettings,
    private readonly run: string,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.prune();
    this.flushing = setInterval(() => this.flush(), FLUSH_EVERY_MS);
    this.flushing.unref();
  }

  /** One stream frame as received (`{"stream":"btcusdt@trade","data":{...}}`). */
  frame(stream: string, text: string, receivedAt: number): void {
    const at = stream.indexOf("@");
    this.write(stream.slice(0, at === -1 ? undefined : at).toUpperCase(), text, receivedAt);
  }

  /** A REST depth snapshot the symbol's book started (or restarted) from, in Binance's own shape. */
  snapshot(symbol: string, snapshot: DepthSnapshot, receivedAt: number): void {
    const levels = (side: DepthSnapshot["bids"]) => side.map((level) => [level.price.toFixed(), level.qty.toFixed()]);
    this.write(symbol, JSON.stringify({ lastUpdateId: snapshot.lastUpdateId, bids: levels(snapshot.bids), asks: levels(snapshot.asks) }), receivedAt);
  }

  /** Ends every file properly (a complete gzip stream each). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.flushing);
    await Promise.all([...this.files.values()].map((file) => end(file)));
    this.files.clear();
  }

  private write(symbol: string, text: string, receivedAt: number): void {
    if (this.closed || symbol === "") return;
    const file = this.fileFor(symbol, receivedAt);
    file.gzip.write(`${Math.round(receivedAt * 1_000)} ${text}\n`);
  }

  private fileFor(symbol: string, time: number): TapeFile {
    const day = new Date(time).toISOString().slice(0, 10);
    const current = this.files.get(symbol);
    if (current?.day === day) return current;
    if (current) {
      void end(current);
      this.prune();
    }
    const folder = join(this.settings.dir, symbol);
    mkdirSync(folder, { recursive: true });
    const out = createWriteStream(join(folder, `${symbol}-${day}-${this.run}.capture.gz`), { flags: "a" });
    const gzip = createGzip();
    gzip.pipe(out);
    const file = { day, gzip, out };
    this.files.set(symbol, file);
    return file;
  }

  /** Whatever is buffered becomes decodable on disk (a sync flush: the gzip stream goes on). */
  private flush(): void {
    for (const file of this.files.values()) file.gzip.flush(constants.Z_SYNC_FLUSH);
  }

  /** Deletes the files of days before the retention window. */
  private prune(): void {
    const oldest = new Date(this.now() - (this.settings.retentionDays - 1) * DAY_MS).toISOString().slice(0, 10);
    let symbols: string[];
    try {
      symbols = readdirSync(this.settings.dir);
    } catch {
      return;
    }
    for (const symbol of symbols) {
      let names: string[];
      try {
        names = readdirSync(join(this.settings.dir, symbol));
      } catch {
        continue;
      }
      for (const name of names) {
        const day = TAPE_NAME.exec(name)?.[2];
        if (day !== undefined && day < oldest) rmSync(join(this.settings.dir, symbol, name), { force: true });
      }
    }
  }
}

function end(file: TapeFile): Promise<void> {
  return new Promise((resolve) => {
    file.out.once("close", () => resolve());
    file.out.once("error", () => resolve());
    file.gzip.end();
  });
}
