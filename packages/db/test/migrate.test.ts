import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase, databaseUrlFor, dropDatabase } from "../src/admin";
import { applyMigrations, MigrationError, readMigrations } from "../src/migrate";
import { query } from "./support";
import { testServerUrl } from "@bandkeeper/testkit";

const created: string[] = [];
const tempDirs: string[] = [];

async function emptyDatabase(): Promise<string> {
  const name = `bk_migrate_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  await createDatabase(testServerUrl, name);
  created.push(name);
  return databaseUrlFor(testServerUrl, name);
}

async function migrationsDir(migrations: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "bk-migrations-"));
  tempDirs.push(dir);
  for (const [name, sql] of Object.entries(migrations)) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

async function tables(url: string): Promise<string[]> {
  const rows = await query<{ table_name: string }>(
    url,
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((row) => row.table_name);
}

afterEach(async () => {
  for (const name of created.splice(0)) await dropDatabase(testServerUrl, name);
  for (const dir of tempDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("applyMigrations", () => {
  it("creates every table on an empty database, records the migration, and is a no-op the second time", async () => {
    const url = await emptyDatabase();
    const committed = await readMigrations();
    expect(committed.length).toBeGreaterThan(0);

    const first = await applyMigrations(url);
    expect(first.applied).toEqual(committed.map((migration) => migration.name));
    expect(await tables(url)).toEqual(
      expect.arrayContaining(["_prisma_migrations", "User", "Team", "Membership", "ExchangeAccount", "Bot",
        "BotConfigVersion", "ChangeRequest", "Order", "Fill", "KpiBucket", "KpiHourBucket", "BotEvent", "AlertRule",
        "AlertChannel", "AlertEvent", "AlertDelivery", "DeliveryAttempt", "AuditLog", "EngineInstance", "BotLease"]),
    );

    const second = await applyMigrations(url);
    expect(second).toEqual({ applied: [], modified: [] });
    const recorded = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      url,
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(recorded.map((row) => [row.migration_name, row.checksum])).toEqual(
      committed.map((migration) => [migration.name, migration.checksum]),
    );
    expect(recorded.every((row) => row.finished_at !== null)).toBe(true);
  });

  it("rolls a failing migration back entirely and records nothing for it", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({
      "20260101000000_first": 'CREATE TABLE "First" (id int);',
      "20260102000000_broken": 'CREATE TABLE "Second" (id int);\nSELECT * FROM "DoesNotExist";',
    });

    const failure = await applyMigrations(url, { migrationsDir: dir }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).migrationName).toBe("20260102000000_broken");

    expect(await tables(url)).toEqual(["First", "_prisma_migrations"]);
    const recorded = await query<{ migration_name: string }>(url, `SELECT migration_name FROM "_prisma_migrations"`);
    expect(recorded.map((row) => row.migration_name)).toEqual(["20260101000000_first"]);
  });

  it("applies each migration once when two processes deploy at the same time", async () => {
    const url = await emptyDatabase();
    const results = await Promise.all([applyMigrations(url), applyMigrations(url)]);
    const committed = await readMigrations();
    expect(results.flatMap((result) => result.applied).sort()).toEqual(committed.map((m) => m.name).sort());
    const [{ count }] = (await query<{ count: string }>(url, `SELECT count(*) FROM "_prisma_migrations"`)) as [{ count: string }];
    expect(Number(count)).toBe(committed.length);
  });

  it("reports an applied migration whose file was edited instead of running it again", async () => {
    const url = await emptyDatabase();
    const name = "20260101000000_first";
    await applyMigrations(url, { migrationsDir: await migrationsDir({ [name]: 'CREATE TABLE "First" (id int);' }) });
    const edited = await migrationsDir({ [name]: 'CREATE TABLE "First" (id int, extra int);' });
    expect(await applyMigrations(url, { migrationsDir: edited })).toEqual({ applied: [], modified: [name] });
  });
});
