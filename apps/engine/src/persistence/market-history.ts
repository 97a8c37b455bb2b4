// The market recorder's slow side: on a timer, each completed minute's last sample is rolled up into the minute
// tier (BotMarketMinute), then both tiers lose what is older than their retention. Every engine runs it; one at a
// time (an advisory lock), and rolling up a minute again only rewrites the same row.
import type { PrismaClient } from "@bandkeeper/db/client";
import type { Logger } from "../observability/log";
import type { MarketRecording } from "./market-recorder";

const MINUTE_MS = 60_000;
/**
 * Minutes rolled up again on each run: samples of a minute already rolled up may still land (a journal flush under
 * way, records kept through a database outage).
 */
const REROLL_MS = 5 * MINUTE_MS;
// pg_try_advisory_xact_lock's key: "market history" in the engines' own lock space.
const LOCK_KEY = 0x6d6b_7468;

export interface MaintenanceResult {
  /** Minute rows written (new or rewritten). */
  minutes: number;
  prunedSeconds: number;
  prunedMinutes: number;
}

export class MarketHistory {
  /** The end of the last roll-up: the next one starts a little before it. */
  private rolledUntil: number | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly settings: Pick<MarketRecording, "secondsRetentionMs" | "minutesRetentionMs">,
  ) {}

  /** Rolls up the minutes completed by `now` and prunes both tiers; undefined when another engine is at it. */
  async maintain(now: number): Promise<MaintenanceResult | undefined> {
    const until = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const result = await this.prisma.$transaction(async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`;
      if (!lock?.locked) return undefined;
      const from = this.rolledUntil === undefined ? await this.firstUnrolled(tx, now) : Math.min(this.rolledUntil, until) - REROLL_MS;
      const minutes = await tx.$executeRaw`
        INSERT INTO "BotMarketMinute" ("botId", minute, "referencePrice", "bidBandLow", "bidBandHigh", "askBandLow",
          "askBandHigh", "bestBid", "bestAsk", "ourBid", "ourAsk")
        SELECT DISTINCT ON ("botId", date_trunc('minute', time)) "botId", date_trunc('minute', time), "referencePrice",
          "bidBandLow", "bidBandHigh", "askBandLow", "askBandHigh", "bestBid", "bestAsk", "ourBid", "ourAsk"
        FROM "BotMarketSample"
        WHERE time >= ${new Date(from)} AND time < ${new Date(until)}
        ORDER BY "botId", date_trunc('minute', time), time DESC
        ON CONFLICT ("botId", minute) DO UPDATE SET "referencePrice" = EXCLUDED."referencePrice",
          "bidBandLow" = EXCLUDED."bidBandLow", "bidBandHigh" = EXCLUDED."bidBandHigh",
          "askBandLow" = EXCLUDED."askBandLow", "askBandHigh" = EXCLUDED."askBandHigh",
          "bestBid" = EXCLUDED."bestBid", "bestAsk" = EXCLUDED."bestAsk", "ourBid" = EXCLUDED."ourBid", "ourAsk" = EXCLUDED."ourAsk"`;
      const prunedSeconds = await tx.$executeRaw`DELETE FROM "BotMarketSample" WHERE time < ${new Date(now - this.settings.secondsRetentionMs)}`;
      const prunedMinutes = await tx.$executeRaw`DELETE FROM "BotMarketMinute" WHERE minute < ${new Date(now - this.settings.minutesRetentionMs)}`;
      return { minutes, prunedSeconds, prunedMinutes };
    });
    if (result) this.rolledUntil = until;
    return result;
  }

  /**
   * Where the first roll-up of this engine starts: a little before the newest minute row (the one rolled up last),
   * or, with none, at the oldest second kept. Each bot's newest minute comes from its primary key.
   */
  private async firstUnrolled(tx: Pick<PrismaClient, "$queryRaw">, now: number): Promise<number> {
    const [row] = await tx.$queryRaw<{ newest: Date | null }[]>`
      SELECT max(latest.minute) AS newest FROM "Bot" b
      CROSS JOIN LATERAL (SELECT minute FROM "BotMarketMinute" m WHERE m."botId" = b.id ORDER BY minute DESC LIMIT 1) latest`;
    const oldestKept = now - this.settings.secondsRetentionMs;
    return row?.newest ? Math.max(oldestKept, row.newest.getTime() - REROLL_MS) : oldestKept;
  }
}

/** MarketHistory on a timer; a failed run is logged and the next one tries again. */
export class MarketHistoryKeeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly history: MarketHistory,
    private readonly options: { everyMs: number; now: () => number; logger: Logger },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce(), this.options.everyMs);
    void this.runOnce();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.history
      .maintain(this.options.now())
      .then(
        (result) => result && (result.prunedSeconds > 0 || result.prunedMinutes > 0) && this.options.logger.debug("market history pruned", { ...result }),
        (error: unknown) => this.options.logger.warn("market history maintenance failed; will retry", { error }),
      )
      .then(() => undefined)
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
