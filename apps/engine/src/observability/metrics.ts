// Prometheus metrics of one engine process, served on /metrics (http.ts). Per bot (every series carries bot and
// symbol; bandkeeper_bot_info names it): state, KPI flags and KPI ratios over 1 minute, 5 minutes and 1 hour,
// decision latency, orders, fills, events; per account: balances, order acknowledgement latency, rate-limit use and
// the WebSocket API connection; per venue: the market stream and the IP's rate limits; the journal; alert deliveries.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { type BotDecision, type KpiFlags, type BotState, type KpiMinuteBucket } from "@bandkeeper/core";
import { serveMetrics, type ServeOptions } from "./http";
import { KPI_WINDOWS, KpiWindows } from "./kpi-windows";

export { EngineServeError, type EngineHealth, type EngineReadiness, type ReadinessCheck, type ServeOptions } from "./http";

const BOT_STATES: readonly BotState[] = ["STARTING", "QUOTING", "DEGRADED", "HALTED", "PAUSED", "STOPPING", "STOPPED", "FAULTED"];
const KPI_FLAGS = ["running", "spread_compliant", "two_sided", "depth"] as const;
/** Decision times: fine from 50 us to 1 ms, where a healthy decision lands, coarse beyond. */
const DECISION_BUCKETS_S = [0.00005, 0.000075, 0.0001, 0.00015, 0.0002, 0.0003, 0.0004, 0.0005, 0.00075, 0.001, 0.0025, 0.005, 0.01, 0.05];
/** The KPI ratios as the dashboard and the alert rules name them (docs/kpis.md). */
export const KPI_RATIOS = ["spread_compliance", "two_sided", "depth_compliance", "passive_fill_rate"] as const;

/** One rate-limit window as a budget counts it now. */
export interface RateLimitReading {
  scope: string;
  limit: string;
  used: number;
}

/** One asset of one account as the exchange last reported it. */
export interface BalanceReading {
  account: string;
  asset: string;
  free: number;
  locked: number;
}

/** One exchange connection: the venue's market stream, or an account's WebSocket API. */
export interface ConnectionReading {
  connection: "market_stream" | "websocket_api";
  venue: string;
  /** Empty for the market stream, which no account owns. */
  account: string;
  connected: boolean;
}

/** What the journal reports of itself (persistence/journal.ts JournalStats). */
export interface JournalReading {
  pending: number;
  failedFlushes: number;
  setAside: number;
}

export interface BotIdentity {
  bot: string;
  /** What people call it: `<account>/<symbol>` unless the bot has a name of its own. */
  name: string;
  account: string;
  symbol: string;
}

export type DeliveryOutcome = "delivered" | "retrying" | "failed";

export class EngineMetrics {
  readonly registry = new Registry();
  private readonly rateLimitSources = new Set<() => readonly RateLimitReading[]>();
  private readonly balanceSources = new Set<() => readonly BalanceReading[]>();
  private readonly connectionSources = new Set<() => readonly ConnectionReading[]>();
  private readonly kpiWindows = new KpiWindows();
  private readonly symbols = new Map<string, string>();
  private readonly identities = new Map<string, BotIdentity>();
  private journalSeen: JournalReading = { pending: 0, failedFlushes: 0, setAside: 0 };

