// `npm start`: the whole product on one machine. Database (embedded unless DATABASE_URL is set), migrations,
// demo seed, exchange simulator, engine and the web app in production mode; Ctrl-C stops all of it, in order
// (engine, web, simulator, database). A crashed engine is restarted (see product.ts).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createPrismaClient } from "@bandkeeper/db/client";
import { applyMigrations } from "@bandkeeper/db/migrate";
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_SIMULATOR_CREDENTIALS, isSeeded, seedDemo } from "@bandkeeper/db/seed";
import { availableParallelism } from "node:os";
import { engineProcessCount, engineServices } from "./engine-processes";
import { ensurePortsFree, ServiceRecord } from "./leftovers";
import { run, say, waitForHttp, type ServiceSpec } from "./processes";
import { Product } from "./product";
import { runScript } from "./script";
import { loadSettings, repoRoot, type Settings } from "./settings";

const { values: flags } = parseArgs({
  options: {
    dev: { type: "boolean", default: false },
    // Builds the web app only if it has no production build yet (tests that start the product many times).
    "reuse-build": { type: "boolean", default: false },
  },
});

async function main(): Promise<number> {
  const settings = loadSettings();
  if (settings.generatedSecrets.length > 0) {
    console.log(`Generated ${settings.generatedSecrets.join(" and ")} for this machine (kept in ${settings.dataDir}).`);
  }
  const record = new ServiceRecord(settings.dataDir);
  await record.stopLeftovers();
  // The engines' metrics ports are checked once the database says how many engines run.
  await ensurePortsFree([
    { port: settings.webPort, setting: "PORT" },
    { port: settings.simulatorPort, setting: "SIMULATOR_PORT" },
  ]);

  const product = new Product(settings.dataDir, record, settings.engineRestarts, settings.engineStopGraceMs);
  // Every Ctrl-C is handled here (never the default, which would end the launcher and orphan its services): the
  // first stops everything in order, a later one says what is still being waited for (each wait is bounded).
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (product.isStopping) {
        say(`${signal}: still stopping in order; waiting for the ${product.stoppingWhat ?? "last service"} (bounded)`);
        return;
      }
      say(`${signal}: stopping everything in order (engine, web, simulator, postgres)…`);
      void product.stop().then(() => {
        say("everything stopped");
        process.exit(0);
      });
    });
  }

  try {
    const database = await product.startDatabase(settings.databaseUrl);
    console.log(database.embedded ? "Started embedded PostgreSQL." : "Using the PostgreSQL server of DATABASE_URL.");
    await applyMigrations(database.url);
    const simulatorBaseUrl = `http://127.0.0.1:${settings.simulatorPort}`;
    await seedIfEmpty(database.url, settings);

    const engines = engineServices(await engineCount(database.url, settings), settings.engineMetricsPort);
    await ensurePortsFree(engines.map((engine) => ({ port: engine.metricsPort, setting: "ENGINE_METRICS_PORT" })));
    const env = serviceEnv(settings, database.url, simulatorBaseUrl);
    const reuse = flags["reuse-build"] && existsSync(join(repoRoot, "apps/web/.next/BUILD_ID"));
    if (!flags.dev && !reuse) {
      // The first build takes minutes on a small machine and prints nothing until it is done: say so, and that it
      // is still going, so nobody takes it for a hang. Later starts reuse turbo's cached build in seconds.
      const startedAt = Date.now();
      const seconds = () => Math.round((Date.now() - startedAt) / 1000);
      console.log("Building the dashboard (the first start takes a few minutes; later starts reuse the build)…");
      const heartbeat = setInterval(() => console.log(`  still building the dashboard (${seconds()} s)…`), 30_000);
      const built = await run(process.execPath, [turboBin(), "run", "build", "--filter=@bandkeeper/web", "--output-logs=errors-only"], {
        cwd: repoRoot,
        env,
      }).finally(() => clearInterval(heartbeat));
      if (built !== 0) throw new Error("the web app failed to build");
      console.log(`Dashboard built in ${seconds()} s.`);
    }
    if (product.isStopping) return await new Promise<never>(() => undefined);

    product.startServices(serviceSpecs(settings, env, engines));
    const webUrl = settings.webUrl;
    // Asked on the address it listens on (every interface includes loopback).
    const listening = ["0.0.0.0", "::"].includes(settings.webHost) ? "127.0.0.1" : settings.webHost;
    const probeHost = listening.includes(":") ? `[${listening}]` : listening;
    await Promise.race([
      waitForHttp(`http://${probeHost}:${settings.webPort}/signin`, 120_000, () => product.service("web")?.child.exitCode === null),
      product.whenFailed().then((reason) => Promise.reject(new Error(reason))),
    ]);
    printWelcome(webUrl, simulatorBaseUrl, product, engines);

    const reason = await product.whenFailed();
    // A signal handler is stopping everything and exits when done.
    if (product.isStopping) return await new Promise<never>(() => undefined);
    say(`${reason}; stopping everything.`);
    await product.stop();
    return 1;
  } catch (error) {
    if (product.isStopping) return await new Promise<never>(() => undefined);
    await product.stop();
    throw error;
  }
}

