// `npm run engine`: the market-making engine. Claims bots from Postgres and runs them until SIGINT/SIGTERM, when
// it cancels their orders, flushes what it owes the database and hands its leases back.
import { parseEncryptionKey } from "@bandkeeper/db/crypto";
import { createPrismaClient } from "@bandkeeper/db/client";
import { EngineEnvError, readEngineEnv } from "./env";
import { Supervisor } from "./fleet/supervisor";
import { createLogger } from "./observability/log";
import { EngineMetrics } from "./observability/metrics";
import { wallClock } from "./wall-clock";

async function main(): Promise<void> {
  const env = readEngineEnv();
  const logger = createLogger({ level: env.ENGINE_LOG_LEVEL, fields: { service: "engine" } });
  let encryptionKey: Buffer;
  try {
    encryptionKey = parseEncryptionKey(env.BANDKEEPER_ENCRYPTION_KEY);
  } catch (error) {
    throw new EngineEnvError(`Invalid engine settings:\n  BANDKEEPER_ENCRYPTION_KEY: ${error instanceof Error ? error.message : String(error)}`);
  }
  const prisma = createPrismaClient(env.DATABASE_URL);
  const metrics = new EngineMetrics();
  const server = env.ENGINE_METRICS_PORT === undefined ? undefined : await metrics.serve(env.ENGINE_METRICS_PORT);
  if (server) logger.info("metrics served", { url: `http://127.0.0.1:${server.port}/metrics` });

  const supervisor = new Supervisor({
    prisma,
    databaseUrl: env.DATABASE_URL,
    encryptionKey,
    defaultSimulatorUrl: env.SIMULATOR_URL,
    clock: wallClock,
    logger,
    metrics,
    timing: { leaseTtlMs: env.ENGINE_LEASE_TTL_MS },
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    await supervisor.stop();
    await server?.close();
    await prisma.$disconnect();
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  await supervisor.start();
  logger.info("engine running", { engine: supervisor.engineId });
}

main().catch((error: unknown) => {
  console.error(error instanceof EngineEnvError ? error.message : error);
  process.exit(1);
});
