// npm run replay -- --data FILE [--data FILE ...] --symbol SYMBOL [--exchange-info FILE | --tick-size ... ]
//                   [--config bot.yaml] [--latency-ms 10] [--thin N] [--mirror] [--speed K] [--json] [--events-out FILE]
//                   [--report FILE.html] [--quiet]
// Replays recorded market data through the bot kernel and the simulator's matching on a simulated clock, then
// prints the KPI report (one JSON object with --json, a table otherwise).
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { defaultBotConfig, type BotConfig, type BotLogEntry } from "@bandkeeper/core";
import { BotConfigFileError, readBotConfigFile } from "./config-file";
import { invocationDir } from "./env";
import { EVENT_LOG_VERSION, EventLogWriter } from "../audit/event-log";
import { progressPrinter } from "./progress";
import { RecordingError, loadRecording, type Recording } from "./recording";
import { formatReportTable } from "./report-format";
import { ReportCollector } from "./html-report/collector";
import { renderHtmlReport } from "./html-report/render";
import { DEFAULT_LATENCY_MS, ReplaySetupError, simulateReplay } from "./run-replay";
import { compressTape, mirrorTape, thinTape, TapeError } from "./tapes/transforms";
import { SYMBOL_FLAG_NAMES, SymbolSpecError, resolveReplaySymbol, tickSizeOf, type SymbolFlags } from "./symbols";

const USAGE = `usage: npm run replay -- --data FILE [--data FILE ...] --symbol SYMBOL [--exchange-info FILE]
                          [--tick-size X --step-size X --min-notional X ...] [--config bot.yaml]
                          [--latency-ms ${DEFAULT_LATENCY_MS}] [--thin N] [--mirror] [--speed K] [--json]
                          [--events-out FILE] [--report FILE.html] [--quiet]
  --data           raw stream capture (.gz lines "<local_ts> <combined-stream JSON>"; several play as one) or
                   data.binance.vision trades / aggTrades CSV
  --symbol         the recorded symbol; BTCUSDT, ETHUSDT and BNBUSDT are built in, any other needs its filters
  --exchange-info  a saved GET /api/v3/exchangeInfo response holding the symbol (its filters are used)
  --tick-size, --step-size, --min-qty, --max-qty, --min-notional, --base-asset, --quote-asset
                   the symbol's filters on the command line (override the file's or the built-in's)
  --config         bot config, YAML or JSON (fields left out take their defaults)
  --latency-ms     one-way delay of every message between bot and exchange (default ${DEFAULT_LATENCY_MS})
  --thin N         keep one trade in N, the book changing only at the prints kept (a thin market)
  --mirror         prices mirrored around the first trade's, bids and asks swapped (rises become falls)
  --speed K        play the tape K times faster (every span divided by K)
  --json           print one JSON object instead of the table
  --events-out     write the bot's audit trail as JSON lines (first line: the run)
  --report         write a self-contained HTML page: prices, quotes, KPI timeline and breach episodes
  --quiet          no progress lines on stderr`;

class UsageError extends Error {
  override name = "UsageError";
}

interface CliArgs {
  data: string[];
  symbol: string;
  exchangeInfo: string | undefined;
  symbolFlags: SymbolFlags;
  configPath: string | undefined;
  latencyMs: number;
  json: boolean;
  eventsOut: string | undefined;
  reportOut: string | undefined;
  quiet: boolean;
  thin: number | undefined;
  mirror: boolean;
  speed: number | undefined;
}

const symbolFlagOptions = Object.fromEntries(Object.values(SYMBOL_FLAG_NAMES).map((flag) => [flag.slice(2), { type: "string" as const }]));