async function seedIfEmpty(databaseUrl: string, settings: Settings) {
  const prisma = createPrismaClient(databaseUrl);
  try {
    if (await isSeeded(prisma)) return;
    // The demo account names no address: the engine finds the bundled simulator through SIMULATOR_URL.
    await seedDemo(prisma, { encryptionKey: settings.encryptionKey, simulator: DEMO_SIMULATOR_CREDENTIALS });
    console.log("Seeded the demo team, users and bots.");
  } finally {
    await prisma.$disconnect();
  }
}

/** ENGINE_PROCESSES, or for "auto" the bots an operator wants running now against what one engine carries. */
async function engineCount(databaseUrl: string, settings: Settings): Promise<number> {
  if (settings.engineProcesses !== "auto") return settings.engineProcesses;
  const prisma = createPrismaClient(databaseUrl);
  try {
    const runningBots = await prisma.bot.count({ where: { desiredState: "RUNNING" } });
    return engineProcessCount({ setting: "auto", runningBots, cores: availableParallelism(), botsPerProcess: settings.engineBotsPerProcess });
  } finally {
    await prisma.$disconnect();
  }
}

function serviceEnv(settings: Settings, databaseUrl: string, simulatorBaseUrl: string): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: databaseUrl,
    SIMULATOR_URL: simulatorBaseUrl,
    ENGINE_METRICS_PORT: String(settings.engineMetricsPort),
    // The raw market streams, kept for replay (apps/engine/README.md, market tapes).
    ENGINE_MARKET_TAPES_DIR: join(settings.dataDir, "market-tapes"),
    NEXTAUTH_SECRET: settings.nextAuthSecret,
    NEXTAUTH_URL: settings.webUrl,
    // Links in alert notices point at this dashboard.
    WEB_URL: settings.webUrl,
    // The web app's own mode, for the engine too: webhooks to public hosts must then be https.
    NODE_ENV: flags.dev ? "development" : "production",
    BANDKEEPER_ENCRYPTION_KEY: settings.encryptionKey,
    NEXT_TELEMETRY_DISABLED: "1",
    TURBO_TELEMETRY_DISABLED: "1",
  };
}

/** The processes of the product. The simulator and engine join as their packages provide entry points. */
function serviceSpecs(settings: Settings, env: NodeJS.ProcessEnv, engines: readonly { name: string; metricsPort: number }[]): ServiceSpec[] {
  const tsx = (file: string, args: string[]) => [ "--import", "tsx", file, ...args ];
  const specs: ServiceSpec[] = [];
  const simulatorCli = join(repoRoot, "packages/exchange-sim/src/cli.ts");
  if (existsSync(simulatorCli)) {
    specs.push({
      name: "simulator",
      command: process.execPath,
      args: tsx(simulatorCli, [
        "--port", String(settings.simulatorPort),
        "--symbols", "BTCUSDT,ETHUSDT,BNBUSDT",
        "--api-key", DEMO_SIMULATOR_CREDENTIALS.apiKey,
        "--api-secret", DEMO_SIMULATOR_CREDENTIALS.apiSecret,
        "--balances", "USDT=5000000,BTC=50,ETH=1000,BNB=5000",
        // Paper accounts, balances, orders and id sequences carry over from one start to the next.
        "--state-dir", join(settings.dataDir, "simulator"),
      ]),
      cwd: repoRoot,
      env,
    });
  }
  const engineMain = join(repoRoot, "apps/engine/src/main.ts");
  if (existsSync(engineMain)) {
    for (const engine of engines) {
      const engineEnv = { ...env, ENGINE_METRICS_PORT: String(engine.metricsPort) };
      specs.push({ name: engine.name, command: process.execPath, args: tsx(engineMain, []), cwd: join(repoRoot, "apps/engine"), env: engineEnv });
    }
  }
  const nextBin = join(repoRoot, "node_modules/next/dist/bin/next");
  specs.push({
    name: "web",
    command: process.execPath,
    args: [nextBin, flags.dev ? "dev" : "start", "-p", String(settings.webPort), "-H", settings.webHost],
    cwd: join(repoRoot, "apps/web"),
    env,
  });
  return specs;
}

function turboBin(): string {
  return join(repoRoot, "node_modules/turbo/bin/turbo");
}

function printWelcome(webUrl: string, simulatorBaseUrl: string, product: Product, engines: readonly { name: string; metricsPort: number }[]) {
  const lines = [
    "",
    "Bandkeeper is running.",
    `  Dashboard:  ${webUrl}`,
    ...engines
      .filter((engine) => product.service(engine.name))
      .map((engine) => `  ${(engines.length === 1 ? "Engine:" : `${engine.name}:`).padEnd(12)}metrics on http://127.0.0.1:${engine.metricsPort}/metrics`),
    product.service("simulator") ? `  Simulator:  ${simulatorBaseUrl} (Binance-compatible REST; streams and WebSocket API on the same port)` : "",
    `  Demo logins (password for all: ${DEMO_PASSWORD}):`,
    ...DEMO_LOGINS.map((login) => `    ${login.role.padEnd(7)} ${login.email}`),
    "Press Ctrl-C to stop.",
    "",
  ];
  console.log(lines.filter((line) => line !== "").join("\n"));
}

runScript(main, "Start-up failed");
