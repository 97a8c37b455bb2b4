// `npm start`: the whole product on one machine. Database (embedded unless DATABASE_URL is set), migrations,
// demo seed, exchange simulator, engine and the web app in production mode; Ctrl-C stops all of it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createPrismaClient } from "@bandkeeper/db/client";
import { applyMigrations } from "@bandkeeper/db/migrate";
import { startDatabase } from "@bandkeeper/db/postgres";
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_SIMULATOR_CREDENTIALS, isSeeded, seedDemo } from "@bandkeeper/db/seed";
import { run, startService, stopServices, waitForHttp, type RunningService, type ServiceSpec } from "./processes";
import { runScript } from "./script";
import { loadSettings, repoRoot, type Settings } from "./settings";

const { values: flags } = parseArgs({ options: { dev: { type: "boolean", default: false } } });

async function main(): Promise<number> {
  const settings = loadSettings();
  if (settings.generatedSecrets.length > 0) {
    console.log(`Generated ${settings.generatedSecrets.join(" and ")} for this machine (kept in ${settings.dataDir}).`);
  }

  const database = await startDatabase({ projectDataDir: settings.dataDir, databaseUrl: settings.databaseUrl });
  console.log(database.embedded ? "Started embedded PostgreSQL." : "Using the PostgreSQL server of DATABASE_URL.");
  const services: RunningService[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      await stopServices(services);
      await database.stop();
    })());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.log(`\n${signal}: stopping everything…`);
      void stopAll().then(() => process.exit(0));
    });
  }

  try {
    await applyMigrations(database.url);
    const simulatorBaseUrl = `http://127.0.0.1:${settings.simulatorPort}`;
    await seedIfEmpty(database.url, settings);

    const env = serviceEnv(settings, database.url, simulatorBaseUrl);
    if (!flags.dev) {
      const built = await run(process.execPath, [turboBin(), "run", "build", "--filter=@bandkeeper/web", "--output-logs=errors-only"], {
        cwd: repoRoot,
        env,
      });
      if (built !== 0) throw new Error("the web app failed to build");
    }

    const specs = serviceSpecs(settings, env);
    specs.forEach((spec, index) => services.push(startService(spec, index)));
    const web = services.find((service) => service.name === "web");
    const webUrl = `http://localhost:${settings.webPort}`;
    await waitForHttp(`${webUrl}/signin`, 120_000, () => web?.child.exitCode === null);

    printWelcome(settings, webUrl, simulatorBaseUrl, services);
    const firstExit = await Promise.race(services.map(async (service) => ({ service, code: await service.exited })));
    if (stopping) {
      // A signal is stopping everything in order; the first service to go is only the start of that.
      await stopping;
      return 0;
    }
    console.error(`${firstExit.service.name} exited with code ${firstExit.code}; stopping everything.`);
    await stopAll();
    return 1;
  } catch (error) {
    await stopAll();
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

function serviceEnv(settings: Settings, databaseUrl: string, simulatorBaseUrl: string): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: databaseUrl,
    SIMULATOR_URL: simulatorBaseUrl,
    ENGINE_METRICS_PORT: String(settings.engineMetricsPort),
    NEXTAUTH_SECRET: settings.nextAuthSecret,
    NEXTAUTH_URL: `http://localhost:${settings.webPort}`,
    // Links in alert notices point at this dashboard.
    WEB_URL: `http://localhost:${settings.webPort}`,
    BANDKEEPER_ENCRYPTION_KEY: settings.encryptionKey,
    NEXT_TELEMETRY_DISABLED: "1",
    TURBO_TELEMETRY_DISABLED: "1",
  };
}

/** The processes of the product. The simulator and engine join as their packages provide entry points. */
function serviceSpecs(settings: Settings, env: NodeJS.ProcessEnv): ServiceSpec[] {
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
      ]),
      cwd: repoRoot,
      env,
    });
  }
  const engineMain = join(repoRoot, "apps/engine/src/main.ts");
  if (existsSync(engineMain)) {
    specs.push({ name: "engine", command: process.execPath, args: tsx(engineMain, []), cwd: join(repoRoot, "apps/engine"), env });
  }
  const nextBin = join(repoRoot, "node_modules/next/dist/bin/next");
  specs.push({
    name: "web",
    command: process.execPath,
    args: [nextBin, flags.dev ? "dev" : "start", "-p", String(settings.webPort)],
    cwd: join(repoRoot, "apps/web"),
    env,
  });
  return specs;
}

function turboBin(): string {
  return join(repoRoot, "node_modules/turbo/bin/turbo");
}

function printWelcome(settings: Settings, webUrl: string, simulatorBaseUrl: string, services: RunningService[]) {
  const lines = [
    "",
    "Bandkeeper is running.",
    `  Dashboard:  ${webUrl}`,
    services.some((s) => s.name === "engine") ? `  Engine:     metrics on http://127.0.0.1:${settings.engineMetricsPort}/metrics` : "",
    services.some((s) => s.name === "simulator") ? `  Simulator:  ${simulatorBaseUrl} (Binance-compatible REST; streams and WebSocket API on the same port)` : "",
    `  Demo logins (password for all: ${DEMO_PASSWORD}):`,
    ...DEMO_LOGINS.map((login) => `    ${login.role.padEnd(7)} ${login.email}`),
    "Press Ctrl-C to stop.",
    "",
  ];
  console.log(lines.filter((line) => line !== "").join("\n"));
}

runScript(main, "Start-up failed");
