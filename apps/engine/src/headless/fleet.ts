// Headless mode: the bots of a config file, run by the same BotRuntime, Bot kernel, AccountSession and MarketFeed
// as the database-driven supervisor, without Postgres: no leases (one process owns the file's bots), no approvals,
// no journal. Reports go to JSON logs (a KPI line per bot and minute) and /metrics.
import type { Clock } from "@bandkeeper/core";
import type { AccountSession } from "../exchange/account-session";
import { ExchangeConnections } from "../exchange/connections";
import type { MarketFeedSettings } from "../exchange/market-feed";
import { BotRuntime, type BotSpec } from "../fleet/bot-runtime";
import type { AuditTrailFactory } from "../audit/audit-trail";
import type { ReadinessCheck } from "../observability/http";
import type { Logger } from "../observability/log";
import type { EngineMetrics } from "../observability/metrics";
import type { HeadlessBot, HeadlessConfig } from "./config";
import { LogSink } from "./log-sink";
import { BotTicker } from "../fleet/ticker";

export interface HeadlessTiming {
  tickMs: number;
  reconcileMs: number;
  kpiFlushMs: number;
  restartDelayMs: number;
}

const DEFAULT_TIMING: HeadlessTiming = { tickMs: 100, reconcileMs: 5_000, kpiFlushMs: 1_000, restartDelayMs: 2_000 };

export interface HeadlessFleetOptions {
  config: HeadlessConfig;
  /** Where SIMULATOR accounts without a base URL of their own connect. */
  defaultSimulatorUrl: string;
  clock: Clock;
  logger: Logger;
  metrics: EngineMetrics;
  /** Each bot run's audit trail, when set (e.g. fileAuditTrails(dir)). */
  auditTrail?: AuditTrailFactory | undefined;
  timing?: Partial<HeadlessTiming>;
  /** Market-data health and depth settings; the defaults suit Binance (tests shorten them). */
  marketFeed?: Partial<MarketFeedSettings>;
}

export class HeadlessFleet {
  private readonly timing: HeadlessTiming;
  private readonly runtimes = new Map<string, { runtime: BotRuntime; sink: LogSink }>();
  private readonly starting = new Map<string, Promise<void>>();
  private readonly restarts = new Set<NodeJS.Timeout>();
  private readonly connections: ExchangeConnections;
  private readonly ticker: BotTicker;
  private stopped = false;

  constructor(private readonly options: HeadlessFleetOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.ticker = new BotTicker(options.clock, this.timing.tickMs);
    this.connections = new ExchangeConnections(options);
  }

  /** Starts every bot of the file; one that fails to start is retried after a pause, the others run meanwhile. */
  async start(): Promise<void> {
    for (const bot of this.options.config.bots) this.launch(bot);
    await Promise.allSettled(this.starting.values());
  }

  /** What /readyz reports without a database: every bot of the file runs, and every venue's market stream carries frames. */
  readiness(): Promise<Record<string, ReadinessCheck>> {
    const running = this.runtimes.size;
    const wanted = this.options.config.bots.length;
    return Promise.resolve({
      bots: { ok: running === wanted, detail: `${running} of ${wanted} running` },
      marketData: this.connections.marketReadiness(),
    });
  }

  /** Cancels every bot's orders and closes the connections. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.restarts) clearTimeout(timer);
    await Promise.allSettled(this.starting.values());
    await Promise.all(
      [...this.runtimes.values()].map(async ({ runtime, sink }) => {
        await runtime.stop("engine shutting down");
        sink.flushKpis();
      }),
    );
    this.runtimes.clear();
    this.ticker.stop();
    await this.connections.close();
  }

  private launch(bot: HeadlessBot): void {
    const { logger, metrics, clock } = this.options;
    const spec: BotSpec = { id: bot.id, exchangeAccountId: bot.account, symbol: bot.symbol, config: bot.config, configVersionId: null, desiredState: "RUNNING" };
    let sink: LogSink | undefined;
    const started = BotRuntime.launch(spec, {
      sink: (_spec, hooks) => {
        sink = new LogSink({
          bot: { id: bot.id, symbol: bot.symbol, account: bot.account },
          logger,
          metrics,
          onEmergencyStop: hooks.onEmergencyStop,
        });
        return sink;
      },
      metrics,
      logger,
      clock,
      session: (account) => this.session(account),
      feed: (session) => this.connections.feed(session),
      onFault: (id, error) => {
        logger.error("bot faulted; restarting after a pause", { bot: id, error });
        this.runtimes.delete(id);
        this.relaunchLater(bot);
      },
      timing: this.timing,
      ticker: this.ticker,
      auditTrail: this.options.auditTrail,
    }).then(
      async (runtime) => {
        if (this.stopped) {
          await runtime.stop("engine shutting down");
          return;
        }
        this.runtimes.set(bot.id, { runtime, sink: sink! });
        metrics.botStarted({ bot: bot.id, name: `${bot.account}/${bot.symbol}`, account: bot.account, symbol: bot.symbol });
        logger.info("bot started", { bot: bot.id, account: bot.account, symbol: bot.symbol });
      },
      (error: unknown) => {
        logger.error("bot failed to start; retrying after a pause", { bot: bot.id, account: bot.account, symbol: bot.symbol, error });
        this.relaunchLater(bot);
      },
    );
    this.starting.set(bot.id, started.finally(() => this.starting.delete(bot.id)));
  }

  private relaunchLater(bot: HeadlessBot): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.restarts.delete(timer);
      if (!this.stopped) this.launch(bot);
    }, this.timing.restartDelayMs);
    this.restarts.add(timer);
  }

  private session(accountName: string): Promise<AccountSession> {
    return this.connections.session(accountName, () => {
      const account = this.options.config.accounts.find((candidate) => candidate.name === accountName);
      return account ? Promise.resolve(account) : Promise.reject(new Error(`no account named ${accountName}`));
    });
  }
}
