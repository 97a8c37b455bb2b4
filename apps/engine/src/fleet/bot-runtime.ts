// One running bot in a live engine: the Bot kernel wired to its account session, the venue's market feed, its
// sink (the Postgres journal, or logs in headless mode) and the timers that drive it. Start-up reconciles before
// quoting; stopping cancels the bot's orders.
import { SequentialIdGenerator, parseBotConfig, type BookTop, type BotConfig, type Clock, Bot, type ExchangeOpenOrder, type ExecutionReplies } from "@bandkeeper/core";
import type { PrismaClient } from "@bandkeeper/db/client";
import type { AccountSession } from "../exchange/account-session";
import { authenticationFailure } from "../exchange/connections";
import { instrumentFromSymbol } from "../exchange/instrument";
import type { MarketFeed } from "../exchange/market-feed";
import type { Logger } from "../observability/log";
import type { EngineMetrics } from "../observability/metrics";
import type { EngineJournal } from "../persistence/journal";
import { AuditedSink, type AuditTrailFactory } from "../audit/audit-trail";
import { FillRecovery } from "./fill-recovery";
import { MarketRelay } from "./market-relay";
import type { RuntimeSink } from "./runtime-sink";
import type { BotTicker } from "./ticker";

/** A bot's sink as the runtime drives it: the kernel's reports plus the KPI buckets drained every flush. */

/** The bot the runtime runs: a database row, or an entry of a headless config file. */
export interface BotSpec {
  id: string;
  exchangeAccountId: string;
  symbol: string;
  config: BotConfig;
  configVersionId: string | null;
  desiredState: "RUNNING" | "PAUSED" | "STOPPED";
}

export interface RuntimeDeps {
  /** The database the bot's rows and journal live in; headless bots without a database have none. */
  persistence?: { prisma: PrismaClient; journal: EngineJournal };
  sink(bot: BotSpec, hooks: { onEmergencyStop: (reason: string) => void }): RuntimeSink;
  metrics: EngineMetrics;
  logger: Logger;
  clock: Clock;
  session(accountId: string): Promise<AccountSession>;
  feed(session: AccountSession): MarketFeed;
  /** Called when the bot's kernel broke an invariant; the supervisor restarts it after a pause. */
  onFault(botId: string, error: Error): void;
  /** The exchange refused the account's keys while the bot ran (see authenticationFailure); the bot has stopped. */
  onAccountRefused?(botId: string, accountId: string, error: Error): void;
  /** fillRecoveryMs applies with persistence only (default a minute). */
  timing: { reconcileMs: number; kpiFlushMs: number; fillRecoveryMs?: number };
  /** Ticks every bot of the process with one timer and one time (see BotTicker). */
  ticker: BotTicker;
  /** When set, each bot run writes its audit trail (every order request, ack, fill, cancel, reference change). */
  auditTrail?: AuditTrailFactory | undefined;
}

export class BotConfigInvalidError extends Error {
  override name = "BotConfigInvalidError";
}

export class BotRuntime {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly cleanups: (() => void)[] = [];
  private disposed = false;
  /** One recovery run at a time: a slow exchange must not stack them up. */
  private recoveringFills = false;
  private settling = false;

  private constructor(
    readonly botId: string,
    readonly symbol: string,
    private readonly bot: Bot,
    private readonly sink: RuntimeSink,
    private readonly session: AccountSession,
    private readonly recovery: FillRecovery | undefined,
    private readonly deps: RuntimeDeps,
    private configVersionId: string | null,
    private desiredState: "RUNNING" | "PAUSED" | "STOPPED",
    /** The band of the config in force, for the market recorder. */
    private band: BotConfig["band"],
  ) {}

  /** Runs the bot of a database row. */
  static async start(botId: string, deps: RuntimeDeps): Promise<BotRuntime> {
    if (!deps.persistence) throw new Error("a bot from the database needs the database");
    const row = await deps.persistence.prisma.bot.findUniqueOrThrow({ where: { id: botId }, include: { currentConfigVersion: true } });
    return BotRuntime.launch(
      {
        id: row.id,
        exchangeAccountId: row.exchangeAccountId,
        symbol: row.symbol,
        config: parseConfig(row.currentConfigVersion?.config),
        configVersionId: row.currentConfigVersionId,
        desiredState: row.desiredState,
      },
      deps,
    );
  }

