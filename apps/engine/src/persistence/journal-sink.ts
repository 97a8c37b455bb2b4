// A bot's reports turned into journal records (Postgres, off the hot path) and metrics.
import { type BotLogEntry, type Fill, type KpiMinuteBucket, type Order, type BotSink, type BotState, type BotDecision } from "@bandkeeper/core";
import type { EngineMetrics } from "../observability/metrics";
import type { EngineJournal } from "./journal";
import { MarketRecorder, type MarketView } from "./market-recorder";

export interface JournalSinkOptions {
  bot: { id: string; exchangeAccountId: string; symbol: string };
  journal: EngineJournal;
  metrics?: EngineMetrics;
  /** Risk asked for an emergency stop: cancel everything on the account. */
  onEmergencyStop?: (reason: string) => void;
  /** The market recorder's cadence for an unchanged market (default 1 s); see market-recorder.ts. */
  marketSampleEveryMs?: number;
}

/** Bot states the database knows; the bot's STARTING and STOPPING pass through as they are. */
export class JournalSink implements BotSink {
  /** The bot's latest reference price, as it reports changes of it; for the market snapshot. */
  private referencePrice: string | null = null;
  private readonly recorder: MarketRecorder;
  private readonly recordDecision: ((decision: BotDecision) => void) | undefined;

  constructor(private readonly options: JournalSinkOptions) {
    this.recorder = new MarketRecorder(options.bot.id, options.marketSampleEveryMs);
    this.recordDecision = options.metrics?.decisionRecorder(options.bot.id, options.bot.symbol);
  }

  order(order: Order): void {
    const { bot, journal, metrics } = this.options;
    if (order.status === "PENDING_NEW") metrics?.orders.inc({ bot: bot.id, symbol: bot.symbol, side: order.side });
    journal.recordOrder({
      botId: bot.id,
      exchangeAccountId: bot.exchangeAccountId,
      symbol: order.symbol,
      clientOrderId: order.clientOrderId,
      exchangeOrderId: order.exchangeOrderId ?? undefined,
      side: order.side,
      type: "LIMIT_MAKER",
      price: order.price.toFixed(),
      quantity: order.origQty.toFixed(),
      executedQty: order.executedQty.toFixed(),
      cumulativeQuoteQty: order.cumulativeQuoteQty.toFixed(),
      status: order.status,
      rejectReason: order.status === "REJECTED" ? (order.lastMessage ?? undefined) : undefined,
      placedAt: new Date(order.createdAt),
      ackAt: order.acknowledgedAt === null ? undefined : new Date(order.acknowledgedAt),
      closedAt: order.closedAt === null ? undefined : new Date(order.closedAt),
    });
  }

  fill(fill: Fill, order: Order): void {
    const { bot, journal, metrics } = this.options;
    metrics?.fills.inc({ bot: bot.id, symbol: bot.symbol, side: fill.side });
    journal.recordFill({
      botId: bot.id,
      exchangeAccountId: bot.exchangeAccountId,
      symbol: bot.symbol,
      clientOrderId: fill.clientOrderId,
      tradeId: fill.tradeId,
      exchangeOrderId: order.exchangeOrderId ?? "",
      side: fill.side,
      price: fill.price.toFixed(),
      quantity: fill.qty.toFixed(),
      quoteQty: fill.price.times(fill.qty).toFixed(),
      commission: fill.commission?.toFixed() ?? "0",
      commissionAsset: fill.commissionAsset ?? "",
      isMaker: fill.isMaker ?? true,
      time: new Date(fill.time),
    });
  }

  state(from: BotState, to: BotState, reason: string | null, time: number): void {
    const { bot, journal, metrics } = this.options;
    metrics?.setBotState(bot.id, bot.symbol, to);
    const at = new Date(time);
    journal.recordState({ botId: bot.id, actualState: to, stateReason: reason, at });
    journal.recordEvent({ botId: bot.id, time: at, type: "state", fromState: from, toState: to, reason: reason ?? undefined });
  }

  event(type: string, time: number, reason: string, data?: Record<string, unknown>): void {
    const { bot, journal, metrics, onEmergencyStop } = this.options;
    metrics?.botEvents.inc({ bot: bot.id, symbol: bot.symbol, type });
    journal.recordEvent({ botId: bot.id, time: new Date(time), type, reason, data: data as never });
    if (type === "emergency_stop") onEmergencyStop?.(reason);
  }

  /** The audit trail is a separate sink (AuditedSink) wrapped around this one; only the reference is kept here. */
  log(entry: BotLogEntry): void {
    if (entry.kind === "reference") this.referencePrice = entry.price;
  }

  /**
   * The dashboard's view of the bot's market, overwritten about once a second (BotMarketSnapshot), and the market
   * recorder's sample when one is due (BotMarketSample).
   */
  market(view: MarketView, time: number): void {
    const sample = this.recorder.sample(this.referencePrice, view, time);
    if (sample) this.options.journal.recordMarketSample(sample);
    const { top } = view;
    this.options.journal.recordMarketSnapshot({
      botId: this.options.bot.id,
      referencePrice: this.referencePrice,
      bestBid: top?.bidPrice.toFixed() ?? null,
      bestAsk: top?.askPrice.toFixed() ?? null,
      marketTime: top ? new Date(top.time) : null,
      at: new Date(time),
    });
  }

  decision(decision: BotDecision): void {
    this.recordDecision?.(decision);
  }

  /** KPI buckets drained from the bot, added to the bot's minute rows. */
  kpis(buckets: readonly KpiMinuteBucket[]): void {
    this.options.metrics?.recordKpis(this.options.bot.id, this.options.bot.symbol, buckets);
    recordKpiBuckets(this.options.journal, this.options.bot.id, buckets);
  }
}

/** Adds KPI buckets to a bot's minute rows (empty ones are skipped): the bot's own, or its downtime's. */
export function recordKpiBuckets(journal: EngineJournal, botId: string, buckets: readonly KpiMinuteBucket[]): void {
  for (const b of buckets) {
    if (b.runningMs === 0 && b.ordersPlaced === 0 && b.ordersFilled === 0 && b.latencyCount === 0 && b.filledNotional === "0") continue;
    journal.recordKpis({
      botId,
      minute: new Date(b.minute),
      runningMs: b.runningMs,
      compliantMs: b.spreadCompliantMs,
      twoSidedMs: b.twoSidedMs,
      depthMs: b.depthMs,
      ordersPlaced: b.ordersPlaced,
      ordersDepthOk: b.ordersDepthOk,
      ordersFilled: b.ordersFilled,
      placedNotional: b.placedNotional,
      filledNotional: b.filledNotional,
      latencyCount: b.latencyCount,
      latencySumMs: b.latencySumMs,
      latencyMaxMs: b.latencyMaxMs,
      latencyHistogram: [...b.latencyHistogram],
    });
  }
}
