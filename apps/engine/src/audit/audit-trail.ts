// A live bot's audit trail: the same JSON-lines event log replay writes, one file per bot run, fed by the bot's
// sink. Turning it on makes the bot log every market event as well (the evidence for response latency).
import { join } from "node:path";
import { type BotConfig, type Fill, type KpiMinuteBucket, type Order, type BotLogEntry, type BotState, type BotDecision } from "@bandkeeper/core";
import type { RuntimeSink } from "../fleet/runtime-sink";
import type { MarketView } from "../persistence/market-recorder";
import { EVENT_LOG_VERSION, EventLogWriter } from "./event-log";

/** Where one bot run's audit entries go. */
export interface AuditTrail {
  write(entry: BotLogEntry): void;
  /** Ends the covered period at `time` and releases the trail. */
  close(time: number): Promise<void>;
}

export interface AuditedRun {
  botId: string;
  symbol: string;
  config: BotConfig;
  startedAt: number;
}

export type AuditTrailFactory = (run: AuditedRun) => AuditTrail;

/** One event-log file per bot run: `<dir>/<botId>-<start time>.jsonl`, the format replay's --events-out writes. */
export function fileAuditTrails(dir: string): AuditTrailFactory {
  return (run) => {
    const stamp = new Date(run.startedAt).toISOString().replace(/[:.]/g, "-");
    const writer = EventLogWriter.open(join(dir, `${run.botId}-${stamp}.jsonl`), {
      kind: "run",
      version: EVENT_LOG_VERSION,
      source: "live",
      botId: run.botId,
      symbol: run.symbol,
      config: run.config,
    });
    return {
      write: (entry) => writer.write(entry),
      close: async (time) => {
        writer.end(time);
        await writer.close();
      },
    };
  };
}

export class AuditedSink implements RuntimeSink {
  readonly auditing = true;

  constructor(
    private readonly inner: RuntimeSink,
    private readonly trail: AuditTrail,
  ) {}

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
    this.trail.write(entry);
  }

  decision(decision: BotDecision): void {
    this.inner.decision?.(decision);
  }

  kpis(buckets: readonly KpiMinuteBucket[]): void {
    this.inner.kpis(buckets);
  }

  market(view: MarketView, time: number): void {
    this.inner.market?.(view, time);
  }

  close(time: number): Promise<void> {
    return this.trail.close(time);
  }
}