  static async launch(row: BotSpec, deps: RuntimeDeps): Promise<BotRuntime> {
    const session = await deps.session(row.exchangeAccountId);
    // Market data starts flowing while the symbol's rules and open orders are fetched, and the feed seeds the
    // symbol (REST recent trades and the depth snapshot) meanwhile: the bot gets all of it before it starts, so it
    // quotes as soon as it has reconciled instead of waiting for the next print.
    const relay = new MarketRelay();
    const unwatch = deps.feed(session).watch(row.symbol, relay, { seedTrades: row.config.reference.trades });
    try {
      return await BotRuntime.build(row, deps, session, relay, unwatch);
    } catch (error) {
      unwatch();
      throw error;
    }
  }

  private static async build(row: BotSpec, deps: RuntimeDeps, session: AccountSession, relay: MarketRelay, unwatch: () => void): Promise<BotRuntime> {
    const [info, open] = await Promise.all([
      session.client.rest.exchangeInfo({ symbol: row.symbol }),
      session.openOrders(row.symbol),
      // Bounded: a slow or failing seed delays nobody; the bot then starts from the stream alone.
      Promise.race([deps.feed(session).seeded(row.symbol), sleep(SEED_WAIT_MS)]),
    ]);
    const symbolInfo = info.symbols.find((s) => s.symbol === row.symbol);
    if (!symbolInfo) throw new BotConfigInvalidError(`symbol ${row.symbol} is not listed on the exchange`);
    const instrument = instrumentFromSymbol(symbolInfo);

    // The sink and the replies are built before the runtime they call back into.
    const self: { runtime?: BotRuntime } = {};
    const journalSink = deps.sink(row, { onEmergencyStop: (reason) => void self.runtime?.emergencyStop(reason) });
    const sink = deps.auditTrail
      ? new AuditedSink(journalSink, deps.auditTrail({ botId: row.id, symbol: row.symbol, config: row.config, startedAt: deps.clock.now() }))
      : journalSink;
    // Replies arrive asynchronously, after construction; each goes through the runtime's fault guard.
    const replies: ExecutionReplies = {
      onPlaceAcknowledged: (...args) => self.runtime?.guard(() => bot.onPlaceAcknowledged(...args)),
      onPlaceRejected: (...args) => self.runtime?.guard(() => bot.onPlaceRejected(...args)),
      onPlaceOutcomeUnknown: (...args) => self.runtime?.guard(() => bot.onPlaceOutcomeUnknown(...args)),
      onCancelAcknowledged: (...args) => self.runtime?.guard(() => bot.onCancelAcknowledged(...args)),
      onCancelRejected: (...args) => self.runtime?.guard(() => bot.onCancelRejected(...args)),
      onOrderStatus: (...args) => self.runtime?.guard(() => bot.onOrderStatus(...args)),
      onOrderTrades: (...args) => self.runtime?.guard(() => bot.onOrderTrades(...args)),
    };
    // Unique across restarts: a restarted bot never reuses a client order id, and recognises its earlier ones.
    const botPrefix = `bk${row.id.slice(-6)}`;
    const runPrefix = `${botPrefix}${Math.floor(deps.clock.now()).toString(36)}-`;
    const budget = session.budgetFor(row.id);
    let bot: Bot;
    try {
      bot = new Bot(
        { botId: row.id, symbol: row.symbol, clientOrderIdPrefix: botPrefix },
        {
          clock: deps.clock,
          ids: new SequentialIdGenerator(runPrefix),
          execution: session.executionFor(replies),
          balances: session.balancesFor(instrument.baseAsset, instrument.quoteAsset),
          budget,
          sink,
          views: deps.feed(session).views,
        },
        row.config,
        instrument,
      );
    } catch (error) {
      budget.leave();
      throw error;
    }
    const recovery =
      deps.persistence &&
      new FillRecovery({
      ...deps.persistence,
      session,
      bot: { id: row.id, exchangeAccountId: row.exchangeAccountId, symbol: row.symbol },
      clientOrderIdPrefix: botPrefix,
      runPrefix,
    });
    const runtime = new BotRuntime(row.id, row.symbol, bot, sink, session, recovery, deps, row.configVersionId, row.desiredState, row.config.band);
    runtime.cleanups.push(() => budget.leave());
    self.runtime = runtime;
    runtime.begin(open, relay, unwatch);
    if (row.configVersionId) deps.persistence?.journal.recordConfigApplied(row.configVersionId, new Date(deps.clock.now()));
    return runtime;
  }

