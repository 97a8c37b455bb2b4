import { createTestDatabase, type TestDatabase } from "@bandkeeper/db/testing";
import { seedDemo } from "@bandkeeper/db/seed";
import { generateEncryptionKey } from "@bandkeeper/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotLeases } from "../src/fleet/leases";
import { testServerUrl, until } from "@bandkeeper/testkit";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(testServerUrl, "bk_engine_leases");
  await seedDemo(db.prisma, { encryptionKey: generateEncryptionKey() });
});
afterAll(async () => db.drop());

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function leasedBots(engine: BotLeases): Promise<Set<string>> {
  const rows = await db.prisma.botLease.findMany({ where: { engineInstanceId: engine.engineId } });
  return new Set(rows.map((row) => row.botId));
}

describe("BotLeases", () => {
  it("shares the bots between engines, never runs one bot twice, and takes over a dead engine's bots", async () => {
    const ttlMs = 1_500;
    const first = await BotLeases.register(db.prisma, { host: "a", pid: 1 }, { ttlMs });
    const alone = await first.tick();
    expect(alone.held.size).toBe(3);
    expect(alone.acquired).toHaveLength(3);

    const second = await BotLeases.register(db.prisma, { host: "b", pid: 2 }, { ttlMs });
    expect((await second.tick()).acquired).toEqual([]);

    const rebalance = await first.tick();
    expect(rebalance.surplus).toHaveLength(1);
    for (const botId of rebalance.surplus) await first.release(botId);
    const joined = await second.tick();
    expect(joined.acquired).toEqual(rebalance.surplus);

    const leases = await db.prisma.botLease.findMany();
    expect(leases).toHaveLength(3);
    const firstEngineBots = leases.filter((lease) => lease.engineInstanceId === first.engineId).map((l) => l.botId);
    expect(firstEngineBots).toHaveLength(2);
    expect(leases.filter((lease) => lease.engineInstanceId === second.engineId)).toHaveLength(1);

    // The first engine dies: it stops renewing. Its bots move once the leases expire.
    const takeover = await until(async () => {
      const tick = await second.tick();
      return tick.held.size === 3 ? tick : undefined;
    }, 10_000, "the second engine holding all three bots", 100);
    expect(takeover.acquired.sort()).toEqual(firstEngineBots.sort());

    // Back from the dead, the first engine learns it lost them and claims nothing.
    const revived = await first.tick();
    expect(revived.lost).toHaveLength(2);
    expect(revived.held.size).toBe(0);
  });

  it("after a database outage the holders renew first: nobody takes over an expired lease until the database has answered it for a TTL", async () => {
    await db.prisma.botLease.deleteMany();
    await db.prisma.engineInstance.updateMany({ data: { stoppedAt: new Date() } });
    const ttlMs = 1_500;
    const holder = await BotLeases.register(db.prisma, { host: "d", pid: 4 }, { ttlMs });
    expect((await holder.tick()).held.size).toBe(3);
    const other = await BotLeases.register(db.prisma, { host: "e", pid: 5 }, { ttlMs });
    await other.tick();
    expect(holder.confirmed()).toBe(true);

    // Neither engine reaches the database for longer than the TTL: the holder's leases expire unrenewed, and it
    // stops counting them as confirmed before they do.
    await sleep(ttlMs - Math.min(1_000, ttlMs / 4));
    expect(holder.confirmed()).toBe(false);
    expect(holder.holds([...(await leasedBots(holder))][0]!)).toBe(false);
    await sleep(Math.min(1_000, ttlMs / 4) + 300);

    // The other engine is back first and would like its share, but the holder has had no round to renew in yet.
    expect((await other.tick()).acquired).toEqual([]);
    const renewed = await holder.tick();
    expect(renewed.lost).toEqual([]);
    expect(renewed.held.size).toBe(3);
    expect(holder.confirmed()).toBe(true);

    // Both answered for a TTL since: the live holder keeps what it renews, and hands back its surplus as usual.
    const until2 = Date.now() + ttlMs + 200;
    while (Date.now() < until2) {
      const [h, o] = [await holder.tick(), await other.tick()];
      expect(o.acquired).toEqual([]);
      expect(h.lost).toEqual([]);
      await sleep(100);
    }

    // A holder that really died is taken over once its leases expire.
    const takeover = await until(async () => {
      const tick = await other.tick();
      return tick.held.size === 3 ? tick : undefined;
    }, 10_000, "the other engine holding all three bots", 100);
    expect(takeover.acquired).toHaveLength(3);
  }, 20_000);

  it("a freshly started engine takes over a dead engine's expired leases in its first round: it has seen no outage", async () => {
    await db.prisma.botLease.deleteMany();
    await db.prisma.engineInstance.updateMany({ data: { stoppedAt: new Date() } });
    const ttlMs = 500;
    const dead = await BotLeases.register(db.prisma, { host: "g", pid: 7 }, { ttlMs });
    expect((await dead.tick()).held.size).toBe(3);
    await sleep(ttlMs + 200);
    const successor = await BotLeases.register(db.prisma, { host: "h", pid: 8 }, { ttlMs });
    expect((await successor.tick()).acquired).toHaveLength(3);
  });

  it("stops counting a bot as held the moment it releases it, before the database has answered", async () => {
    await db.prisma.botLease.deleteMany();
    const engine = await BotLeases.register(db.prisma, { host: "f", pid: 6 }, { ttlMs: 60_000 });
    const [botId] = [...(await engine.tick()).held];
    expect(engine.holds(botId!)).toBe(true);
    const released = engine.release(botId!);
    expect(engine.holds(botId!)).toBe(false);
    await released;
    expect(await db.prisma.botLease.count({ where: { botId: botId! } })).toBe(0);
    await engine.shutdown();
  });

  it("drops its leases and marks itself stopped on shutdown", async () => {
    const engine = await BotLeases.register(db.prisma, { host: "c", pid: 3 }, { ttlMs: 60_000 });
    await engine.tick();
    await engine.shutdown();
    expect(await db.prisma.botLease.count({ where: { engineInstanceId: engine.engineId } })).toBe(0);
    const row = await db.prisma.engineInstance.findUniqueOrThrow({ where: { id: engine.engineId } });
    expect(row.stoppedAt).not.toBeNull();
  });
});
