// Seeds the demo desk into DATABASE_URL (or the project's embedded PostgreSQL when it is unset), migrating first.
// BANDKEEPER_ENCRYPTION_KEY encrypts the simulator's API key and secret; it must be the key the app runs with.
import { fileURLToPath } from "node:url";
import { createPrismaClient } from "../src/client";
import { parseEncryptionKey } from "../src/crypto";
import { applyMigrations } from "../src/migrate";
import { startDatabase } from "../src/postgres";
import { DEMO_LOGINS, DEMO_SIMULATOR_CREDENTIALS, seedDemo } from "../src/seed";

const PROJECT_DATA_DIR = fileURLToPath(new URL("../../../.data", import.meta.url));

function encryptionKey(): Buffer {
  const value = process.env.BANDKEEPER_ENCRYPTION_KEY;
  if (!value) throw new Error("BANDKEEPER_ENCRYPTION_KEY is not set: the seed encrypts the simulator's API key with it.");
  try {
    return parseEncryptionKey(value);
  } catch (error) {
    throw new Error(`BANDKEEPER_ENCRYPTION_KEY: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  const key = encryptionKey();
  const database = await startDatabase({
    projectDataDir: PROJECT_DATA_DIR,
    databaseUrl: process.env.DATABASE_URL || undefined,
  });
  const prisma = createPrismaClient(database.url);
  try {
    await applyMigrations(database.url);
    const result = await seedDemo(prisma, {
      encryptionKey: key,
      simulator: { ...DEMO_SIMULATOR_CREDENTIALS, baseUrl: process.env.SIMULATOR_BASE_URL || undefined },
    });
    if (!result.created) {
      console.log("The demo team exists already: nothing to do.");
      return;
    }
    console.log(`Seeded the demo team. Logins (password ${DEMO_LOGINS[0]?.password}):`);
    for (const login of DEMO_LOGINS) console.log(`  ${login.role.padEnd(6)} ${login.email}`);
  } finally {
    await prisma.$disconnect();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
