// Shared set-up for the engine's integration tests: a real simulator whose public market the test steers, a
// fresh migrated Postgres database seeded with the demo desk, the engine in-process or as a child process, and
// polling helpers (no sleeps: every wait is for a condition, with a generous deadline for loaded machines).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { generateEncryptionKey, parseEncryptionKey } from "@bandkeeper/db";
import type { Prisma } from "@bandkeeper/db/client";
import { DEMO_SIMULATOR_CREDENTIALS, seedDemo } from "@bandkeeper/db/seed";
import { createTestDatabase, type TestDatabase } from "@bandkeeper/db/testing";
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import Decimal from "decimal.js";
import { Supervisor, type SupervisorTiming } from "../../src/fleet/supervisor";
import { createLogger } from "../../src/observability/log";
import { EngineMetrics } from "../../src/observability/metrics";
import { wallClock } from "../../src/wall-clock";
import { type BotLogEntry } from "@bandkeeper/core";
import type { MarketModel, MarketStep, PublicTrade } from "@bandkeeper/exchange-sim/market/model";
import { testServerUrl, until } from "@bandkeeper/testkit";

export { until };

export const SYMBOLS = ["BTCUSDT", "ETHUSDT", "BNBUSDT"] as const;
const START_MIDS: Record<string, string> = { BTCUSDT: "60000", ETHUSDT: "3000", BNBUSDT: "550" };
const TICKS: Record<string, string> = { BTCUSDT: "0.01", ETHUSDT: "0.01", BNBUSDT: "0.01" };

/**
 * A public market the test moves by hand: a one-tick-wide book around `mid` refreshed every 100 ms (the quantity
 * alternates so every step is a book change), and two small public trades at the touch per step so trade-based
 * reference prices have data. `print` adds a trade of the test's choosing (e.g. through a resting quote).
 */
export class SteeredMarket implements MarketModel {
  readonly finished = false;
  private mid: Decimal;
  private readonly tick: Decimal;
  private nextStep: number | undefined;
  private steps = 0;
  private readonly extraTrades: PublicTrade[] = [];

  constructor(
    readonly symbol: string,
    mid: string = START_MIDS[symbol] ?? "100",
  ) {
    this.mid = new Decimal(mid);
    this.tick = new Decimal(TICKS[symbol] ?? "0.01");
  }

  get midPrice(): Decimal {
    return this.mid;
  }

  /** Resolves once `count` more market steps (100 ms each) have been emitted: paces a scripted move. */
  async afterSteps(count: number): Promise<void> {
    const target = this.steps + count;
    await until(() => (this.steps >= target ? true : undefined), 10_000 + count * 100, `${count} market steps`);
  }

  moveTo(mid: Decimal.Value): void {
    this.mid = new Decimal(mid).toNearest(this.tick);
  }

  /** A public trade at `price`: a sell prints through bids at or above it, a buy through asks at or below it. */
  print(price: Decimal.Value, qty: string, aggressor: "SELL" | "BUY"): void {
    this.extraTrades.push({ price: new Decimal(price).toNearest(this.tick).toFixed(), qty, buyerIsMaker: aggressor === "SELL" });
  }

  advance(now: number, emit: (step: MarketStep) => void): void {
    this.nextStep ??= now;
    while (this.nextStep <= now) {
      this.steps += 1;
      const bid = this.mid.minus(this.tick).toFixed();
      const ask = this.mid.plus(this.tick).toFixed();
      const qty = this.steps % 2 === 0 ? "1" : "1.5";
      // Two small prints at the touch per step: a trade-based reference spans the last ~5 s, as on a busy pair.
      const trades: PublicTrade[] = [
        { price: bid, qty: "0.001", buyerIsMaker: true },
        { price: ask, qty: "0.001", buyerIsMaker: false },
        ...this.extraTrades.splice(0),
      ];
      emit({
        time: this.nextStep,
        reset: true,
        levels: [
          { side: "bid", price: bid, qty },
          { side: "ask", price: ask, qty },
        ],
        trades,
      });
      this.nextStep += 100;
    }
  }

  nextStepTime(): number | undefined {
    return this.nextStep;
  }
}

