// The engine's fleet: claims bots through leases, runs one BotRuntime per leased bot, applies approved changes
// live (LISTEN/NOTIFY, with the lease tick as the backstop), restarts faulted bots, and stops everything cleanly.
import { hostname } from "node:os";
import { signingCredentials } from "@bandkeeper/binance";
import { downtimeBuckets, type Clock } from "@bandkeeper/core";
import { decryptSecret } from "@bandkeeper/db/crypto";
import type { PrismaClient } from "@bandkeeper/db/client";
import { BOT_CHANGES_CHANNEL, parseBotChangeNotice } from "@bandkeeper/db/notify";
import pg from "pg";
import type { AccountSession } from "../exchange/account-session";
import { authenticationFailure, ExchangeConnections } from "../exchange/connections";
import type { AuditTrailFactory } from "../audit/audit-trail";
import { probeCheck, type ReadinessCheck } from "../observability/http";
import type { Logger } from "../observability/log";
import type { EngineMetrics } from "../observability/metrics";
import { EngineJournal } from "../persistence/journal";
import { JournalSink, recordKpiBuckets } from "../persistence/journal-sink";
import { MarketHistory, MarketHistoryKeeper } from "../persistence/market-history";
import { DEFAULT_MARKET_RECORDING, type MarketRecording } from "../persistence/market-recorder";
import type { MarketTapes } from "../persistence/market-tapes";
import { AuthBackoff } from "./auth-backoff";
import { BotRuntime } from "./bot-runtime";
import { BotLeases } from "./leases";
import { BotTicker } from "./ticker";

export interface SupervisorOptions {
  prisma: PrismaClient;
  databaseUrl: string;
  encryptionKey: Buffer;
  /** Where SIMULATOR accounts without a base URL of their own connect. */
  defaultSimulatorUrl: string;
  clock: Clock;
  logger: Logger;
  metrics: EngineMetrics;
  /** Each bot run's audit trail, when set (e.g. fileAuditTrails(dir)). */
  auditTrail?: AuditTrailFactory | undefined;
  timing?: Partial<SupervisorTiming>;
  /** The market recorder's cadence and retention (defaults: DEFAULT_MARKET_RECORDING). */
  marketRecording?: Partial<MarketRecording>;
  /** Where the raw market streams are recorded for replay; the owner closes it after stop(). */
  marketTapes?: MarketTapes | undefined;
}

export interface SupervisorTiming {
  leaseTtlMs: number;
  leaseTickMs: number;
  journalFlushMs: number;
  tickMs: number;
  reconcileMs: number;
  kpiFlushMs: number;
  /** How often each bot compares its journaled fills with the exchange's trade list (after start-up's round). */
  fillRecoveryMs: number;
  restartDelayMs: number;
  /**
   * A bot whose account fails authentication (revoked or wrong keys) retries after restartDelayMs, doubling with
   * each failure up to this.
   */
  authRetryMaxMs: number;
}

/** What a stop could not hand to the database (it went away first); the next start repairs it from the exchange. */
export interface StopReport {
  /** Journal records (order states, fills, events, KPIs) that were not written. */
  unwrittenRecords: number;
  /** Why the database could not be written, when it could not. */
  databaseError: string | undefined;
}

/** How often the engine checks that its leases are still confirmed (at most a tenth of the TTL). */
const FENCE_CHECK_MS = 200;

const DEFAULT_TIMING: SupervisorTiming = {
  leaseTtlMs: 6_000,
  leaseTickMs: 1_000,
  journalFlushMs: 250,
  tickMs: 100,
  reconcileMs: 5_000,
  kpiFlushMs: 1_000,
  fillRecoveryMs: 60_000,
  restartDelayMs: 2_000,
  authRetryMaxMs: 5 * 60_000,
};

