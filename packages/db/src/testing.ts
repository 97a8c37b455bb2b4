// A fresh, migrated database per test suite, on whatever server the tests were given (DATABASE_URL).
import { randomBytes } from "node:crypto";
import { createDatabase, databaseUrlFor, dropDatabase } from "./admin";
import { createPrismaClient, type PrismaClient } from "./client";
import { applyMigrations } from "./migrate";

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  /** Disconnects the client and drops the database (even if other connections linger). */
  drop(): Promise<void>;
}

/** Creates a uniquely named database on the server of `serverUrl` and applies every migration to it. */
export async function createTestDatabase(serverUrl: string, prefix = "bk_test"): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await createDatabase(serverUrl, name);
  const url = databaseUrlFor(serverUrl, name);
  try {
    await applyMigrations(url);
  } catch (error) {
    await dropDatabase(serverUrl, name);
    throw error;
  }
  const prisma = createPrismaClient(url);
  return {
    url,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await dropDatabase(serverUrl, name);
    },
  };
}