function parseCli(argv: readonly string[], cwd: string): CliArgs | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: "string", multiple: true },
        symbol: { type: "string" },
        "exchange-info": { type: "string" },
        ...symbolFlagOptions,
        config: { type: "string" },
        "latency-ms": { type: "string" },
        json: { type: "boolean", default: false },
        "events-out": { type: "string" },
        report: { type: "string" },
        quiet: { type: "boolean", default: false },
        thin: { type: "string" },
        mirror: { type: "boolean", default: false },
        speed: { type: "string" },
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
  const exchangeInfo = values["exchange-info"] === undefined ? undefined : resolve(cwd, values["exchange-info"]);
  if (exchangeInfo !== undefined && !existsSync(exchangeInfo)) throw new UsageError(`no such --exchange-info file: ${exchangeInfo}`);
  const latencyText = values["latency-ms"] ?? String(DEFAULT_LATENCY_MS);
  const latencyMs = Number(latencyText);
  if (!/^\d+(\.\d+)?$/.test(latencyText) || !Number.isFinite(latencyMs)) throw new UsageError(`--latency-ms must be a non-negative number, got ${latencyText}`);
  const raw = values as Record<string, unknown>;
  const symbolFlags = Object.fromEntries(
    (Object.entries(SYMBOL_FLAG_NAMES) as [keyof SymbolFlags, string][]).flatMap(([key, flag]) => {
      const value = raw[flag.slice(2)];
      return typeof value === "string" ? [[key, value]] : [];
    }),
  ) as SymbolFlags;
  const thin = values.thin === undefined ? undefined : Number(values.thin);
  if (thin !== undefined && !(Number.isInteger(thin) && thin >= 1)) throw new UsageError(`--thin must be a whole number >= 1, got ${values.thin}`);
  const speed = values.speed === undefined ? undefined : Number(values.speed);
  if (speed !== undefined && !(Number.isFinite(speed) && speed > 0)) throw new UsageError(`--speed must be a positive number, got ${values.speed}`);
  const path = (value: string | undefined) => (value === undefined ? undefined : resolve(cwd, value));
  return {
    data,
    symbol: values.symbol.toUpperCase(),
    exchangeInfo,
    symbolFlags,
    configPath: path(values.config),
    latencyMs,
    json: values.json,
    eventsOut: path(values["events-out"]),
    reportOut: path(values.report),
    quiet: values.quiet,
    thin,
    mirror: values.mirror,
    speed,
  };
}

/** The regime benchmark's transforms, on request: thinned, then mirrored, then sped up. */
function asTape(recording: Recording, args: Pick<CliArgs, "thin" | "mirror" | "speed">): Recording {
  let tape = recording;
  if (args.thin !== undefined) tape = thinTape(tape, args.thin);
  if (args.mirror) tape = mirrorTape(tape);
  if (args.speed !== undefined) tape = compressTape(tape, args.speed);
  return tape;
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
    const info = await resolveReplaySymbol({ symbol: args.symbol, exchangeInfoFile: args.exchangeInfo, flags: args.symbolFlags });
    const startedAt = performance.now();
    const recording = asTape(await loadRecording(args.data, info.symbol, tickSizeOf(info)), args);
    writer = args.eventsOut
      ? EventLogWriter.open(args.eventsOut, {
          kind: "run",
          version: EVENT_LOG_VERSION,
          source: "replay",
          botId: "replay",
          symbol: info.symbol,
          config,
          latencyMs: args.latencyMs,
          data: args.data,
        })
      : undefined;
    const log = writer;
    const collector = args.reportOut ? new ReportCollector(recording.start, recording.end, config) : undefined;
    const listeners = [log && ((entry: BotLogEntry) => log.write(entry)), collector && ((entry: BotLogEntry) => collector.add(entry))].filter((l) => l !== undefined);
    const progress = args.quiet ? undefined : progressPrinter(err);
    const result = simulateReplay(recording, {
      symbol: info,
      config,
      latencyMs: args.latencyMs,
      ...(listeners.length > 0 ? { onLog: (entry: BotLogEntry) => listeners.forEach((listener) => listener(entry)) } : {}),
      ...(collector ? { logMarket: true } : {}),
      ...(progress ? { onProgress: progress } : {}),
    });
    writer?.end(result.endedAt);
    await writer?.close();
    if (collector && args.reportOut) {
      const html = renderHtmlReport(collector.finish(result.endedAt), {
        symbol: info.symbol,
        latencyMs: args.latencyMs,
        config,
        report: result.report,
        data: args.data,
      });
      await writeFile(args.reportOut, html);
    }
    if (args.json) {
      out(JSON.stringify(result.report));
    } else {
      out(formatReportTable(result.report, { symbol: info.symbol, latencyMs: args.latencyMs, requoteMode: config.requoteMode }));
      const simulatedMin = ((result.endedAt - result.startedAt) / 60_000).toFixed(2);
      out(`  (${simulatedMin} simulated minutes, ${result.counts.marketEvents} market events, replayed in ${((performance.now() - startedAt) / 1000).toFixed(1)} s)`);
    }
    return 0;
  } catch (error) {
    await writer?.close().catch(() => undefined);
    if (error instanceof BotConfigFileError || error instanceof RecordingError || error instanceof ReplaySetupError || error instanceof SymbolSpecError || error instanceof TapeError) {
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
