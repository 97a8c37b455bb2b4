// `npm run soak -- [--minutes N] [--seed S] [--keep]`: the product on a bad day. Its own Postgres, the simulator on
// a volatile market with a seeded schedule of every fault it has, two engines sharing five bots on two accounts,
// SIGKILLs of the engines and crash-restarts of Postgres; then a graceful stop, the exchange's record against
// Postgres, and one JSON document on stdout. Exit status 1 when an invariant fails. Progress goes to stderr.
import { randomInt } from "node:crypto";
import { setMaxListeners } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateEncryptionKey } from "@bandkeeper/db";
import { applyMigrations } from "@bandkeeper/db/migrate";
import { Children } from "./children";
import { compareRecords, exampleClientOrderIds } from "./compare";
import { eventsNaming, readDatabase } from "./database";
import { EngineFleet } from "./engines";
import { pause, runSchedule, type InjectedFault } from "./injector";
import { parseSoakOptions, UsageError, USAGE, type SoakOptions } from "./options";
import { CrashablePostgres } from "./postgres";
import { PresenceSampler, twoSidedBots } from "./presence";
import { buildReport } from "./report";
import { buildSchedule, ScheduleError } from "./schedule";
import { seedSoakDesk, type SoakDesk } from "./seed";
import { SoakSimulator } from "./simulator";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const SYMBOLS = ["BTCUSDT", "ETHUSDT", "BNBUSDT"];
const BALANCES = { USDT: "5000000", BTC: "50", ETH: "1000", BNB: "5000" };
const ENGINES = 2;
const LEASE_TTL_MS = 6_000;
const WARM_UP_LIMIT_MS = 120_000;
/** The warm-up also waits until no bot has started for this long: the engines have shared the bots out. */
const SETTLED_MS = 3_000;

const began = Date.now();
function progress(line: string): void {
  const elapsed = Math.round((Date.now() - began) / 1000);
  process.stderr.write(`[soak +${String(Math.floor(elapsed / 60)).padStart(2, "0")}:${String(elapsed % 60).padStart(2, "0")}] ${line}\n`);
}

