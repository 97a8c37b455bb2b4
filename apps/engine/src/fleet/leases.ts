// Bot leases: an engine runs a bot only while it holds the bot's lease in Postgres, so two engines never run the
// same bot, and a dead engine's bots are taken over once its leases expire. All times are the database's clock,
// so engines on hosts with skewed clocks still agree.
import type { PrismaClient } from "@bandkeeper/db/client";
import type { JournalStats } from "../persistence/journal";

export interface LeaseOptions {
  /** How long a lease lasts without renewal; an engine renews every tick, well inside this. */
  ttlMs: number;
  /** The journal's health, written with each heartbeat: an engine that cannot write its journal is not healthy. */
  journal?: (() => JournalStats) | undefined;
}

export interface LeaseTick {
  /** Bots this engine holds after the tick (including newly acquired ones). */
  held: Set<string>;
  acquired: string[];
  /** Leases this engine believed it held but no longer does (expired and taken over): stop those bots at once. */
  lost: string[];
  /** Bots to hand back so engines share the work evenly: stop them, then call `release`. */
  surplus: string[];
}

export class BotLeases {
  private held = new Set<string>();

  private constructor(
    private readonly prisma: PrismaClient,
    readonly engineId: string,
    private readonly options: LeaseOptions,
  ) {}

  static async register(
    prisma: PrismaClient,
    identity: { host: string; pid: number; version?: string },
    options: LeaseOptions,
  ): Promise<BotLeases> {
    const engine = await prisma.engineInstance.create({ data: identity });
    return new BotLeases(prisma, engine.id, options);
  }

  /** Heartbeat, renew what we hold, and claim unowned or expired bots up to an even share. */
  async tick(): Promise<LeaseTick> {
    const ttl = `${this.options.ttlMs} milliseconds`;
    await this.heartbeat();

    const renewed = await this.prisma.$queryRaw<{ botId: string }[]>`
      UPDATE "BotLease" SET "heartbeatAt" = now(), "expiresAt" = now() + ${ttl}::interval
      WHERE "engineInstanceId" = ${this.engineId}
      RETURNING "botId"`;
    const renewedIds = new Set(renewed.map((row) => row.botId));
    const lost = [...this.held].filter((botId) => !renewedIds.has(botId));

    const [{ engines, bots } = { engines: 1, bots: 0 }] = await this.prisma.$queryRaw<{ engines: number; bots: number }[]>`
      SELECT
        (SELECT count(*)::int FROM "EngineInstance"
          WHERE "stoppedAt" IS NULL AND "heartbeatAt" > now() - ${ttl}::interval) AS engines,
        (SELECT count(*)::int FROM "Bot" WHERE "desiredState" <> 'STOPPED') AS bots`;
    const share = Math.ceil(bots / Math.max(engines, 1));

    let acquired: string[] = [];
    const wanted = share - renewedIds.size;
    if (wanted > 0) {
      // A concurrent claim of the same bot waits on the row lock, then sees an unexpired lease and skips it.
      const rows = await this.prisma.$queryRaw<{ botId: string }[]>`
        INSERT INTO "BotLease" (id, "botId", "engineInstanceId", "acquiredAt", "heartbeatAt", "expiresAt")
        SELECT gen_random_uuid()::text, b.id, ${this.engineId}, now(), now(), now() + ${ttl}::interval
        FROM "Bot" b LEFT JOIN "BotLease" l ON l."botId" = b.id
        WHERE b."desiredState" <> 'STOPPED' AND (l.id IS NULL OR l."expiresAt" < now())
        ORDER BY b."createdAt", b.id
        LIMIT ${wanted}
        ON CONFLICT ("botId") DO UPDATE
          SET "engineInstanceId" = EXCLUDED."engineInstanceId", "acquiredAt" = now(), "heartbeatAt" = now(),
              "expiresAt" = EXCLUDED."expiresAt"
          WHERE "BotLease"."expiresAt" < now()
        RETURNING "botId"`;
      acquired = rows.map((row) => row.botId);
    }

    this.held = new Set([...renewedIds, ...acquired]);
    const excess = engines > 1 ? this.held.size - share : 0;
    const surplus = excess > 0 ? [...this.held].slice(-excess) : [];
    return { held: new Set(this.held), acquired, lost, surplus };
  }

  /**
   * The engine's heartbeat with its journal's health. The journal's times travel as ages, so the row holds them on
   * the database's clock like the heartbeat itself.
   */
  private async heartbeat(): Promise<void> {
    const journal = this.options.journal?.();
    if (!journal) {
      await this.prisma.$executeRaw`UPDATE "EngineInstance" SET "heartbeatAt" = now() WHERE id = ${this.engineId}`;
      return;
    }
    const now = Date.now();
    const caughtUpAgoMs = Math.max(0, now - journal.caughtUpAt.getTime());
    const errorAgoMs = journal.lastErrorAt === undefined ? null : Math.max(0, now - journal.lastErrorAt.getTime());
    await this.prisma.$executeRaw`
      UPDATE "EngineInstance" SET "heartbeatAt" = now(), "journalPending" = ${journal.pending},
        "journalCaughtUpAt" = now() - make_interval(secs => ${caughtUpAgoMs / 1_000}::float8),
        "journalLastError" = ${journal.lastError ?? null},
        "journalLastErrorAt" = now() - make_interval(secs => ${errorAgoMs === null ? null : errorAgoMs / 1_000}::float8),
        "journalSetAside" = ${journal.setAside}
      WHERE id = ${this.engineId}`;
  }

  /** Hands a bot back after it stopped (its orders cancelled), so another engine may take it at once. */
  /** Whether this engine holds the bot's lease now (as of its last tick or release). */
  holds(botId: string): boolean {
    return this.held.has(botId);
  }

  async release(botId: string): Promise<void> {
    await this.prisma.botLease.deleteMany({ where: { botId, engineInstanceId: this.engineId } });
    this.held.delete(botId);
  }

  /** Marks this engine stopped and drops its leases; called after every bot has stopped. */
  async shutdown(): Promise<void> {
    await this.prisma.botLease.deleteMany({ where: { engineInstanceId: this.engineId } });
    await this.prisma.engineInstance.update({ where: { id: this.engineId }, data: { stoppedAt: new Date() } });
    this.held.clear();
  }
}
