// Bot leases: an engine runs a bot only while it holds the bot's lease in Postgres, so two engines never run the
// same bot, and a dead engine's bots are taken over once its leases expire. Expiry is on the database's clock, so
// engines on hosts with skewed clocks still agree.
//
// A database that does not answer is not another engine holding the bot. Both rules below keep one run per bot
// through an outage while letting a bot quote through a short one:
// - The holder counts its lease as confirmed until a margin before it could have expired since the last renewal the
//   database confirmed (`confirmed`, on this host's clock from the round's start, so it errs early). Past that it
//   must stop its bots (the supervisor fences them): for all it knows the database is up for everyone else and
//   another engine is about to take the bots over. An outage shorter than that costs no quote.
// - An engine that has seen the database fail takes over an expired lease only once the database has answered it
//   for a whole TTL without a gap. After an outage every lease has expired, but every live holder renews within a
//   round of the database's return; without this wait the first engine back would take every bot from the others
//   (all their leases expired during the outage, all their heartbeats looked stale) and restart them. This wait is
//   about restarts, not safety: a holder whose lease expired had stopped its bots before it did. A freshly started
//   engine has seen no outage and takes over at once (a killed engine's bots need not wait for its successor).
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
  /** Local start time of the last round whose renewal the database confirmed. */
  private renewedAt: number | undefined;
  /**
   * Since when (local) every round has been answered with no gap longer than half a TTL: from the start (-Infinity)
   * until the first failure or gap, then from the first answer after it; undefined until that answer.
   */
  private answeringSince: number | undefined = Number.NEGATIVE_INFINITY;
  private lastAnswerAt: number | undefined;

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
    const { ttlMs } = this.options;
    const startedAt = Date.now();
    if (this.lastAnswerAt !== undefined && startedAt - this.lastAnswerAt > ttlMs / 2) this.answeringSince = undefined;
    // Asked just before the claim: a round that waited long for the database may be the first one after an outage.
    const mayTakeOver = () => this.answeringSince !== undefined && startedAt - this.answeringSince >= ttlMs && Date.now() - startedAt <= ttlMs / 4;
    try {
      const tick = await this.round(startedAt, mayTakeOver);
      const endedAt = Date.now();
      // A slow round may have waited out an outage: the database has answered promptly only since its end.
      this.answeringSince = endedAt - startedAt > ttlMs / 4 ? endedAt : (this.answeringSince ?? startedAt);
      this.lastAnswerAt = endedAt;
      return tick;
    } catch (error) {
      this.answeringSince = undefined;
      throw error;
    }
  }

  /**
   * Whether the leases held are still ours for sure: until `margin` before they could have expired unrenewed. The
   * margin covers the fence check's period and clocks running at slightly different rates.
   */
  confirmed(now = Date.now()): boolean {
    if (this.renewedAt === undefined) return false;
    const margin = Math.min(1_000, this.options.ttlMs / 4);
    return now < this.renewedAt + this.options.ttlMs - margin;
  }

  /** Heartbeat and renewal only, no claims: an engine still stopping its bots keeps them meanwhile. */
  async renew(): Promise<void> {
    const startedAt = Date.now();
    await this.heartbeat();
    await this.prisma.$executeRaw`
      UPDATE "BotLease" SET "heartbeatAt" = now(), "expiresAt" = now() + ${`${this.options.ttlMs} milliseconds`}::interval
      WHERE "engineInstanceId" = ${this.engineId}`;
    this.renewedAt = startedAt;
  }

  /** When the last renewal was confirmed (local epoch ms), for messages. */
  get lastRenewedAt(): number | undefined {
    return this.renewedAt;
  }

  private async round(startedAt: number, mayTakeOver: () => boolean): Promise<LeaseTick> {
    const ttl = `${this.options.ttlMs} milliseconds`;
    await this.heartbeat();

    const renewed = await this.prisma.$queryRaw<{ botId: string }[]>`
      UPDATE "BotLease" SET "heartbeatAt" = now(), "expiresAt" = now() + ${ttl}::interval
      WHERE "engineInstanceId" = ${this.engineId}
      RETURNING "botId"`;
    const renewedIds = new Set(renewed.map((row) => row.botId));
    this.renewedAt = startedAt;
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
      // A concurrent claim of the same bot waits on the row lock, then sees an unexpired lease and skips it. An
      // expired lease is taken over only by an engine the database has answered for a TTL (see the top), and not
      // within a TTL of the database's own start (its crash recovery), however the statement was delayed.
      const takeOver = mayTakeOver();
      const rows = await this.prisma.$queryRaw<{ botId: string }[]>`
        INSERT INTO "BotLease" (id, "botId", "engineInstanceId", "acquiredAt", "heartbeatAt", "expiresAt")
        SELECT gen_random_uuid()::text, b.id, ${this.engineId}, now(), now(), now() + ${ttl}::interval
        FROM "Bot" b LEFT JOIN "BotLease" l ON l."botId" = b.id
        WHERE b."desiredState" <> 'STOPPED' AND (l.id IS NULL OR (${takeOver}::boolean AND l."expiresAt" < now()
          AND pg_postmaster_start_time() < now() - ${ttl}::interval))
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

  /** Whether this engine may run the bot now: it held the lease at its last round (or release), confirmed. */
  holds(botId: string): boolean {
    return this.held.has(botId) && this.confirmed();
  }

  /**
   * Hands a bot back after it stopped (its orders cancelled), so another engine may take it at once. It stops
   * counting as held before the database is asked: a start finishing meanwhile must not run it.
   */
  async release(botId: string): Promise<void> {
    this.held.delete(botId);
    await this.prisma.botLease.deleteMany({ where: { botId, engineInstanceId: this.engineId } });
  }

  /** Marks this engine stopped and drops its leases; called after every bot has stopped. */
  async shutdown(): Promise<void> {
    await this.prisma.botLease.deleteMany({ where: { engineInstanceId: this.engineId } });
    await this.prisma.engineInstance.update({ where: { id: this.engineId }, data: { stoppedAt: new Date() } });
    this.held.clear();
  }
}