export interface World {
  sim: RunningSimulator;
  db: TestDatabase;
  markets: Record<string, SteeredMarket>;
  encryptionKeyText: string;
  encryptionKey: Buffer;
  accountId: string;
  botIds: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Simulator + database + demo seed (three bots on one simulator account, default config). `serverUrl`: a Postgres
 * server of the test's own (one it may stop) instead of the shared one.
 */
export async function startWorld(prefix: string, options: { runningSymbols?: readonly string[]; serverUrl?: string } = {}): Promise<World> {
  const markets = Object.fromEntries(SYMBOLS.map((symbol) => [symbol, new SteeredMarket(symbol)]));
  const sim = await startExchangeSimulator({
    port: 0,
    symbols: [...SYMBOLS],
    accounts: [{ ...DEMO_SIMULATOR_CREDENTIALS, balances: { USDT: "5000000", BTC: "50", ETH: "1000", BNB: "5000" } }],
    market: { models: markets },
  });
  let db: TestDatabase | undefined;
  try {
    db = await createTestDatabase(options.serverUrl ?? testServerUrl, prefix);
    const encryptionKeyText = generateEncryptionKey();
    const encryptionKey = parseEncryptionKey(encryptionKeyText);
    await seedDemo(db.prisma, { encryptionKey, simulator: { ...DEMO_SIMULATOR_CREDENTIALS, baseUrl: sim.baseUrl } });
    const bots = await db.prisma.bot.findMany();
    if (options.runningSymbols) {
      await db.prisma.bot.updateMany({ where: { symbol: { notIn: [...options.runningSymbols] } }, data: { desiredState: "STOPPED" } });
    }
    const accountId = sim.exchange.accountByApiKey(DEMO_SIMULATOR_CREDENTIALS.apiKey)!.accountId;
    const database = db;
    return {
      sim,
      db,
      markets,
      encryptionKeyText,
      encryptionKey,
      accountId,
      botIds: Object.fromEntries(bots.map((bot) => [bot.symbol, bot.id])),
      close: async () => {
        await sim.close();
        await database.drop();
      },
    };
  } catch (error) {
    await sim.close();
    await db?.drop();
    throw error;
  }
}

/** Replaces a bot's current config in place (before an engine runs it), e.g. a MID reference that follows at once. */
export async function setConfig(world: World, symbol: string, patch: Record<string, unknown>): Promise<void> {
  const bot = await world.db.prisma.bot.findUniqueOrThrow({ where: { id: world.botIds[symbol]! }, include: { currentConfigVersion: true } });
  const config = { ...(bot.currentConfigVersion!.config as Record<string, never>), ...patch } as Prisma.InputJsonObject;
  await world.db.prisma.botConfigVersion.update({ where: { id: bot.currentConfigVersionId! }, data: { config } });
}

export function openOrders(world: World, symbol: string) {
  return world.sim.exchange.openOrders(world.accountId, symbol);
}

/** Both sides resting on the simulator (acknowledged orders are the only ones the exchange lists). */
export function twoSided(world: World, symbol: string) {
  const open = openOrders(world, symbol);
  const bids = open.filter((o) => o.side === "BUY");
  const asks = open.filter((o) => o.side === "SELL");
  return bids.length > 0 && asks.length > 0 ? { bids, asks, open } : undefined;
}

/** Every resting order of the symbol inside the band [0.2%, 0.4%] of the market mid (with a little slack for ticks). */
export function inBand(world: World, symbol: string): boolean {
  const mid = world.markets[symbol]!.midPrice;
  const open = openOrders(world, symbol);
  return (
    open.length > 0 &&
    open.every((o) => {
      const distance = new Decimal(o.price).minus(mid).abs().div(mid);
      const onItsSide = o.side === "BUY" ? new Decimal(o.price).lt(mid) : new Decimal(o.price).gt(mid);
      return onItsSide && distance.gte(0.0019) && distance.lte(0.0041);
    })
  );
}

export function inProcessEngine(
  world: World,
  timing: Partial<SupervisorTiming> = {},
  eventLog?: (botId: string, entry: BotLogEntry) => void,
  /** Receives every log line (JSON) at info and above, when set. */
  logLines?: (line: string) => void,
): Supervisor {
  return new Supervisor({
    ...(eventLog ? { auditTrail: ({ botId }) => ({ write: (entry) => eventLog(botId, entry), close: () => Promise.resolve() }) } : {}),
    prisma: world.db.prisma,
    databaseUrl: world.db.url,
    encryptionKey: world.encryptionKey,
    defaultSimulatorUrl: world.sim.baseUrl,
    clock: wallClock,
    logger: logLines
      ? createLogger({ level: "info", write: logLines })
      : createLogger({ level: process.env.ENGINE_TEST_LOG === "1" ? "debug" : "error" }),
    metrics: new EngineMetrics(),
    timing: { journalFlushMs: 100, kpiFlushMs: 200, ...timing },
  });
}

const ENGINE_DIR = fileURLToPath(new URL("../..", import.meta.url));

export interface EngineProcess {
  child: ChildProcess;
  pid: number;
  /** JSON log lines the engine printed so far. */
  logs: Record<string, unknown>[];
  /** What it wrote to stderr (start-up errors). */
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node --import tsx src/main.ts` with the world's settings; node itself is the child, so its PID is the engine. */
export function spawnEngine(world: World, env: Record<string, string> = {}): EngineProcess {
  return spawnEngineProcess({
    DATABASE_URL: world.db.url,
    BANDKEEPER_ENCRYPTION_KEY: world.encryptionKeyText,
    SIMULATOR_URL: world.sim.baseUrl,
    ...env,
  });
}

/** The engine with exactly these settings (plus PATH and info logs) and arguments. */
export function spawnEngineProcess(env: Record<string, string>, args: string[] = []): EngineProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    cwd: ENGINE_DIR,
    env: { PATH: process.env.PATH ?? "", ENGINE_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let buffered = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  const stderr: string[] = [];
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      if (stderr.length > 0 && process.env.ENGINE_TEST_LOG === "1") console.error(stderr.join(""));
      resolve({ code, signal });
    }),
  );
  if (child.pid === undefined) throw new Error("engine process did not start");
  return { child, pid: child.pid, logs, stderr, exited };
}

/** Stops a child engine the test started, if it is still running (SIGKILL: cleanup only). */
export async function killEngine(engine: EngineProcess | undefined): Promise<void> {
  if (!engine || engine.child.exitCode !== null || engine.child.signalCode !== null) return;
  engine.child.kill("SIGKILL");
  await engine.exited;
}
