// Migrations without the Prisma CLI's downloaded engine.
//   tsx scripts/migrate.ts create <name>   write prisma/migrations/<timestamp>_<name>/migration.sql (migrate dev)
//   tsx scripts/migrate.ts deploy          apply committed migrations (migrate deploy)
// DATABASE_URL names the database; `create` only needs its server (for a throwaway shadow database). Without
// DATABASE_URL, deploy targets the project's embedded PostgreSQL (started, migrated, stopped).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from "../src/migrate";
import { startDatabase } from "../src/postgres";
import { diffMigrationsToSchema, MIGRATION_LOCKFILE, MIGRATION_LOCKFILE_NAME } from "./schema-engine";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const SCHEMA_PATH = join(PACKAGE_DIR, "prisma", "schema.prisma");
const PROJECT_DATA_DIR = join(PACKAGE_DIR, "..", "..", ".data");
const DEFAULT_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

async function create(name: string, serverUrl: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Migration name must be snake_case, got "${name}"`);
  const script = await diffMigrationsToSchema({ serverUrl, migrationsDir: DEFAULT_MIGRATIONS_DIR, schemaPath: SCHEMA_PATH });
  if (script === "") {
    console.log("The schema matches the migrations: nothing to create.");
    return;
  }
  const folder = `${timestamp(new Date())}_${name}`;
  await mkdir(join(DEFAULT_MIGRATIONS_DIR, folder), { recursive: true });
  await writeFile(join(DEFAULT_MIGRATIONS_DIR, folder, "migration.sql"), script);
  await writeFile(join(DEFAULT_MIGRATIONS_DIR, MIGRATION_LOCKFILE_NAME), MIGRATION_LOCKFILE);
  console.log(`Created prisma/migrations/${folder}/migration.sql`);
}

async function deploy(databaseUrl: string | undefined): Promise<void> {
  const database = await startDatabase({ projectDataDir: PROJECT_DATA_DIR, databaseUrl });
  try {
    const result = await applyMigrations(database.url);
    for (const name of result.modified) console.warn(`warning: applied migration ${name} was edited since`);
    console.log(
      result.applied.length === 0
        ? "Database is up to date."
        : `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`,
    );
  } finally {
    await database.stop();
  }
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (command === "create" && name) return create(name, databaseUrl ?? DEFAULT_SERVER_URL);
  if (command === "deploy") return deploy(databaseUrl);
  throw new Error("usage: migrate.ts create <name> | deploy");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
