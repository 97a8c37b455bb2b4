// Where a headless bot reports when no database is kept: state changes, bot events and fills as JSON log lines,
// Prometheus metrics, and one KPI line per completed minute (the same minute buckets the journal would store).
import { summariseKpis, type Fill, type KpiMinuteBucket, type Order, type BotState, type BotDecision } from "@bandkeeper/core";
import type { RuntimeSink } from "../fleet/runtime-sink";
import type { Logger } from "../observability/log";
import type { EngineMetrics } from "../observability/metrics";

export interface LogSinkOptions {
  bot: { id: string; symbol: string; account: string };
  logger: Logger;
  metrics?: EngineMetrics;
  onEmergencyStop?: (reason: string) => void;
}

export class LogSink implements RuntimeSink {
  private readonly minutes = new Map<number, KpiMinuteBucket[]>();
  private readonly logger: Logger;
  private readonly recordDecision: ((decision: BotDecision) => void) | undefined;

  constructor(private readonly options: LogSinkOptions) {
    this.logger = options.logger.child({ bot: options.bot.id, account: options.bot.account, symbol: options.bot.symbol });
    this.recordDecision = options.metrics?.decisionRecorder(options.bot.id, options.bot.symbol);
  }

  order(order: Order): void {
    if (order.status === "PENDING_NEW") this.options.metrics?.orders.inc({ bot: this.options.bot.id, symbol: this.options.bot.symbol, side: order.side });
    this.logger.debug("order", { clientOrderId: order.clientOrderId, side: order.side, price: order.price.toFixed(), status: order.status });
  }

  fill(fill: Fill, order: Order): void {
    this.options.metrics?.fills.inc({ bot: this.options.bot.id, symbol: this.options.bot.symbol, side: fill.side });
    this.logger.info("fill", {
      clientOrderId: fill.clientOrderId,
      exchangeOrderId: order.exchangeOrderId,
      tradeId: fill.tradeId,
      side: fill.side,
      price: fill.price.toFixed(),
      qty: fill.qty.toFixed(),
      maker: fill.isMaker ?? true,
    });
  }

  state(from: BotState, to: BotState, reason: string | null): void {
    this.options.metrics?.setBotState(this.options.bot.id, this.options.bot.symbol, to);
    this.logger.info("bot state", { from, to, reason });
  }

  event(type: string, _time: number, reason: string, data?: Record<string, unknown>): void {
    this.options.metrics?.botEvents.inc({ bot: this.options.bot.id, symbol: this.options.bot.symbol, type });
    this.logger.warn("bot event", { type, reason, ...(data ? { data } : {}) });
    if (type === "emergency_stop") this.options.onEmergencyStop?.(reason);
  }

  /** The audit trail is a separate sink (AuditedSink) wrapped around this one. */
  log(): void {}

  decision(decision: BotDecision): void {
    this.recordDecision?.(decision);
  }

  /** Gathers the drained buckets; every minute older than the newest one is complete and logged. */
  kpis(buckets: readonly KpiMinuteBucket[]): void {
    this.options.metrics?.recordKpis(this.options.bot.id, this.options.bot.symbol, buckets);
    for (const bucket of buckets) this.minutes.set(bucket.minute, [...(this.minutes.get(bucket.minute) ?? []), bucket]);
    const newest = Math.max(...this.minutes.keys());
    for (const minute of [...this.minutes.keys()].sort((a, b) => a - b)) if (minute < newest) this.logMinute(minute);
  }

  /** Logs the minute in progress too (on stop). */
  flushKpis(): void {
    for (const minute of [...this.minutes.keys()].sort((a, b) => a - b)) this.logMinute(minute);
  }

  private logMinute(minute: number): void {
    const buckets = this.minutes.get(minute) ?? [];
    this.minutes.delete(minute);
    const kpis = summariseKpis(buckets);
    if (kpis.runningMs === 0) return;
    this.logger.info("kpi minute", { minute: new Date(minute).toISOString(), ...kpis });
  }
}