  readonly botInfo = new Gauge({
    name: "bandkeeper_bot_info",
    help: "1 for each bot this engine runs, with its name, account and symbol (join on bot)",
    labelNames: ["bot", "name", "account", "symbol"],
    registers: [this.registry],
  });
  readonly botState = new Gauge({ name: "bandkeeper_bot_state", help: "1 for the bot's current state", labelNames: ["bot", "symbol", "state"], registers: [this.registry] });
  readonly kpiFlag = new Gauge({
    name: "bandkeeper_bot_kpi_flag",
    help: "1 while the KPI condition holds (running, spread_compliant, two_sided, depth)",
    labelNames: ["bot", "symbol", "kpi"],
    registers: [this.registry],
  });
  readonly kpiRatio: Gauge<"bot" | "symbol" | "kpi" | "window"> = new Gauge({
    name: "bandkeeper_bot_kpi_ratio",
    help: "KPI over the trailing window (1m, 5m, 1h) of this engine's run of the bot: spread_compliance, two_sided, depth_compliance (shares of running time), passive_fill_rate (filled/placed orders); absent without running time",
    labelNames: ["bot", "symbol", "kpi", "window"],
    registers: [this.registry],
    collect: () => this.collectKpis(),
  });
  readonly kpiRunningSeconds: Gauge<"bot" | "symbol" | "window"> = new Gauge({
    name: "bandkeeper_bot_kpi_running_seconds",
    help: "Running time within the trailing window (the KPI ratios' denominator)",
    labelNames: ["bot", "symbol", "window"],
    registers: [this.registry],
  });
  readonly responseLatencyP99: Gauge<"bot" | "symbol" | "window"> = new Gauge({
    name: "bandkeeper_bot_response_latency_p99_seconds",
    help: "p99 of the response latency (breach episode to compliant again) over the trailing window; absent without episodes",
    labelNames: ["bot", "symbol", "window"],
    registers: [this.registry],
  });
  readonly decisionSeconds = new Histogram({
    name: "bandkeeper_decision_seconds",
    help: "Market event received to the order requests of its decision written (decisions that sent none are not counted)",
    labelNames: ["bot", "symbol"],
    buckets: DECISION_BUCKETS_S,
    registers: [this.registry],
  });
  readonly otherDecisionSeconds = new Histogram({
    name: "bandkeeper_other_decision_seconds",
    help: "Decisions start-up, a timer tick or an order event prompted: start to the order requests written (decisions that sent none are not counted)",
    labelNames: ["bot", "symbol"],
    buckets: DECISION_BUCKETS_S,
    registers: [this.registry],
  });
  readonly ackSeconds = new Histogram({
    name: "bandkeeper_order_ack_seconds",
    help: "Order request sent to the exchange's acknowledgement",
    labelNames: ["account", "kind"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly orders = new Counter({ name: "bandkeeper_orders_total", help: "Orders sent", labelNames: ["bot", "symbol", "side"], registers: [this.registry] });
  readonly fills = new Counter({ name: "bandkeeper_fills_total", help: "Fills received", labelNames: ["bot", "symbol", "side"], registers: [this.registry] });
  readonly botEvents = new Counter({
    name: "bandkeeper_bot_events_total",
    help: "Bot events by type (order_reopened, journal_record_failed, account_auth_failed, emergency_stop, ...)",
    labelNames: ["bot", "symbol", "type"],
    registers: [this.registry],
  });
  readonly balance: Gauge<"account" | "asset" | "state"> = new Gauge({
    name: "bandkeeper_account_balance",
    help: "The account's balance of the asset as the exchange last reported it (state: free or locked in orders)",
    labelNames: ["account", "asset", "state"],
    registers: [this.registry],
    collect: () => {
      this.balance.reset();
      for (const read of this.balanceSources)
        for (const { account, asset, free, locked } of read()) {
          this.balance.set({ account, asset, state: "free" }, free);
          this.balance.set({ account, asset, state: "locked" }, locked);
        }
    },
  });
  readonly rateLimitUsed: Gauge<"scope" | "limit"> = new Gauge({
    name: "bandkeeper_rate_limit_used",
    help: "Units used in the current window of a rate limit (scope: an account's name, or `ip <host>` for the venue's IP limits)",
    labelNames: ["scope", "limit"],
    registers: [this.registry],
    // Read at every scrape, so the gauge is current in every mode (supervised, headless) without a timer.
    collect: () => {
      for (const read of this.rateLimitSources) for (const { scope, limit, used } of read()) this.rateLimitUsed.set({ scope, limit }, used);
    },
  });
  readonly connected: Gauge<"connection" | "venue" | "account"> = new Gauge({
    name: "bandkeeper_exchange_connected",
    help: "1 while the exchange connection carries frames (market_stream per venue, websocket_api per account)",
    labelNames: ["connection", "venue", "account"],
    registers: [this.registry],
    collect: () => {
      this.connected.reset();
      for (const read of this.connectionSources)
        for (const { connection, venue, account, connected } of read()) this.connected.set({ connection, venue, account }, connected ? 1 : 0);
    },
  });
  readonly reconnects = new Counter({
    name: "bandkeeper_exchange_reconnects_total",
    help: "Exchange connections opened again after the first (market_stream per venue, websocket_api per account)",
    labelNames: ["connection", "venue", "account"],
    registers: [this.registry],
  });
  readonly journalPending = new Gauge({ name: "bandkeeper_journal_pending", help: "Records waiting to be written to Postgres", registers: [this.registry] });
  readonly journalFailedFlushes = new Counter({
    name: "bandkeeper_journal_failed_flushes_total",
    help: "Journal flushes that failed (the records stay queued and are written by a later flush)",
    registers: [this.registry],
  });
  readonly journalSetAside = new Counter({
    name: "bandkeeper_journal_records_set_aside_total",
    help: "Records the database refused for good, kept in JournalFailure instead",
    registers: [this.registry],
  });
  readonly alertDeliveries = new Counter({
    name: "bandkeeper_alert_deliveries_total",
    help: "Alert delivery attempts by channel type and outcome (delivered, retrying, failed: given up)",
    labelNames: ["channel_type", "outcome"],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "bandkeeper_engine_" });
  }

  /** /metrics, /healthz and /readyz over HTTP (http.ts). */
  serve(options: ServeOptions): ReturnType<typeof serveMetrics> {
    return serveMetrics(this.registry, options);
  }

  /** Budgets whose windows `bandkeeper_rate_limit_used` reports; returns the way to stop. */
  readRateLimitsFrom(source: () => readonly RateLimitReading[]): () => void {
    this.rateLimitSources.add(source);
    return () => this.rateLimitSources.delete(source);
  }

  readBalancesFrom(source: () => readonly BalanceReading[]): () => void {
    this.balanceSources.add(source);
    return () => this.balanceSources.delete(source);
  }

  readConnectionsFrom(source: () => readonly ConnectionReading[]): () => void {
    this.connectionSources.add(source);
    return () => this.connectionSources.delete(source);
  }

  /** A bot this engine now runs (again, after a fault: the states its new run reported meanwhile stay). */
  botStarted(identity: BotIdentity): void {
    const previous = this.identities.get(identity.bot);
    if (previous) this.botInfo.remove({ ...previous });
    this.identities.set(identity.bot, identity);
    this.symbols.set(identity.bot, identity.symbol);
    this.botInfo.set({ ...identity }, 1);
  }

  /**
   * A bot this engine no longer runs (handed back, lost, stopped by an operator): its gauges go, so the engine
   * that runs it now is the only one reporting its state. Counters stay (Prometheus takes their rates).
   */
  forgetBot(bot: string): void {
    const identity = this.identities.get(bot);
    if (!identity) return;
    this.identities.delete(bot);
    this.botInfo.remove({ ...identity });
    const { symbol } = identity;
    for (const state of BOT_STATES) this.botState.remove({ bot, symbol, state });
    for (const kpi of KPI_FLAGS) this.kpiFlag.remove({ bot, symbol, kpi });
    this.kpiWindows.forget(bot);
    this.removeKpiSeries(bot, symbol);
  }

  /**
   * What a bot's sink calls on every decision: market-event decisions and the others (start-up, ticks, order events) in
   * histograms of their own, the label children bound once, so nothing is looked up or allocated per event.
   */
  decisionRecorder(bot: string, symbol: string): (decision: BotDecision) => void {
    const market = this.decisionSeconds.labels({ bot, symbol });
    const other = this.otherDecisionSeconds.labels({ bot, symbol });
    return ({ receivedAt, startedAt, finishedAt, requests }) => {
      if (requests === 0) return;
      if (receivedAt === undefined) other.observe((finishedAt - startedAt) / 1_000);
      else market.observe((finishedAt - receivedAt) / 1_000);
    };
  }

  setKpiFlags(bot: string, symbol: string, flags: KpiFlags): void {
    this.kpiFlag.set({ bot, symbol, kpi: "running" }, flags.running ? 1 : 0);
    this.kpiFlag.set({ bot, symbol, kpi: "spread_compliant" }, flags.spreadCompliant ? 1 : 0);
    this.kpiFlag.set({ bot, symbol, kpi: "two_sided" }, flags.twoSided ? 1 : 0);
    this.kpiFlag.set({ bot, symbol, kpi: "depth" }, flags.depth ? 1 : 0);
  }

  setBotState(bot: string, symbol: string, state: BotState): void {
    for (const s of BOT_STATES) this.botState.set({ bot, symbol, state: s }, s === state ? 1 : 0);
  }

  /** KPI deltas a bot drained (about once a second), for the trailing-window gauges. */
  recordKpis(bot: string, symbol: string, buckets: readonly KpiMinuteBucket[], now = Date.now()): void {
    this.symbols.set(bot, symbol);
    this.kpiWindows.add(bot, buckets, now);
  }

  /** The journal's figures after a flush: the pending gauge, and the counters by what changed since the last one. */
  recordJournal(reading: JournalReading): void {
    this.journalPending.set(reading.pending);
    this.journalFailedFlushes.inc(Math.max(0, reading.failedFlushes - this.journalSeen.failedFlushes));
    this.journalSetAside.inc(Math.max(0, reading.setAside - this.journalSeen.setAside));
    this.journalSeen = reading;
  }

  recordAlertDelivery(channelType: string, outcome: DeliveryOutcome): void {
    this.alertDeliveries.inc({ channel_type: channelType.toLowerCase(), outcome });
  }

  private collectKpis(now = Date.now()): void {
    this.kpiRatio.reset();
    this.kpiRunningSeconds.reset();
    this.responseLatencyP99.reset();
    for (const bot of this.kpiWindows.bots()) {
      const symbol = this.symbols.get(bot) ?? "";
      for (const window of KPI_WINDOWS) {
        const summary = this.kpiWindows.summary(bot, window.ms, now);
        if (!summary) continue;
        this.kpiRunningSeconds.set({ bot, symbol, window: window.label }, summary.runningMs / 1_000);
        const values: Record<(typeof KPI_RATIOS)[number], number | null> = {
          spread_compliance: summary.spreadCompliance,
          two_sided: summary.twoSided,
          depth_compliance: summary.depthCompliance,
          passive_fill_rate: summary.passiveFillRate,
        };
        for (const kpi of KPI_RATIOS) {
          const value = values[kpi];
          if (value !== null) this.kpiRatio.set({ bot, symbol, kpi, window: window.label }, value);
        }
        const p99 = summary.responseLatencyMs.p99;
        if (p99 !== null) this.responseLatencyP99.set({ bot, symbol, window: window.label }, p99 / 1_000);
      }
    }
  }

  private removeKpiSeries(bot: string, symbol: string): void {
    for (const window of KPI_WINDOWS) {
      for (const kpi of KPI_RATIOS) this.kpiRatio.remove({ bot, symbol, kpi, window: window.label });
      this.kpiRunningSeconds.remove({ bot, symbol, window: window.label });
      this.responseLatencyP99.remove({ bot, symbol, window: window.label });
    }
  }
}
