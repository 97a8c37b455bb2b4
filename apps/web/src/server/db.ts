import { createPrismaClient } from "@bandkeeper/db/client";
import { env } from "~/env";

export type Database = ReturnType<typeof createPrismaClient>;

// One client per server process; dev hot reload would otherwise open a new pool per edit.
const holder = globalThis as unknown as { bandkeeperDb?: Database };

export function db(): Database {
  holder.bandkeeperDb ??= createPrismaClient(env().DATABASE_URL);
  return holder.bandkeeperDb;
}