  /**
   * Hands the bot the market data gathered so far (the seed and what the streams delivered since), then reconciles
   * with the exchange's open orders and starts it: its first decision sees the whole seed, and from then on every
   * event.
   */
  private begin(open: readonly ExchangeOpenOrder[], relay: MarketRelay, unwatch: () => void): void {
    const { deps, bot, session } = this;
    this.cleanups.push(unwatch, session.register(this.symbol, bot));
    let latestTop: BookTop | undefined;
    relay.attach({
      onTrade: (trade) => this.guard(() => bot.onTrade(trade)),
      onBookTop: (top) => {
        latestTop = top;
        this.guard(() => bot.onBookTop(top));
      },
      onBookDepth: (depth) => this.guard(() => bot.onBookDepth(depth)),
      onFeedStatus: (status) => this.guard(() => bot.onFeedStatus(status)),
    });
    this.guard(() => bot.start(open));
    if (this.desiredState === "PAUSED") this.guard(() => bot.pause("paused by an operator"));
    this.cleanups.push(deps.ticker.add((now) => this.guard(() => bot.tick(now))));
    this.every(deps.timing.kpiFlushMs, () => {
      this.sink.kpis(bot.takeKpis());
      this.sink.market?.({ top: latestTop, orders: bot.workingOrders(), band: this.band }, deps.clock.now());
      deps.metrics?.setKpiFlags(this.botId, this.symbol, bot.kpiFlags());
    });
    this.every(deps.timing.reconcileMs, () => {
      session.openOrders(this.symbol).then(
        (orders) => this.guard(() => bot.reconcile(orders)),
        (error: unknown) => {
          const refused = authenticationFailure(error);
          if (!refused || !deps.onAccountRefused) return deps.logger.warn("reconciliation failed", { bot: this.botId, error });
          // Its orders cannot be managed (nor cancelled) with refused keys: stop driving them until the keys work.
          this.dispose();
          deps.onAccountRefused(this.botId, this.session.accountId, refused);
        },
      );
    });
    // Fills made while no engine listened are journaled at once; earlier runs' orders are settled once the
    // start-up cancels have had a reconciliation round to land, and again with every fill recovery round until
    // none is left open (a query the exchange refused, during a 429's Retry-After, is asked again later).
    const recovery = this.recovery;
    if (!recovery) return;
    this.recoverFills(recovery);
    this.every(deps.timing.fillRecoveryMs ?? 60_000, () => {
      this.recoverFills(recovery);
      this.settlePreviousOrders(recovery);
    });
    this.timers.push(setTimeout(() => this.settlePreviousOrders(recovery), deps.timing.reconcileMs));
  }

  private settlePreviousOrders(recovery: FillRecovery): void {
    if (this.disposed || this.settling) return;
    this.settling = true;
    recovery
      .settlePreviousOrders()
      .then(
        (settled) => settled > 0 && this.deps.logger.info("earlier orders settled", { bot: this.botId, settled }),
        (error: unknown) => this.deps.logger.warn("settling earlier orders failed", { bot: this.botId, error }),
      )
      .finally(() => (this.settling = false));
  }

  private recoverFills(recovery: FillRecovery): void {
    if (this.disposed || this.recoveringFills) return;
    this.recoveringFills = true;
    recovery
      .recoverFills()
      .then(
        (found) => found > 0 && this.deps.logger.info("fills recovered from the exchange", { bot: this.botId, found }),
        (error: unknown) => this.deps.logger.warn("fill recovery failed", { bot: this.botId, error }),
      )
      .finally(() => (this.recoveringFills = false));
  }

