// The migration that rolls minute rows written before the engine kept hour rollups up into KpiHourBucket.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MIGRATIONS_DIR } from "../src/migrate";
import { seedDemo } from "../src/seed";
import { type TestDatabase, createTestDatabase } from "../src/testing";
import { testServerUrl } from "@bandkeeper/testkit";

let db: TestDatabase;
let backfill: string;

beforeAll(async () => {
  db = await createTestDatabase(testServerUrl, "bk_db_backfill");
  await seedDemo(db.prisma, { encryptionKey: randomBytes(32) });
  const folder = (await readdir(DEFAULT_MIGRATIONS_DIR)).find((name) => name.endsWith("_kpi_hour_backfill"));
  if (!folder) throw new Error("no kpi_hour_backfill migration");
  backfill = await readFile(join(DEFAULT_MIGRATIONS_DIR, folder, "migration.sql"), "utf8");
});
afterAll(async () => db.drop());

describe("kpi_hour_backfill", () => {
  it("sums each hour's minute rows, histograms element by element, and leaves existing rollups alone", async () => {
    const bot = await db.prisma.bot.findFirstOrThrow({ where: { symbol: "BTCUSDT" } });
    const minute = (iso: string, overrides: { latencyHistogram?: number[]; placedNotional?: string } = {}) => ({
      botId: bot.id,
      minute: new Date(iso),
      runningMs: 60_000,
      compliantMs: 59_000,
      twoSidedMs: 60_000,
      depthMs: 60_000,
      ordersPlaced: 3,
      ordersDepthOk: 3,
      latencyCount: 2,
      latencySumMs: 30,
      latencyMaxMs: 20,
      placedNotional: overrides.placedNotional ?? "31500.5",
      latencyHistogram: overrides.latencyHistogram ?? [0, 2],
    });
    await db.prisma.kpiBucket.createMany({
      data: [
        minute("2026-11-01T10:00:00Z"),
        minute("2026-11-01T10:59:00Z", { latencyHistogram: [1, 0, 1], placedNotional: "0.25" }),
        minute("2026-11-01T11:00:00Z"),
      ],
    });
    // 11:00 was already rolled up by an engine that writes rollups: it stays as it is.
    await db.prisma.kpiHourBucket.create({ data: { botId: bot.id, hour: new Date("2026-11-01T11:00:00Z"), runningMs: 123 } });

    await db.prisma.$executeRawUnsafe(backfill);

    const ten = await db.prisma.kpiHourBucket.findUniqueOrThrow({ where: { botId_hour: { botId: bot.id, hour: new Date("2026-11-01T10:00:00Z") } } });
    expect(ten).toMatchObject({ runningMs: 120_000, compliantMs: 118_000, ordersPlaced: 6, latencyCount: 4, latencySumMs: 60, latencyMaxMs: 20 });
    expect(ten.placedNotional.toString()).toBe("31500.75");
    expect(ten.latencyHistogram).toEqual([1, 2, 1]);
    const eleven = await db.prisma.kpiHourBucket.findUniqueOrThrow({ where: { botId_hour: { botId: bot.id, hour: new Date("2026-11-01T11:00:00Z") } } });
    expect(eleven.runningMs).toBe(123);
  });
});
