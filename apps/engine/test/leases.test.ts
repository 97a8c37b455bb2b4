import { createTestDatabase, type TestDatabase } from "@bandkeeper/db/testing";
import { seedDemo } from "@bandkeeper/db/seed";
import { generateEncryptionKey } from "@bandkeeper/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotLeases } from "../src/fleet/leases";

const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(serverUrl, "bk_engine_leases");
  await seedDemo(db.prisma, { encryptionKey: generateEncryptionKey() });
});
afterAll(async () => db.drop());

async function until<T>(attempt: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
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
    });
    expect(takeover.acquired.sort()).toEqual(firstEngineBots.sort());

    // Back from the dead, the first engine learns it lost them and claims nothing.
    const revived = await first.tick();
    expect(revived.lost).toHaveLength(2);
    expect(revived.held.size).toBe(0);
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
