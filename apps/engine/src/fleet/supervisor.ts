// The engine's fleet: claims bots through leases, runs one BotRuntime per leased bot, applies approved changes
// live (LISTEN/NOTIFY, with the lease tick as the backstop), restarts faulted bots, and stops everything cleanly.
import { hostname } from "node:os";
import type { Clock } from "@bandkeeper/core";
import { decryptSecret } from "@bandkeeper/db/crypto";
import type { PrismaClient } from "@bandkeeper/db/client";
import { BOT_CHANGES_CHANNEL, parseBotChangeNotice } from "@bandkeeper/db/notify";
import pg from "pg";
import type { AccountSession } from "../exchange/account-session";
import { ExchangeConnections } from "../exchange/connections";
import type { AuditTrailFactory } from "../audit/audit-trail";
import type { Logger } from "../observability/log";
import type { EngineMetrics } from "../observability/metrics";
import { EngineJournal } from "../persistence/journal";
import { JournalSink } from "../persistence/journal-sink";
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
}

const DEFAULT_TIMING: SupervisorTiming = {
  leaseTtlMs: 6_000,
  leaseTickMs: 1_000,
  journalFlushMs: 250,
  tickMs: 100,
  reconcileMs: 5_000,
  kpiFlushMs: 1_000,
  fillRecoveryMs: 60_000,
  restartDelayMs: 2_000,
};

export class Supervisor {
  private readonly timing: SupervisorTiming;
  private readonly journal: EngineJournal;
  private readonly runtimes = new Map<string, BotRuntime>();
  private readonly starting = new Map<string, Promise<void>>();
  private readonly connections: ExchangeConnections;
  private readonly ticker: BotTicker;
  private readonly restartAfter = new Map<string, number>();
  private leases: BotLeases | undefined;
  private listener: pg.Client | undefined;
  private timers: NodeJS.Timeout[] = [];
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: SupervisorOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.ticker = new BotTicker(options.clock, this.timing.tickMs);
    this.journal = new EngineJournal(options.prisma);
    this.connections = new ExchangeConnections(options);
  }

  get engineId(): string | undefined {
    return this.leases?.engineId;
  }

  async start(): Promise<void> {
    const { prisma, logger } = this.options;
    this.leases = await BotLeases.register(prisma, { host: hostname(), pid: process.pid }, { ttlMs: this.timing.leaseTtlMs });
    logger.info("engine registered", { engine: this.leases.engineId });
    this.timers.push(
      setInterval(() => void this.tick(), this.timing.leaseTickMs),
      setInterval(() => void this.flushJournal(), this.timing.journalFlushMs),
    );
    // Claiming bots does not wait for the notification connection: the lease tick re-reads every bot anyway.
    await Promise.all([this.listen(), this.tick()]);
  }

  /** Stops every bot (cancelling its orders), flushes the journal, hands back the leases. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.ticking;
    await Promise.allSettled(this.starting.values());
    await Promise.all([...this.runtimes.values()].map((runtime) => runtime.stop("engine shutting down")));
    this.runtimes.clear();
    // The bots' last records (cancels, STOPPED); a failed flush keeps them, so try a few times.
    for (let attempt = 0; attempt < 3 && this.journal.pending > 0; attempt += 1) await this.flushJournal();
    await this.leases?.shutdown();
    await this.listener?.end().catch(() => undefined);
    this.ticker.stop();
    await this.connections.close();
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
      }
      for (const botId of round.surplus) await this.handBack(botId, "handing the bot to another engine");
      for (const botId of round.held) {
        if (round.surplus.includes(botId)) continue;
        const runtime = this.runtimes.get(botId);
        if (runtime) await this.syncRuntime(runtime);
        else if (!this.starting.has(botId) && (this.restartAfter.get(botId) ?? 0) <= Date.now()) this.launch(botId);
      }
      await this.connections.reportRateLimits();
    } catch (error) {
      logger.error("lease round failed", { error });
    }
  }

  private async syncRuntime(runtime: BotRuntime): Promise<void> {
    await runtime.sync();
    if (runtime.wantsToStop) await this.handBack(runtime.botId, "stopped by an operator");
  }

  private async handBack(botId: string, reason: string): Promise<void> {
    const runtime = this.runtimes.get(botId);
    this.runtimes.delete(botId);
    await runtime?.stop(reason);
    await this.leases?.release(botId);
  }

  private launch(botId: string): void {
    const { logger } = this.options;
    const started = BotRuntime.start(botId, {
      persistence: { prisma: this.options.prisma, journal: this.journal },
      sink: (bot, hooks) =>
        new JournalSink({
          bot,
          journal: this.journal,
          metrics: this.options.metrics,
          onEmergencyStop: hooks.onEmergencyStop,
        }),
      metrics: this.options.metrics,
      logger,
      clock: this.options.clock,
      session: (accountId) => this.session(accountId),
      feed: (session) => this.connections.feed(session),
      onFault: (id, error) => {
        logger.error("bot faulted; restarting after a pause", { bot: id, error });
        this.runtimes.delete(id);
        this.restartAfter.set(id, Date.now() + this.timing.restartDelayMs);
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
        this.runtimes.set(botId, runtime);
        logger.info("bot started", { bot: botId, symbol: runtime.symbol });
        if (runtime.wantsToStop) await this.handBack(botId, "stopped by an operator");
      },
      (error: unknown) => {
        logger.error("bot failed to start", { bot: botId, error });
        this.journal.recordState({
          botId,
          actualState: "FAULTED",
          stateReason: error instanceof Error ? error.message : String(error),
          at: new Date(),
        });
        this.restartAfter.set(botId, Date.now() + this.timing.restartDelayMs);
      },
    );
    this.starting.set(botId, started.finally(() => this.starting.delete(botId)));
  }

  private session(accountId: string): Promise<AccountSession> {
    return this.connections.session(accountId, async () => {
      const { prisma, encryptionKey } = this.options;
      const account = await prisma.exchangeAccount.findUniqueOrThrow({ where: { id: accountId } });
      if (account.status !== "ACTIVE") throw new Error(`exchange account ${account.name} is disabled`);
      return {
        ...account,
        apiKey: decryptSecret(account.apiKeyCiphertext, encryptionKey),
        apiSecret: decryptSecret(account.apiSecretCiphertext, encryptionKey),
      };
    });
  }

  private async flushJournal(): Promise<void> {
    try {
      await this.journal.flush();
    } catch (error) {
      this.options.logger.warn("journal flush failed; will retry", { error, pending: this.journal.pending });
    }
    this.options.metrics.journalPending.set(this.journal.pending);
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