  /** Re-reads the bot's row: applies a new config version, pause or resume. STOPPED is the supervisor's to handle. */
  async sync(): Promise<void> {
    const persistence = this.deps.persistence;
    if (!persistence) return;
    const row = await persistence.prisma.bot.findUnique({ where: { id: this.botId }, include: { currentConfigVersion: true } });
    if (!row || this.disposed) return;
    if (row.currentConfigVersionId !== this.configVersionId && row.currentConfigVersion) {
      const parsed = parseBotConfig(row.currentConfigVersion.config);
      if (parsed.ok) {
        this.guard(() => this.bot.applyConfig(parsed.config));
        this.band = parsed.config.band;
        persistence.journal.recordConfigApplied(row.currentConfigVersion.id, new Date(this.deps.clock.now()));
        this.deps.logger.info("config applied", { bot: this.botId, version: row.currentConfigVersion.version });
      } else {
        this.sink.event("config_rejected", this.deps.clock.now(), parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; "));
      }
      this.configVersionId = row.currentConfigVersionId;
    }
    if (row.desiredState !== this.desiredState) {
      if (row.desiredState === "PAUSED") this.guard(() => this.bot.pause("paused by an operator"));
      if (row.desiredState === "RUNNING") this.guard(() => this.bot.resume());
      this.desiredState = row.desiredState;
    }
  }

  get wantsToStop(): boolean {
    return this.desiredState === "STOPPED";
  }

  /** The operator wants the bot quoting (not paused, not stopped): its downtime counts as running time. */
  get wantsToRun(): boolean {
    return this.desiredState === "RUNNING";
  }

  /**
   * Cancels the bot's orders and waits for the exchange to confirm (bounded), then releases everything. Unconfirmed
   * cancels end in one cancel of everything open on the symbol, unless `cancelAllOnTimeout` is false: a run whose
   * lease may be another engine's by then must touch only its own orders.
   */
  async stop(reason: string, options: { timeoutMs?: number; cancelAllOnTimeout?: boolean } = {}): Promise<void> {
    if (this.disposed) return;
    let done = false;
    const stopped = new Promise<void>((resolve) => this.bot.onStopped(resolve)).then(() => (done = true));
    const startedAt = Date.now();
    const timeoutMs = options.timeoutMs ?? 5_000;
    this.guard(() => this.bot.stop(reason));
    // While the exchange refuses every request (a 429/418 until its Retry-After) the cancels wait, and so does the
    // stop, up to a bound: orders left resting with nobody watching them are worse than a slow stop.
    const deadline = () => Math.min(startedAt + MAX_STOP_WAIT_MS, Math.max(startedAt + timeoutMs, (this.session.client.backoffUntil() ?? 0) + timeoutMs));
    for (let logged = false; !done && Date.now() < deadline(); ) {
      if (!logged && deadline() > startedAt + timeoutMs) {
        logged = true;
        this.deps.logger.warn("the exchange refuses requests; the stop waits for its Retry-After to cancel", { bot: this.botId, until: new Date(deadline() - timeoutMs).toISOString() });
      }
      await Promise.race([stopped, sleep(Math.min(250, deadline() - Date.now()))]);
    }
    const timedOut = !done;
    if (timedOut && options.cancelAllOnTimeout === false) {
      this.deps.logger.warn("stop timed out; the exchange has not confirmed every cancel", { bot: this.botId });
    } else if (timedOut) {
      // The exchange did not confirm every cancel in time: cancel whatever is open on the symbol in one call.
      this.deps.logger.warn("stop timed out; cancelling all open orders on the symbol", { bot: this.botId });
      await this.session.cancelEverything([this.symbol]).catch((error: unknown) => this.deps.logger.error("cancel all failed", { bot: this.botId, error }));
    }
    this.sink.kpis(this.bot.takeKpis());
    const closing = this.closeAuditTrail();
    this.dispose();
    await closing;
  }

  /** Risk's last resort: everything on the account's symbol is cancelled and the bot is marked stopped. */
  private async emergencyStop(reason: string): Promise<void> {
    this.deps.logger.error("emergency stop", { bot: this.botId, reason });
    await this.session.cancelEverything([this.symbol]).catch((error: unknown) => this.deps.logger.error("emergency cancel failed", { bot: this.botId, error }));
    this.desiredState = "STOPPED";
    await this.deps.persistence?.prisma.bot.update({ where: { id: this.botId }, data: { desiredState: "STOPPED" } });
  }

  /** Drops timers and subscriptions without touching the exchange (lease lost, fault). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    void this.closeAuditTrail();
  }

  private auditClosed: Promise<void> | undefined;

  /** Ends the audit trail (once) where the KPI time ends. */
  private closeAuditTrail(): Promise<void> {
    if (!(this.sink instanceof AuditedSink)) return Promise.resolve();
    this.auditClosed ??= this.sink
      .close(this.deps.clock.now())
      .catch((error: unknown) => this.deps.logger.error("audit trail not written", { bot: this.botId, error }));
    return this.auditClosed;
  }

  private every(ms: number, run: () => void): void {
    this.timers.push(setInterval(run, ms));
  }

  /** A broken invariant in the kernel faults the bot; the supervisor restarts it and start-up reconciles. */
  guard(run: () => void): void {
    if (this.disposed) return;
    try {
      run();
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.deps.persistence?.journal.recordState({ botId: this.botId, actualState: "FAULTED", stateReason: failure.message, at: new Date(this.deps.clock.now()) });
      // The KPI time up to the fault still counts (an episode open now ends with the kernel); a kernel too broken
      // to say leaves the gap to the supervisor's downtime record.
      try {
        this.sink.kpis(this.bot.takeKpis({ final: true }));
      } catch {
        // nothing more to learn from this kernel
      }
      this.dispose();
      this.deps.onFault(this.botId, failure);
    }
  }
}

/** The longest a stop waits for the exchange to accept its cancels again (a 429's Retry-After is at most a minute). */
const MAX_STOP_WAIT_MS = 65_000;

/** How long start-up waits for the symbol's seed (recent trades, first book) before starting without it. */
const SEED_WAIT_MS = 3_000;

function parseConfig(raw: unknown): BotConfig {
  const parsed = parseBotConfig(raw ?? {});
  if (!parsed.ok) throw new BotConfigInvalidError(`invalid config: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  return parsed.config;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
