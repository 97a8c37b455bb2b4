// `npm run engine`: the market-making engine. Claims bots from Postgres and runs them until SIGINT/SIGTERM, when
// it cancels their orders, flushes what it owes the database and hands its leases back.
// `npm run engine -- --config bots.yaml`: headless mode, the accounts and bots of a file, without a database.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseEncryptionKey } from "@bandkeeper/db/crypto";
import { createPrismaClient } from "@bandkeeper/db/client";
import { alertingOptions, Alerting } from "./alerts/alerting";
import { fileAuditTrails, type AuditTrailFactory } from "./audit/audit-trail";
import { MarketTapes } from "./persistence/market-tapes";
import { ChangeReplays } from "./change-replays/change-replays";
import { changeReplaySettings, EngineEnvError, environmentVariable, invocationDirectory, marketRecording, readEngineEnv, readHeadlessEnv } from "./env";
import { Supervisor } from "./fleet/supervisor";
import { HeadlessConfigError, loadHeadlessConfig } from "./headless/config";
import { HeadlessFleet } from "./headless/fleet";
import { createLogger, type Logger } from "./observability/log";
import { EngineMetrics, EngineServeError, type ServeOptions } from "./observability/metrics";
import { wallClock } from "./wall-clock";

const USAGE = `Usage: npm run engine                         run the bots in DATABASE_URL (leases, approvals, journal)
       npm run engine -- --config bots.yaml   headless: the accounts and bots of a YAML or JSON file, no database
       npm run engine -- --help               this text

Settings are environment variables (apps/engine/README.md lists them all), among them:
  DATABASE_URL             the PostgreSQL database (not read in headless mode)
  BANDKEEPER_ENCRYPTION_KEY  the key the exchange secrets in the database are encrypted with
  SIMULATOR_URL            where SIMULATOR accounts without a base URL connect
  ENGINE_METRICS_PORT      serve /metrics, /healthz and /readyz on this port (0: any free port; unset: none)
  ENGINE_METRICS_HOST      the address they listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  ENGINE_LOG_LEVEL         debug, info, warn or error`;

interface Running {
  logger: Logger;
  /** Resolves with a one-line note of what the stop could not finish (the database was gone), if anything. */
  stop(): Promise<string | undefined>;
}

