// A live bot's audit trail: the same JSON-lines event log replay writes, one file per bot run, fed by the bot's
// sink. Turning it on makes the bot log every market event as well (the evidence for response latency).
import { join } from "node:path";
import type { BotConfig, Fill, KpiMinuteBucket, Order } from "@bandkeeper/core";
import type { BotLogEntry, BotState, Decision } from "../bot/ports";
import type { RuntimeSink } from "../fleet/bot-runtime";
import { EVENT_LOG_VERSION, EventLogWriter } from "./event-log";

export class AuditedSink implements RuntimeSink {
  readonly auditing = true;

  constructor(
    private readonly inner: RuntimeSink,
    private readonly writer: EventLogWriter,
  ) {}

  /** Opens `<dir>/<botId>-<start time>.jsonl` with its header line. */
  static open(inner: RuntimeSink, dir: string, run: { botId: string; symbol: string; config: BotConfig; startedAt: number }): AuditedSink {
    const stamp = new Date(run.startedAt).toISOString().replace(/[:.]/g, "-");
    const writer = EventLogWriter.open(join(dir, `${run.botId}-${stamp}.jsonl`), {
      kind: "run",
      version: EVENT_LOG_VERSION,
      source: "live",
      botId: run.botId,
      symbol: run.symbol,
      config: run.config,
    });
    return new AuditedSink(inner, writer);
  }

  order(order: Order): void {
    this.inner.order(order);
  }

  fill(fill: Fill, order: Order): void {
    this.inner.fill(fill, order);
  }

  state(from: BotState, to: BotState, reason: string | null, time: number): void {
    this.inner.state(from, to, reason, time);
  }

  event(type: string, time: number, reason: string, data?: Record<string, unknown>): void {
    this.inner.event(type, time, reason, data);
  }

  log(entry: BotLogEntry): void {
    this.inner.log(entry);
    this.writer.write(entry);
  }

  decision(decision: Decision): void {
    this.inner.decision?.(decision);
  }

  kpis(buckets: readonly KpiMinuteBucket[]): void {
    this.inner.kpis(buckets);
  }

  /** Ends the covered period at `time` and closes the file. */
  async close(time: number): Promise<void> {
    this.writer.end(time);
    await this.writer.close();
  }
}
