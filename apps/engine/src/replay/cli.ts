// npm run replay -- --data FILE [--data FILE ...] --symbol SYMBOL [--config bot.yaml] [--latency-ms 10] [--json]
//                   [--events-out FILE]
// Replays recorded market data through the bot kernel and the simulator's matching on a simulated clock, then
// prints the KPI report (one JSON object with --json, a table otherwise).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { defaultBotConfig, type BotConfig } from "@bandkeeper/core";
import { BotConfigFileError, readBotConfigFile } from "./config-file";
import { invocationDir } from "./env";
import { EVENT_LOG_VERSION, EventLogWriter } from "../audit/event-log";
import { RecordingError } from "./recording";
import { formatReportTable } from "./report-format";
import { DEFAULT_LATENCY_MS, ReplaySetupError, runReplay } from "./run-replay";

const USAGE = `usage: npm run replay -- --data FILE [--data FILE ...] --symbol SYMBOL [--config bot.yaml]
                          [--latency-ms ${DEFAULT_LATENCY_MS}] [--json] [--events-out FILE]
  --data        raw stream capture (.gz lines "<local_ts> <combined-stream JSON>"; several play as one) or
                data.binance.vision trades / aggTrades CSV
  --symbol      the recorded symbol (BTCUSDT, ETHUSDT or BNBUSDT)
  --config      bot config, YAML or JSON (fields left out take their defaults)
  --latency-ms  one-way delay of every message between bot and exchange (default ${DEFAULT_LATENCY_MS})
  --json        print one JSON object instead of the table
  --events-out  write the bot's audit trail as JSON lines (first line: the run)`;

class UsageError extends Error {
  override name = "UsageError";
}

interface CliArgs {
  data: string[];
  symbol: string;
  configPath: string | undefined;
  latencyMs: number;
  json: boolean;
  eventsOut: string | undefined;
}

function parseCli(argv: readonly string[], cwd: string): CliArgs | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: "string", multiple: true },
        symbol: { type: "string" },
        config: { type: "string" },
        "latency-ms": { type: "string" },
        json: { type: "boolean", default: false },
        "events-out": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  if (!values.data || values.data.length === 0) throw new UsageError("--data FILE is required");
  if (!values.symbol) throw new UsageError("--symbol SYMBOL is required");
  const data = values.data.map((file) => resolve(cwd, file));
  const missing = data.filter((file) => !existsSync(file));
  if (missing.length > 0) throw new UsageError(`no such --data file: ${missing.join(", ")}`);
  const latencyText = values["latency-ms"] ?? String(DEFAULT_LATENCY_MS);
  const latencyMs = Number(latencyText);
  if (!/^\d+(\.\d+)?$/.test(latencyText) || !Number.isFinite(latencyMs)) throw new UsageError(`--latency-ms must be a non-negative number, got ${latencyText}`);
  return {
    data,
    symbol: values.symbol.toUpperCase(),
    configPath: values.config === undefined ? undefined : resolve(cwd, values.config),
    latencyMs,
    json: values.json,
    eventsOut: values["events-out"] === undefined ? undefined : resolve(cwd, values["events-out"]),
  };
}

/** Relative paths in `argv` are resolved against `cwd`. Returns the exit code: 0 done, 2 bad input. */
export async function main(argv: readonly string[], cwd: string, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let args: CliArgs | "help";
  try {
    args = parseCli(argv, cwd);
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args === "help") {
    out(USAGE);
    return 0;
  }
  let writer: EventLogWriter | undefined;
  try {
    const config: BotConfig = args.configPath ? await readBotConfigFile(args.configPath) : defaultBotConfig;
    const startedAt = performance.now();
    writer = args.eventsOut
      ? EventLogWriter.open(args.eventsOut, {
          kind: "run",
          version: EVENT_LOG_VERSION,
          source: "replay",
          botId: "replay",
          symbol: args.symbol,
          config,
          latencyMs: args.latencyMs,
          data: args.data,
        })
      : undefined;
    const log = writer;
    const result = await runReplay(args.data, {
      symbol: args.symbol,
      config,
      latencyMs: args.latencyMs,
      ...(log ? { onLog: (entry) => log.write(entry) } : {}),
    });
    writer?.end(result.endedAt);
    await writer?.close();
    if (args.json) {
      out(JSON.stringify(result.report));
    } else {
      out(formatReportTable(result.report, { symbol: args.symbol, latencyMs: args.latencyMs, requoteMode: config.requoteMode }));
      const simulatedMin = ((result.endedAt - result.startedAt) / 60_000).toFixed(2);
      out(`  (${simulatedMin} simulated minutes, ${result.counts.marketEvents} market events, replayed in ${((performance.now() - startedAt) / 1000).toFixed(1)} s)`);
    }
    return 0;
  } catch (error) {
    await writer?.close().catch(() => undefined);
    if (error instanceof BotConfigFileError || error instanceof RecordingError || error instanceof ReplaySetupError) {
      err(error.message);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(
  process.argv.slice(2),
  invocationDir(),
  (text) => process.stdout.write(`${text}\n`),
  (text) => process.stderr.write(`${text}\n`),
);
