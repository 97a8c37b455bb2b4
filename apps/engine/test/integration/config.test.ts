// A config change approved in the database (a new BotConfigVersion and Bot.currentConfigVersionId, in one
// transaction, as the dashboard writes it) moves the running bot's quotes without a restart: through
// LISTEN/NOTIFY at once, and through the lease tick's re-read when the notification is lost.
import type { Prisma } from "@bandkeeper/db/client";
import { BOT_CHANGES_CHANNEL } from "@bandkeeper/db/notify";
import pg from "pg";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessEngine, openOrders, setConfig, startWorld, twoSided, until, type World } from "./harness";

const SYMBOL = "BTCUSDT";
let world: World;

beforeAll(async () => {
  world = await startWorld("bk_engine_config", { runningSymbols: [SYMBOL] });
  await setConfig(world, SYMBOL, { reference: { method: "MID" } });
}, 60_000);
afterAll(async () => world?.close());

/** The dashboard's approval: a new immutable version made current in the same transaction. */
async function approve(band: { minSpread: number; maxSpread: number }, options: { withoutNotify?: boolean } = {}): Promise<string> {
  const botId = world.botIds[SYMBOL]!;
  return world.db.prisma.$transaction(async (tx) => {
    // Triggers off for this transaction only: the NOTIFY the trigger would send is lost.
    if (options.withoutNotify) await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
    const bot = await tx.bot.findUniqueOrThrow({ where: { id: botId }, include: { currentConfigVersion: true } });
    const config = { ...(bot.currentConfigVersion!.config as Record<string, never>), band } as Prisma.InputJsonObject;
    const last = await tx.botConfigVersion.aggregate({ where: { botId }, _max: { version: true } });
    const version = await tx.botConfigVersion.create({ data: { botId, version: (last._max.version ?? 0) + 1, config } });
    await tx.bot.update({ where: { id: botId }, data: { currentConfigVersionId: version.id } });
    return version.id;
  });
}

/** Both sides resting, every order between `min` and `max` away from the market mid. */
function quotedBetween(min: number, max: number): true | undefined {
  if (!twoSided(world, SYMBOL)) return undefined;
  const mid = world.markets[SYMBOL]!.midPrice;
  const inside = openOrders(world, SYMBOL).every((o) => {
    const distance = new Decimal(o.price).minus(mid).abs().div(mid);
    return distance.gte(min) && distance.lte(max);
  });
  return inside ? true : undefined;
}

describe("live config changes", () => {
  it("applies an approved version through NOTIFY, with the lease tick too slow to be the reason", async () => {
    const engine = inProcessEngine(world, { leaseTickMs: 60_000, leaseTtlMs: 120_000 });
    await engine.start();
    try {
      await until(() => quotedBetween(0.0019, 0.0041), 10_000, "quotes in the default band");
      const approvedAt = performance.now();
      const versionId = await approve({ minSpread: 0.006, maxSpread: 0.008 });
      await until(() => quotedBetween(0.0059, 0.0081), 10_000, "quotes in the new band");
      console.info(`config change reached the quotes ${(performance.now() - approvedAt).toFixed(0)} ms after approval`);
      const version = await until(
        async () => {
          const row = await world.db.prisma.botConfigVersion.findUniqueOrThrow({ where: { id: versionId } });
          return row.appliedAt ?? undefined;
        },
        5_000,
        "appliedAt",
      );
      expect(version.getTime()).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      await engine.stop();
    }
  }, 40_000);

  it("applies a version whose notification was lost at the next lease tick (the backstop)", async () => {
    const engine = inProcessEngine(world, { leaseTickMs: 300 });
    const listener = new pg.Client({ connectionString: world.db.url });
    const notices: string[] = [];
    listener.on("notification", (message) => notices.push(message.payload ?? ""));
    await listener.connect();
    await listener.query(`LISTEN ${BOT_CHANGES_CHANNEL}`);
    await engine.start();
    try {
      await until(() => quotedBetween(0.0059, 0.0081), 10_000, "quotes in the current band");
      const versionId = await approve({ minSpread: 0.002, maxSpread: 0.004 }, { withoutNotify: true });
      await until(() => quotedBetween(0.0019, 0.0041), 10_000, "quotes back in the narrow band");
      await until(
        async () => (await world.db.prisma.botConfigVersion.findUniqueOrThrow({ where: { id: versionId } })).appliedAt ?? undefined,
        5_000,
        "appliedAt",
      );
      expect(notices).toEqual([]);
    } finally {
      await engine.stop();
      await listener.end();
    }
    expect(openOrders(world, SYMBOL)).toEqual([]);
  }, 40_000);
});
