// The bot's audit trail as JSON lines: a first line describing the run, then every BotSink.log entry (order
// requests, acknowledgements, rejects, fills, cancels, expiries, reference changes, market events, state changes)
// with its time in epoch ms. Enough for an exchange, an issuer or an auditor to recompute the KPIs on their own.
// Replay writes it with `--events-out`; a live engine writes one per bot run into ENGINE_AUDIT_DIR.
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { type BotConfig, type BotLogEntry } from "@bandkeeper/core";

export const EVENT_LOG_VERSION = 1;

/** The first line of an event log. */
export interface EventLogHeader {
  readonly kind: "run";
  readonly version: typeof EVENT_LOG_VERSION;
  readonly source: "replay" | "live";
  readonly botId: string;
  readonly symbol: string;
  /** The config in force at the start (every default filled in): band, minNotional and the rest. */
  readonly config: BotConfig;
  /** Replay: the one-way delay between bot and exchange, and the recordings played. */
  readonly latencyMs?: number;
  readonly data?: readonly string[];
}

/** The last line: the end of the period the log covers (KPI time runs up to here). */
export interface EventLogEnd {
  readonly kind: "end";
  readonly time: number;
}

export function eventLogLine(entry: EventLogHeader | BotLogEntry | EventLogEnd): string {
  return `${JSON.stringify(entry)}\n`;
}

/** Appends the log to a file without blocking the caller: lines are buffered by the stream and flushed on close. */
export class EventLogWriter {
  private failure: Error | undefined;
  private closed = false;

  private constructor(private readonly stream: WriteStream) {
    stream.on("error", (error) => (this.failure ??= error));
  }

  /** Creates (or truncates) `path` and writes the header line. */
  static open(path: string, header: EventLogHeader): EventLogWriter {
    const writer = new EventLogWriter(createWriteStream(path, { flags: "w", encoding: "utf8" }));
    writer.stream.write(eventLogLine(header));
    return writer;
  }

  write(entry: BotLogEntry | EventLogEnd): void {
    if (this.closed) throw new Error("event log is closed");
    this.stream.write(eventLogLine(entry));
  }

  /** Marks the end of the covered period; nothing may be written after it. */
  end(time: number): void {
    this.write({ kind: "end", time });
    this.closed = true;
  }

  /** Flushes and closes; rejects with the first write error, if any. */
  async close(): Promise<void> {
    if (!this.stream.writableEnded) {
      this.closed = true;
      this.stream.end();
      if (!this.stream.closed) await once(this.stream, "close").catch(() => undefined);
    }
    if (this.failure) throw this.failure;
  }
}