export class Supervisor {
  private readonly timing: SupervisorTiming;
  private readonly journal: EngineJournal;
  private readonly marketRecording: MarketRecording;
  private readonly marketHistory: MarketHistoryKeeper;
  private readonly runtimes = new Map<string, BotRuntime>();
  private readonly starting = new Map<string, Promise<void>>();
  /** Runs being stopped outside a lease round (fenced): a bot is not started again before its old run is done. */
  private readonly stopping = new Map<string, Promise<void>>();
  private readonly connections: ExchangeConnections;
  private readonly ticker: BotTicker;
  private readonly restartAfter = new Map<string, number>();
  /** Since when each faulted bot has had no kernel: the gap counts as running time once it is back (docs/kpis.md). */
  private readonly downSince = new Map<string, number>();
  private readonly authBackoff: AuthBackoff;
  private leases: BotLeases | undefined;
  private listener: pg.Client | undefined;
  private timers: NodeJS.Timeout[] = [];
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: SupervisorOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.ticker = new BotTicker(options.clock, this.timing.tickMs);
    this.journal = new EngineJournal(options.prisma, { logger: options.logger });
    this.marketRecording = { ...DEFAULT_MARKET_RECORDING, ...options.marketRecording };
    this.marketHistory = new MarketHistoryKeeper(new MarketHistory(options.prisma, this.marketRecording), {
      everyMs: this.marketRecording.maintenanceMs,
      now: () => options.clock.now(),
      logger: options.logger,
    });
    this.connections = new ExchangeConnections(options);
    this.authBackoff = new AuthBackoff({
      journal: this.journal,
      logger: options.logger,
      firstDelayMs: this.timing.restartDelayMs,
      maxDelayMs: this.timing.authRetryMaxMs,
      // The same clock as the other restart times it is compared with.
      now: () => Date.now(),
    });
  }

  get engineId(): string | undefined {
    return this.leases?.engineId;
  }

  /**
   * What /readyz reports: the database answers a query now; the leases were renewed recently enough to be sure
   * of them (leases.ts `confirmed`; before the first round, not yet); every venue's market stream carries frames.
   */
  async readiness(): Promise<Record<string, ReadinessCheck>> {
    const leases = this.leases;
    const renewedAt = leases?.lastRenewedAt;
    const leaseCheck: ReadinessCheck =
      leases === undefined || renewedAt === undefined
        ? { ok: false, detail: "no lease round has succeeded yet" }
        : leases.confirmed()
          ? { ok: true, detail: `renewed ${Math.round((Date.now() - renewedAt) / 100) / 10} s ago` }
          : { ok: false, detail: `not renewed since ${new Date(renewedAt).toISOString()}` };
    return {
      database: await probeCheck(() => this.options.prisma.$queryRaw`SELECT 1`),
      leases: leaseCheck,
      marketData: this.connections.marketReadiness(),
    };
  }

  async start(): Promise<void> {
    const { prisma, logger } = this.options;
    this.leases = await BotLeases.register(prisma, { host: hostname(), pid: process.pid }, {
      ttlMs: this.timing.leaseTtlMs,
      journal: () => this.journal.getStats(),
    });
    logger.info("engine registered", { engine: this.leases.engineId });
    this.timers.push(
      setInterval(() => void this.tick(), this.timing.leaseTickMs),
      setInterval(() => void this.flushJournal(), this.timing.journalFlushMs),
      setInterval(() => this.fenceIfUnconfirmed(), Math.min(FENCE_CHECK_MS, this.timing.leaseTtlMs / 10)),
    );
    this.marketHistory.start();
    // Claiming bots does not wait for the notification connection: the lease tick re-reads every bot anyway.
    await Promise.all([this.listen(), this.tick()]);
  }

  /**
   * Stops every bot (cancelling its orders on the exchange: that needs no database), flushes the journal, hands back
   * the leases. A database that is gone by then costs the records and the leases (which expire), never the cancels,
   * and does not throw: the report says what was not written.
   */
  async stop(): Promise<StopReport> {
    if (this.stopped) return { unwrittenRecords: 0, databaseError: undefined };
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.marketHistory.stop();
    await this.ticking;
    await Promise.allSettled(this.starting.values());
    await Promise.allSettled(this.stopping.values());
    // A stop may wait out the exchange's Retry-After to cancel; the bots keep their leases meanwhile, so no other
    // engine starts one beside this engine's last cancels.
    const renewing = setInterval(() => void this.leases?.renew().catch(() => undefined), this.timing.leaseTickMs);
    try {
      await Promise.all([...this.runtimes.values()].map((runtime) => runtime.stop("engine shutting down")));
    } finally {
      clearInterval(renewing);
    }
    this.runtimes.clear();
    let databaseError: string | undefined;
    // The bots' last records (cancels, STOPPED); a failed flush keeps them, so try a few times.
    for (let attempt = 0; attempt < 3 && this.journal.pending > 0; attempt += 1) {
      databaseError = await this.journal.flush().then(() => undefined, errorMessage);
    }
    if (databaseError === undefined) databaseError = await this.leases?.shutdown().then(() => undefined, errorMessage);
    await this.listener?.end().catch(() => undefined);
    this.ticker.stop();
    await this.connections.close();
    return { unwrittenRecords: this.journal.pending, databaseError };
  }

  /** One lease round: renew, claim, hand back surplus, drop lost bots, start new ones, sync the rest. */
  tick(): Promise<void> {
    this.ticking ??= this.runTick().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async runTick(): Promise<void> {
    if (this.stopped || !this.leases) return;
    const { logger } = this.options;
    try {
      const round = await this.leases.tick();
      for (const botId of round.lost) {
        logger.warn("lease lost; another engine runs this bot now", { bot: botId });
        this.runtimes.get(botId)?.dispose();
        this.runtimes.delete(botId);
        this.options.metrics.forgetBot(botId);
      }
      // Every run has its lease: one that does not (however it came about) is another engine's bot now.
      for (const [botId, runtime] of this.runtimes) {
        if (round.held.has(botId)) continue;
        logger.error("a bot ran without its lease; leaving it to the engine that holds it", { bot: botId });
        runtime.dispose();
        this.runtimes.delete(botId);
        this.options.metrics.forgetBot(botId);
      }
      for (const botId of round.surplus) await this.handBack(botId, "handing the bot to another engine");
      for (const botId of round.held) {
        if (round.surplus.includes(botId)) continue;
        const runtime = this.runtimes.get(botId);
        if (runtime) await this.syncRuntime(runtime);
        else if (!this.starting.has(botId) && !this.stopping.has(botId) && (this.restartAfter.get(botId) ?? 0) <= Date.now()) this.launch(botId);
      }
    } catch (error) {
      logger.error("lease round failed", { error });
    }
  }

  private async syncRuntime(runtime: BotRuntime): Promise<void> {
    await runtime.sync();
    if (runtime.wantsToStop) await this.handBack(runtime.botId, "stopped by an operator");
  }

  private async handBack(botId: string, reason: string): Promise<void> {
    // A bot still starting is not waited for (the lease round must go on): its start sees the lease gone and stops.
    const runtime = this.runtimes.get(botId);
    this.runtimes.delete(botId);
    await runtime?.stop(reason);
    // Another engine reports it from now on.
    this.options.metrics.forgetBot(botId);
    await this.leases?.release(botId);
  }

  private launch(botId: string): void {
    const { logger } = this.options;
    // The bot's account, learnt from its row as it starts: bandkeeper_bot_info names it.
    let accountId: string | undefined;
    const started = BotRuntime.start(botId, {
      persistence: { prisma: this.options.prisma, journal: this.journal },
      sink: (bot, hooks) => {
        accountId = bot.exchangeAccountId;
        return new JournalSink({
          bot,
          journal: this.journal,
          metrics: this.options.metrics,
          onEmergencyStop: hooks.onEmergencyStop,
          marketSampleEveryMs: this.marketRecording.sampleEveryMs,
        });
      },
      metrics: this.options.metrics,
      logger,
      clock: this.options.clock,
      session: (accountId) => this.session(accountId),
      feed: (session) => this.connections.feed(session),
      onFault: (id, error) => {
        logger.error("bot faulted; restarting after a pause", { bot: id, error });
        if (this.runtimes.get(id)?.wantsToRun) this.markDown(id);
        this.runtimes.delete(id);
        this.restartAfter.set(id, Date.now() + this.timing.restartDelayMs);
      },
      onAccountRefused: (id, accountId, error) => {
        if (this.runtimes.get(id)?.wantsToRun) this.markDown(id);
        this.runtimes.delete(id);
        this.restartAfter.set(id, this.authBackoff.failed(id, error));
        void this.connections.closeSession(accountId).catch((closeError: unknown) => logger.warn("closing a refused session failed", { error: closeError }));
      },
      timing: this.timing,
      ticker: this.ticker,
      auditTrail: this.options.auditTrail,
    }).then(
      async (runtime) => {
        if (this.stopped || !this.leases) {
          await runtime.stop("engine shutting down");
          return;
        }
        // The lease went while the bot was starting (handed back as surplus, lost, or no longer confirmed): another
        // engine may run it now, so this run must not begin; two runs would cancel each other's orders.
        if (!this.leases.holds(botId)) {
          logger.warn("lease gone or unconfirmed while the bot started; stopping it here", { bot: botId });
          // Only its own orders: the engine that holds the lease now may be quoting the symbol already.
          await runtime.stop("lease gone or unconfirmed while starting", { cancelAllOnTimeout: false });
          return;
        }
        this.runtimes.set(botId, runtime);
        this.markUp(botId, runtime);
        const account = (accountId === undefined ? undefined : this.connections.accountName(accountId)) ?? accountId ?? "";
        this.options.metrics.botStarted({ bot: botId, name: `${account}/${runtime.symbol}`, account, symbol: runtime.symbol });
        logger.info("bot started", { bot: botId, symbol: runtime.symbol });
        this.authBackoff.recovered(botId);
        if (runtime.wantsToStop) await this.handBack(botId, "stopped by an operator");
      },
      (error: unknown) => {
        const authFailure = authenticationFailure(error);
        if (authFailure) {
          this.restartAfter.set(botId, this.authBackoff.failed(botId, authFailure));
          return;
        }
        logger.error("bot failed to start", { bot: botId, error });
        this.journal.recordState({ botId, actualState: "FAULTED", stateReason: errorMessage(error), at: new Date() });
        this.restartAfter.set(botId, Date.now() + this.timing.restartDelayMs);
      },
    );
    this.starting.set(botId, started.finally(() => this.starting.delete(botId)));
  }

  /**
   * Two engines must never run one bot. Once the database has not confirmed this engine's leases for nearly a TTL,
   * another engine may be about to take them over (leases.ts), so every bot stops here first: its orders are
   * cancelled (the exchange needs no database) and it quotes nothing until a lease round renews it, when it starts
   * again and reconciles. The time between counts as downtime. A shorter outage stops nothing.
   */
  private fenceIfUnconfirmed(): void {
    const leases = this.leases;
    if (this.stopped || !leases || this.runtimes.size === 0 || leases.confirmed()) return;
    const renewedAt = leases.lastRenewedAt;
    const since = renewedAt === undefined ? "never" : new Date(renewedAt).toISOString();
    this.options.logger.warn("leases unconfirmed: the database has not answered; stopping every bot until it does", { bots: [...this.runtimes.keys()], lastRenewal: since });
    for (const [botId, runtime] of this.runtimes) {
      this.runtimes.delete(botId);
      if (runtime.wantsToRun) this.markDown(botId);
      const stopped = runtime
        .stop(`lease unconfirmed since ${since.slice(11, 19)} UTC: the database does not answer`, { cancelAllOnTimeout: false })
        .catch((error: unknown) => this.options.logger.error("stopping a fenced bot failed", { bot: botId, error }))
        .finally(() => this.stopping.delete(botId));
      this.stopping.set(botId, stopped);
    }
  }

  private markDown(botId: string): void {
    if (!this.downSince.has(botId)) this.downSince.set(botId, this.options.clock.now());
  }

  /** The bot runs again: its time without a kernel is journaled as running, nothing compliant, one breach episode. */
  private markUp(botId: string, runtime: BotRuntime): void {
    const since = this.downSince.get(botId);
    if (since === undefined) return;
    this.downSince.delete(botId);
    if (runtime.wantsToRun) recordKpiBuckets(this.journal, botId, downtimeBuckets(botId, since, this.options.clock.now()));
  }

  private session(accountId: string): Promise<AccountSession> {
    return this.connections.session(accountId, async () => {
      const { prisma, encryptionKey } = this.options;
      const account = await prisma.exchangeAccount.findUniqueOrThrow({ where: { id: accountId } });
      if (account.status !== "ACTIVE") throw new Error(`exchange account ${account.name} is disabled`);
      return {
        ...account,
        apiKey: decryptSecret(account.apiKeyCiphertext, encryptionKey),
        signing: signingCredentials(account.keyType, decryptSecret(account.apiSecretCiphertext, encryptionKey)),
      };
    });
  }

  private async flushJournal(): Promise<void> {
    try {
      await this.journal.flush();
    } catch (error) {
      this.options.logger.warn("journal flush failed; will retry", { error, pending: this.journal.pending });
    }
    this.options.metrics.recordJournal(this.journal.getStats());
  }

  /** Approved changes reach the engine at once through NOTIFY; the lease tick re-reads every bot as a backstop. */
  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on("notification", (message) => {
      const notice = parseBotChangeNotice(message.payload);
      const runtime = notice && this.runtimes.get(notice.botId);
      if (runtime) void this.syncRuntime(runtime).catch((error: unknown) => this.options.logger.error("sync failed", { error }));
      else if (notice) void this.tick();
    });
    client.on("error", (error) => this.options.logger.warn("notification connection failed", { error }));
    await client.connect();
    await client.query(`LISTEN ${BOT_CHANGES_CHANNEL}`);
    this.listener = client;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