async function main(): Promise<number> {
  let options: SoakOptions;
  let schedule;
  try {
    options = parseSoakOptions(process.argv.slice(2), () => randomInt(1, 1_000_000));
    schedule = buildSchedule({ durationMs: options.minutes * 60_000, seed: options.seed, engines: ENGINES, leaseTtlMs: LEASE_TTL_MS });
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ScheduleError)) throw error;
    if (error.message !== "") console.error(`error: ${error.message}`);
    console.error(USAGE);
    return error.message === "" ? 0 : 2;
  }

  const children = new Children();
  const abort = new AbortController();
  // Every scheduled fault waits on the signal.
  setMaxListeners(schedule.length + 10, abort.signal);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping every process the soak started`);
      abort.abort();
      void children.killAll().then(() => process.exit(130));
    });
  }
  const workDir = mkdtempSync(join(tmpdir(), "bandkeeper-soak-"));
  const logDir = join(workDir, "logs");
  mkdirSync(logDir);
  progress(`${options.minutes} min, seed ${options.seed}, ${schedule.length} faults; work folder ${workDir}`);
  try {
    const postgres = await CrashablePostgres.start(workDir, logDir, children);
    await applyMigrations(postgres.url);
    const encryptionKey = generateEncryptionKey();
    const desk = await seedSoakDesk(postgres.url, encryptionKey);
    progress(`PostgreSQL ready (pid ${postgres.pid}); ${desk.bots.length} bots on ${desk.accounts.length} accounts`);
    const simulator = await SoakSimulator.start(
      { seed: options.seed, symbols: SYMBOLS, accounts: desk.accounts.map(({ apiKey, apiSecret }) => ({ apiKey, apiSecret, balances: BALANCES })) },
      repoRoot,
      logDir,
      children,
    );
    progress(`simulator ready at ${simulator.baseUrl}`);

    const loadAtStart = loadavg()[0] ?? 0;
    const enginesStartedAt = Date.now();
    let startedAt = enginesStartedAt;
    const engines = new EngineFleet(
      { repoRoot, logDir, databaseUrl: postgres.url, simulatorUrl: simulator.baseUrl, encryptionKey, leaseTtlMs: LEASE_TTL_MS },
      children,
      ENGINES,
      () => Date.now() - startedAt,
    );
    engines.startAll();
    const warmUpS = await warmUp(simulator, desk, engines, abort.signal);
    progress(warmUpS === null ? "warm-up: not every bot two-sided and settled yet; starting anyway" : `every bot two-sided and settled after ${warmUpS} s`);

    startedAt = Date.now();
    const sampler = new PresenceSampler(() => simulator.open(), desk.bots, desk.minNotional, startedAt);
    sampler.start();
    const injected = await runSchedule(schedule, { simulator, engines, postgres, startedAt, signal: abort.signal, progress });
    await pause(startedAt + options.minutes * 60_000 - Date.now(), abort.signal);
    sampler.stop();
    if (abort.signal.aborted) return 130;

    progress("fault phase over: stopping the engines gracefully");
    const shutdown = await engines.stopAll();
    const engineMinutes = (Date.now() - enginesStartedAt) / 60_000;
    const openAfterStop = (await simulator.open()).open;
    const record = await simulator.record();
    const database = await readDatabase(postgres.url);
    const comparison = compareRecords({
      accountIds: new Map(desk.accounts.map((account) => [account.apiKey, account.id])),
      exchangeOrders: record.orders,
      exchangeTrades: record.trades,
      dbOrders: database.orders,
      dbFills: database.fills,
    });
    const history = await eventsNaming(postgres.url, exampleClientOrderIds(comparison));
    const { report, ok } = buildReport({
      minutes: options.minutes,
      seed: options.seed,
      workDir,
      engineMinutes,
      faultPhaseStartedAt: startedAt,
      loadAverage: [round2(loadAtStart), round2(loadavg()[0] ?? 0)],
      bots: desk.bots,
      accounts: desk.accounts.length,
      engines: ENGINES,
      warmUpS,
      injected,
      engineKills: engines.kills,
      unexpectedExits: engines.unexpectedExits,
      botStarts: engines.botStarts(startedAt),
      samples: sampler.samples,
      sampleIntervalMs: sampler.intervalMs,
      failedSamples: sampler.failedReads,
      shutdown,
      openAfterStop,
      comparison,
      database,
      engineLog: engines.logTally(),
      eventsNamingExamples: Object.fromEntries(history),
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    writePresenceTimeline(join(workDir, "presence.json"), desk, injected, sampler);

    await children.stop(simulator.child, 10_000);
    await postgres.stop();
    const keep = options.keep || !ok;
    if (!keep) rmSync(workDir, { recursive: true, force: true });
    progress(`${ok ? "every invariant holds" : "INVARIANTS FAILED (see invariants)"}; work folder ${keep ? `kept: ${workDir}` : "removed"}`);
    return ok ? 0 : 1;
  } finally {
    await children.killAll();
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Each second's sample as one character per bot (1 two-sided, 0 not), beside the fault windows: the evidence. */
function writePresenceTimeline(file: string, desk: SoakDesk, injected: InjectedFault[], sampler: PresenceSampler): void {
  const bots = desk.bots.map((bot) => `${bot.apiKey}/${bot.symbol}`);
  const windows = injected.map(({ kind, startMs, faultEndMs, recoveryMs }) => ({ kind, startMs, faultEndMs, endMs: faultEndMs + recoveryMs }));
  const samples = sampler.samples.map((sample) => [sample.atMs, sample.twoSided.map((present) => (present ? "1" : "0")).join("")]);
  writeFileSync(file, JSON.stringify({ bots, windows, samples }));
}

/**
 * Seconds until every bot rests a bid and an ask on the exchange and no bot has started for SETTLED_MS; null if that
 * takes longer than the limit. Engines started together share the bots out by design: the first one up claims them
 * all, the other's arrival makes some surplus, and those move (a stop there, a start here). That is start-up, not
 * a fault, so the fault phase and its presence figures begin once it is over.
 */
async function warmUp(simulator: SoakSimulator, desk: SoakDesk, engines: EngineFleet, signal: AbortSignal): Promise<number | null> {
  const start = Date.now();
  while (Date.now() - start < WARM_UP_LIMIT_MS) {
    const snapshot = await simulator.open();
    const lastStart = Math.max(0, ...engines.botStarts(0).map((botStart) => botStart.atMs));
    const settled = Date.now() - lastStart >= SETTLED_MS;
    if (settled && twoSidedBots(snapshot, desk.bots, desk.minNotional).every(Boolean)) return Math.round((Date.now() - start) / 100) / 10;
    if (!(await pause(500, signal))) return null;
  }
  return null;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("soak failed:", error);
    process.exit(1);
  },
);
