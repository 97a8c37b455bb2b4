// The system under test for browser tests: a fresh database with the demo seed, the bundled exchange simulator,
// the engine (which claims the database's bots and quotes on the simulator) and the built web app in production
// mode. Services start in order and stop in reverse: the web app first, then the engine (which cancels its orders
// while the simulator still answers), the simulator, and last the database.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPrismaClient } from "@bandkeeper/db/client";
import { DEMO_SIMULATOR_CREDENTIALS, DEMO_SYMBOLS, seedDemo } from "@bandkeeper/db/seed";
import { createTestDatabase } from "@bandkeeper/db/testing";
import { type NodeService, freePort, killOnExit, startNodeService, stopNodeService, waitFor, waitForHttp } from "./process";

export const DEFAULT_DATABASE_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const webDir = join(repoRoot, "apps/web");
const engineDir = join(repoRoot, "apps/engine");
const simulatorCli = join(repoRoot, "packages/exchange-sim/src/cli.ts");
export const logDir = fileURLToPath(new URL("../.logs", import.meta.url));

export interface StackSettings {
  databaseServerUrl: string;
  nextAuthSecret: string;
  encryptionKey: string;
}

export interface RunningStack {
  webUrl: string;
  databaseUrl: string;
  /** The simulator's REST base (Binance's API under /api/v3, its control surface under /admin). */
  simulatorUrl: string;
  /** The engine's Prometheus endpoint. */
  engineMetricsUrl: string;
  /** Encrypts the exchange secrets tests write for their own simulator accounts. */
  encryptionKey: string;
  stop(): Promise<void>;
}

export function stackSettingsFrom(env: NodeJS.ProcessEnv): StackSettings {
  return {
    databaseServerUrl: env.DATABASE_URL || DEFAULT_DATABASE_SERVER_URL,
    nextAuthSecret: env.NEXTAUTH_SECRET || randomBytes(32).toString("hex"),
    encryptionKey: env.BANDKEEPER_ENCRYPTION_KEY || randomBytes(32).toString("base64"),
  };
}

function nextBin(): string {
  const require = createRequire(join(webDir, "package.json"));
  return join(dirname(require.resolve("next/package.json")), "dist/bin/next");
}

// The engine has registered itself (its EngineInstance row) and runs its first lease round.
async function waitForEngineRegistered(databaseUrl: string, engine: NodeService): Promise<void> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    await waitFor(async () => (await prisma.engineInstance.count({ where: { stoppedAt: null } })) > 0, engine, 30_000, "engine registration");
  } finally {
    await prisma.$disconnect();
  }
}

export async function startStack(settings: StackSettings): Promise<RunningStack> {
  if (!existsSync(join(webDir, ".next/BUILD_ID"))) {
    throw new Error("The web app is not built: run `npm run build -w @bandkeeper/web` first.");
  }
  // Stop actions of what has started so far, run in reverse if a later step fails.
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const action of stops.reverse()) await action();
  };

  try {
    const database = await createTestDatabase(settings.databaseServerUrl);
    stops.push(() => database.drop());

    const prisma = createPrismaClient(database.url);
    try {
      // The demo account names no address: the engine finds the simulator through SIMULATOR_URL.
      await seedDemo(prisma, { encryptionKey: settings.encryptionKey, simulator: DEMO_SIMULATOR_CREDENTIALS });
    } finally {
      await prisma.$disconnect();
    }

    const [simulatorPort, metricsPort, webPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
    const engineMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const webUrl = `http://127.0.0.1:${webPort}`;

    // The web app starts alongside the simulator and the engine: it needs only the database.
    const simulator = startNodeService({
      name: "simulator",
      script: simulatorCli,
      typescript: true,
      args: [
        "--port", String(simulatorPort),
        "--symbols", DEMO_SYMBOLS.join(","),
        "--api-key", DEMO_SIMULATOR_CREDENTIALS.apiKey,
        "--api-secret", DEMO_SIMULATOR_CREDENTIALS.apiSecret,
        "--balances", "USDT=5000000,BTC=50,ETH=1000,BNB=5000",
      ],
      cwd: repoRoot,
      logDir,
      env: { PATH: process.env.PATH },
    });
    killOnExit(simulator);
    stops.push(() => stopNodeService(simulator));

    const web: NodeService = startNodeService({
      name: "web",
      script: nextBin(),
      args: ["start", "--port", String(webPort), "--hostname", "127.0.0.1"],
      cwd: webDir,
      logDir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: database.url,
        NEXTAUTH_SECRET: settings.nextAuthSecret,
        NEXTAUTH_URL: webUrl,
        BANDKEEPER_ENCRYPTION_KEY: settings.encryptionKey,
        // Simulator accounts added in the dashboard are checked against this simulator.
        SIMULATOR_URL: simulatorUrl,
        // The tests' webhook receivers and simulator accounts listen on 127.0.0.1.
        BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: "true",
      },
    });
    killOnExit(web);
    stops.push(() => stopNodeService(web));

    await waitForHttp(`${simulatorUrl}/admin/state`, simulator, 30_000);
    // The engine records the market tapes that change requests are replayed over (tests/change-replay.spec.ts);
    // a short window keeps each replay to seconds.
    const tapesDir = mkdtempSync(join(tmpdir(), "bk-e2e-tapes-"));
    stops.push(() => Promise.resolve(rmSync(tapesDir, { recursive: true, force: true })));
    const engine = startNodeService({
      name: "engine",
      script: join(engineDir, "src/main.ts"),
      typescript: true,
      args: [],
      cwd: engineDir,
      logDir,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.url,
        BANDKEEPER_ENCRYPTION_KEY: settings.encryptionKey,
        SIMULATOR_URL: simulatorUrl,
        ENGINE_METRICS_PORT: String(metricsPort),
        ENGINE_MARKET_TAPES_DIR: tapesDir,
        ENGINE_CHANGE_REPLAY_HOURS: "0.05",
        // Alert notices link to this dashboard.
        WEB_URL: webUrl,
        BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: "true",
      },
    });
    killOnExit(engine);
    // Stopped first (stops run in reverse): it cancels every bot's orders while the simulator still answers and
    // waits for the exchange to confirm, which takes more than the usual grace.
    stops.push(() => stopNodeService(engine, 20_000));

    await Promise.all([
      waitForHttp(`${webUrl}/signin`, web, 60_000),
      waitForHttp(engineMetricsUrl, engine, 30_000).then(() => waitForEngineRegistered(database.url, engine)),
    ]);

    return { webUrl, databaseUrl: database.url, simulatorUrl, engineMetricsUrl, encryptionKey: settings.encryptionKey, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
