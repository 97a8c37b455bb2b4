// `npm run sim -- --port 8765 --symbols BTCUSDT,ETHUSDT --api-key KEY --api-secret SECRET
//   --balances USDT=1000000,BTC=10,ETH=100 [--replay FILE ...] [--speed N]`
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { invocationDir } from "./env";
import { startExchangeSimulator, type AccountOptions, type MarketOptions, type SimulatorOptions } from "./index";

const usage = `usage: npm run sim -- [options]
  --port N                 listen port (default 8765; 0 picks a free port)
  --host HOST              listen address (default 127.0.0.1)
  --symbols A,B            symbols to list (default BTCUSDT,ETHUSDT,BNBUSDT)
  --api-key KEY            API key of the account to create
  --api-secret SECRET      its HMAC secret, or
  --ed25519-public-key K   its Ed25519 public key (PEM text, a PEM file path, or 32 raw bytes in hex/base64)
  --balances A=1,B=2       its starting balances (default USDT=1000000)
  --replay FILE ...        replay recorded data (stream captures, or one trades/aggTrades CSV) for the first symbol
  --speed N                replay speed (default 1)
  --seed N                 seed of the synthetic markets
  --unlimited              raise every rate limit (benchmarks, demos)
  --faults JSON            start-up faults, as POST /admin/faults takes them
  --state-dir DIR          keep accounts, keys, balances, orders, trades and id sequences in DIR across
                           restarts (an --api-key already saved there keeps its saved balances)`;

export class UsageError extends Error {}

/** `workingDir`: where relative file paths (replay files, a key file) are read from. */
export function parseCommandLine(args: readonly string[], workingDir = process.cwd()): SimulatorOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        port: { type: "string", default: "8765" },
        host: { type: "string", default: "127.0.0.1" },
        symbols: { type: "string" },
        "api-key": { type: "string" },
        "api-secret": { type: "string" },
        "ed25519-public-key": { type: "string" },
        balances: { type: "string", default: "USDT=1000000" },
        replay: { type: "string", multiple: true },
        speed: { type: "string" },
        seed: { type: "string" },
        unlimited: { type: "boolean", default: false },
        faults: { type: "string" },
        "state-dir": { type: "string" },
        help: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError("");

  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got ${values.port}`);

  const symbols = values.symbols?.split(",").map((symbol) => symbol.trim().toUpperCase());
  if (symbols?.some((symbol) => !/^[A-Z0-9]+$/.test(symbol))) throw new UsageError(`--symbols must be like BTCUSDT,ETHUSDT`);

  // `--replay a b c` as well as `--replay a --replay b`.
  const replay = [...(values.replay ?? []), ...(values.replay ? positionals : [])].map((file) => resolve(workingDir, file));
  if (!values.replay && positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (values.speed !== undefined && !values.replay) throw new UsageError("--speed only applies with --replay");
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0)) throw new UsageError(`--speed must be a positive number, got ${values.speed}`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer`);

  const market: MarketOptions = replay.length > 0 ? { replay, speed, ...(seed !== undefined ? { seed } : {}) } : seed !== undefined ? { seed } : {};

  const accounts: AccountOptions[] = [];
  const apiKey = values["api-key"];
  const secret = values["api-secret"];
  const publicKey = values["ed25519-public-key"];
  if (apiKey === undefined && (secret !== undefined || publicKey !== undefined)) throw new UsageError("--api-key is required with a secret or public key");
  if (apiKey !== undefined) {
    if ((secret === undefined) === (publicKey === undefined)) {
      throw new UsageError("give --api-key with exactly one of --api-secret and --ed25519-public-key");
    }
    accounts.push({
      apiKey,
      ...(secret !== undefined ? { apiSecret: secret } : { ed25519PublicKey: readKey(publicKey ?? "", workingDir) }),
      balances: parseBalances(values.balances),
    });
  }

  let faults: SimulatorOptions["faults"];
  if (values.faults !== undefined) {
    try {
      faults = JSON.parse(values.faults) as SimulatorOptions["faults"];
    } catch {
      throw new UsageError("--faults must be JSON, e.g. '{\"latency\":{\"restMs\":50}}'");
    }
  }

  const stateDir = values["state-dir"];
  if (stateDir === "") throw new UsageError("--state-dir needs a directory");

  const unlimited = 1_000_000_000;
  return {
    port,
    host: values.host,
    ...(stateDir !== undefined ? { stateDir: resolve(workingDir, stateDir) } : {}),
    ...(symbols ? { symbols } : {}),
    accounts,
    market,
    ...(faults ? { faults } : {}),
    ...(values.unlimited
      ? {
          rateLimits: {
            requestWeightPerMinute: unlimited,
            ordersPer10Seconds: unlimited,
            ordersPerDay: unlimited,
            rawRequestsPer5Minutes: unlimited,
          },
        }
      : {}),
  };
}

export function parseBalances(text: string): Record<string, string> {
  const balances: Record<string, string> = {};
  for (const entry of text.split(",")) {
    const match = /^([A-Za-z0-9]+)=(\d+(?:\.\d+)?)$/.exec(entry.trim());
    if (!match?.[1] || !match[2]) throw new UsageError(`--balances must be like USDT=1000000,BTC=10; bad entry "${entry}"`);
    balances[match[1].toUpperCase()] = match[2];
  }
  return balances;
}

function readKey(value: string, workingDir: string): string {
  if (value.includes("BEGIN") || /^[0-9a-fA-F]{64}$/.test(value) || /^[A-Za-z0-9+/]{43}=$/.test(value)) return value;
  try {
    return readFileSync(resolve(workingDir, value), "utf8");
  } catch {
    throw new UsageError(`--ed25519-public-key: not a key and not a readable file: ${value}`);
  }
}

async function main(): Promise<void> {
  let options: SimulatorOptions;
  try {
    options = parseCommandLine(process.argv.slice(2), invocationDir());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message !== "") console.error(`error: ${error.message}`);
    console.error(usage);
    process.exitCode = error.message === "" ? 0 : 2;
    return;
  }
  let sim;
  try {
    sim = await startExchangeSimulator(options);
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  console.log(`Bandkeeper exchange simulator (Binance Spot API)
  REST     ${sim.baseUrl}/api/v3
  streams  ${sim.wsBaseUrl}/ws/<stream>  ${sim.wsBaseUrl}/stream?streams=<a>/<b>
  WS API   ${sim.wsBaseUrl}/ws-api/v3
  admin    ${sim.baseUrl}/admin/state  (POST /admin/faults, /admin/accounts, /admin/balances, /admin/symbols/status)`);
  if (sim.state && options.stateDir !== undefined) {
    for (const note of sim.state.notes) console.error(`state: ${note}`);
    console.log(`  state    ${options.stateDir} (read in ${sim.state.stats.loadMs.toFixed(0)} ms)`);
  }
  const running = sim;
  const stop = (signal: string) => {
    console.log(`${signal}: stopping`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

// Run only as the entry point, so tests can import the argument parsing.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