async function main(): Promise<void> {
  let values: { config?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ options: { config: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true }));
  } catch (error) {
    throw new EngineEnvError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const starting = values.config === undefined ? runFromDatabase() : runHeadless(values.config);
  let stopping = false;
  // Listening from the first moment: a signal during start-up still stops cleanly once start-up is done.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const running = await starting;
    running.logger.info("stopping", { signal });
    const unfinished = await running.stop();
    if (unfinished) {
      // The exchange side is done (orders cancelled); what the database missed, the next start reads back from the
      // exchange (reconciliation, fill recovery).
      console.error(`engine stopped; ${unfinished}`);
    } else running.logger.info("stopped");
    process.exit(0);
  };
  const onSignal = (signal: string) =>
    shutdown(signal).catch((error: unknown) => {
      console.error(`engine stop failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  process.once("SIGINT", () => void onSignal("SIGINT"));
  process.once("SIGTERM", () => void onSignal("SIGTERM"));
  await starting;
}

async function runFromDatabase(): Promise<Running> {
  const env = readEngineEnv();
  const logger = createLogger({ level: env.ENGINE_LOG_LEVEL, fields: { service: "engine" } });
  let encryptionKey: Buffer;
  try {
    encryptionKey = parseEncryptionKey(env.BANDKEEPER_ENCRYPTION_KEY);
  } catch (error) {
    throw new EngineEnvError(`Invalid engine settings:\n  BANDKEEPER_ENCRYPTION_KEY: ${error instanceof Error ? error.message : String(error)}`);
  }
  const prisma = createPrismaClient(env.DATABASE_URL);
  surviveDatabaseLoss(logger);
  const metrics = new EngineMetrics();
  const marketTapes = marketTapesOf(env);
  const supervisor = new Supervisor({
    prisma,
    databaseUrl: env.DATABASE_URL,
    encryptionKey,
    defaultSimulatorUrl: env.SIMULATOR_URL,
    clock: wallClock,
    logger,
    metrics,
    timing: { leaseTtlMs: env.ENGINE_LEASE_TTL_MS, authRetryMaxMs: env.ENGINE_AUTH_RETRY_MAX_MS },
    auditTrail: auditTrails(env.ENGINE_AUDIT_DIR),
    marketRecording: marketRecording(env),
    marketTapes,
  });
  // Served before start-up: /healthz answers at once, /readyz says not ready until the first lease round.
  const server = await serveMetrics(metrics, env, logger, { health: () => ({ ok: true, mode: "database" }), readiness: () => supervisor.readiness() });
  await supervisor.start();
  const alerting = new Alerting(alertingOptions(env, { prisma, encryptionKey, logger, metrics }));
  alerting.start();
  const replaySettings = changeReplaySettings(env, invocationDirectory());
  const changeReplays = replaySettings && new ChangeReplays({ prisma, claimant: supervisor.engineId ?? `pid-${process.pid}`, settings: replaySettings, logger });
  changeReplays?.start();
  logger.info("engine running", { engine: supervisor.engineId });
  return {
    logger,
    stop: async () => {
      await changeReplays?.stop();
      const report = await supervisor.stop();
      await marketTapes?.close();
      await alerting.stop().catch((error: unknown) => logger.warn("alerting did not stop cleanly", { error }));
      await server?.close();
      await prisma.$disconnect().catch(() => undefined);
      if (report.databaseError === undefined) return undefined;
      const firstLine = report.databaseError.split("\n").find((line) => line.trim() !== "") ?? "unknown error";
      return (
        `the database was unreachable, so ${report.unwrittenRecords} journal records and the bot leases were not written ` +
        `(orders were cancelled on the exchange first; the next start reconciles): ${firstLine.trim()}`
      );
    },
  };
}

async function runHeadless(file: string): Promise<Running> {
  const env = readHeadlessEnv();
  const logger = createLogger({ level: env.ENGINE_LOG_LEVEL, fields: { service: "engine", mode: "headless" } });
  const config = await loadHeadlessConfig(resolve(invocationDirectory(), file), (name) => environmentVariable(name));
  const metrics = new EngineMetrics();
  const fleet = new HeadlessFleet({
    config,
    defaultSimulatorUrl: env.SIMULATOR_URL,
    clock: wallClock,
    logger,
    metrics,
    auditTrail: auditTrails(env.ENGINE_AUDIT_DIR),
  });
  const server = await serveMetrics(metrics, env, logger, { health: () => ({ ok: true, mode: "headless" }), readiness: () => fleet.readiness() });
  await fleet.start();
  logger.info("engine running", { config: file, accounts: config.accounts.length, bots: config.bots.length });
  return {
    logger,
    stop: async () => {
      await fleet.stop();
      await server?.close();
      return undefined;
    },
  };
}

main().catch((error: unknown) => {
  const known = error instanceof EngineEnvError || error instanceof HeadlessConfigError || error instanceof EngineServeError;
  console.error(known ? error.message : error);
  process.exit(1);
});

/**
 * A database connection that breaks while nothing waits on it (the server shut down or crashed) emits an 'error'
 * event nobody listens to, which would end the engine with its orders still resting. That loss is logged and
 * survived: whatever uses the database next fails and retries where it is made (journal, leases).
 */
function surviveDatabaseLoss(logger: Logger): void {
  process.on("uncaughtException", (error) => {
    if (isDatabaseConnectionLoss(error)) {
      logger.warn("database connection lost", { error });
      return;
    }
    console.error(error);
    process.exit(1);
  });
}

/** 57P01-57P03: the server is shutting down, crashed or not yet accepting; pg's own words for a dropped socket. */
function isDatabaseConnectionLoss(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (typeof code === "string" && /^57P0[123]$/.test(code)) || error.message === "Connection terminated unexpectedly";
}

/** /metrics, /healthz and /readyz where ENGINE_METRICS_PORT and ENGINE_METRICS_HOST say, if the port is set. */
async function serveMetrics(
  metrics: EngineMetrics,
  env: { ENGINE_METRICS_PORT?: number | undefined; ENGINE_METRICS_HOST: string },
  logger: Logger,
  probes: Pick<ServeOptions, "health" | "readiness">,
): Promise<{ close(): Promise<void> } | undefined> {
  if (env.ENGINE_METRICS_PORT === undefined) return undefined;
  const server = await metrics.serve({ port: env.ENGINE_METRICS_PORT, host: env.ENGINE_METRICS_HOST, ...probes });
  const base = `http://${server.host.includes(":") ? `[${server.host}]` : server.host}:${server.port}`;
  logger.info("metrics served", { url: `${base}/metrics`, health: `${base}/healthz`, ready: `${base}/readyz` });
  return server;
}

/** Audit trails in the folder ENGINE_AUDIT_DIR names (relative to where the command was typed), if set. */
function auditTrails(setting: string | undefined): AuditTrailFactory | undefined {
  if (setting === undefined) return undefined;
  const dir = resolve(invocationDirectory(), setting);
  mkdirSync(dir, { recursive: true });
  return fileAuditTrails(dir);
}

/** The raw market streams' recorder, when ENGINE_MARKET_TAPES_DIR names a folder; this run's files carry its start time and pid. */
function marketTapesOf(env: { ENGINE_MARKET_TAPES_DIR?: string | undefined; ENGINE_MARKET_TAPES_DAYS: number }): MarketTapes | undefined {
  if (env.ENGINE_MARKET_TAPES_DIR === undefined) return undefined;
  const run = `${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "")}Z-${process.pid}`;
  return new MarketTapes({ dir: resolve(invocationDirectory(), env.ENGINE_MARKET_TAPES_DIR), retentionDays: env.ENGINE_MARKET_TAPES_DAYS }, run);
}
