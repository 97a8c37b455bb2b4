// The fleet benchmark: 1, 100 and 500 bots in this process, one account each, fed the recorded BTCUSDT capture at its
// real message rate by the simulator running in its own process on loopback. Two scenarios: `oneSymbol` (every
// bot on BTCUSDT) and `pairs` (bot i on pair i, each pair replaying the capture on its own, staggered in time: a
// fleet of one bot per pair).
// Prints one JSON line: per fleet size, decision latency (market event received -> decision done, order requests
// written to the socket) p50/p99 in µs for every decision and for those that sent orders, event-loop delay p99,
// market messages and bot events per second, CPU and peak RSS. In `oneSymbol` every bot gets every event, so a
// message's last bot waits for all the others: the worst case of a fleet, not the typical one-bot-per-pair case.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createBinanceClient, simulatorBaseUrls } from "@bandkeeper/binance";
import { RateLimitBudget, SequentialIdGenerator, defaultBotConfig, BINANCE_SPOT_IP_LIMITS, Bot, type BotSink, type BotDecision, type ExecutionReplies } from "@bandkeeper/core";
import { AccountSession } from "../src/exchange/account-session";
import { instrumentFromSymbol } from "../src/exchange/instrument";
import { MarketFeed } from "../src/exchange/market-feed";
import { BotTicker } from "../src/fleet/ticker";
import { pairSymbol } from "./pairs";
import { wallClock } from "../src/wall-clock";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    fleets: { type: "string", default: "1,100,500" },
    pairs: { type: "string", default: "100" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "5" },
  },
});
const fleets = args.fleets.split(",").filter(Boolean).map(Number);
const pairFleets = args.pairs.split(",").filter(Boolean).map(Number);
const measureMs = Number(args.seconds) * 1_000;
const warmupMs = Number(args.warmup) * 1_000;
const capture = ["btcusdt_20240808.gz", "btcusdt_20240809.gz"].map((file) => join(repoRoot, "fixtures/binance", file));

interface Simulator {
  baseUrl: string;
  process: ChildProcess;
}

/** One symbol: every bot trades BTCUSDT. Pairs: bot i trades pair i (see pairs-simulator.ts). */
type Scenario = "oneSymbol" | "pairs";

const ONE_SYMBOL_SIMULATOR = [
  join(repoRoot, "packages/exchange-sim/src/cli.ts"),
  ...["--port", "0", "--symbols", "BTCUSDT", "--api-key", "bench-0", "--api-secret", "bench-secret"],
  ...["--balances", "USDT=100000000,BTC=1000", "--unlimited", "--replay", ...capture],
];

async function startSimulator(scenario: Scenario, size: number): Promise<Simulator> {
  const script =
    scenario === "pairs"
      ? [join(repoRoot, "apps/engine/bench/pairs-simulator.ts"), "--pairs", String(size), ...capture.flatMap((file) => ["--capture", file])]
      : ONE_SYMBOL_SIMULATOR;
  const child = spawn(process.execPath, ["--import", "tsx", ...script], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /REST\s+(http:\/\/\S+)\/api\/v3/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
  });
  if (scenario === "oneSymbol") {
    const admin = (path: string, body: unknown) =>
      fetch(`${baseUrl}/admin/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(
        async (response) => {
          if (!response.ok) throw new Error(`admin ${path}: ${response.status} ${await response.text()}`);
        },
      );
    await admin("rate-limits", { connectionsPer5Minutes: 1_000_000 });
    for (let i = 1; i < size; i++) {
      await admin("accounts", { apiKey: `bench-${i}`, apiSecret: "bench-secret", balances: { USDT: "100000000", BTC: "1000" } });
    }
  }
  return { baseUrl, process: child };
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function runFleet(scenario: Scenario, size: number) {
  const sim = await startSimulator(scenario, size);
  const symbolOf = (i: number) => (scenario === "pairs" ? pairSymbol(i) : "BTCUSDT");
  const baseUrls = simulatorBaseUrls(sim.baseUrl);
  const ipBudget = new RateLimitBudget({ rules: BINANCE_SPOT_IP_LIMITS });
  const decisions: number[] = [];
  const evaluations: number[] = [];
  const orderDecisions: number[] = [];
  let decisionsWithOrders = 0;
  let measuring = false;
  const sink: BotSink = {
    order: () => undefined,
    fill: () => undefined,
    state: () => undefined,
    event: () => undefined,
    log: () => undefined,
    decision: (decision: BotDecision) => {
      if (!measuring) return;
      if (decision.requests > 0) decisionsWithOrders++;
      if (decision.receivedAt === undefined) return;
      evaluations.push((decision.finishedAt - decision.startedAt) * 1_000);
      const micros = (decision.finishedAt - decision.receivedAt) * 1_000;
      decisions.push(micros);
      if (decision.requests > 0) orderDecisions.push(micros);
    },
  };

  const marketClient = createBinanceClient({ baseUrls, clock: wallClock });
  const feed = new MarketFeed(marketClient.marketStream());
  // Every pair has BTCUSDT's rules; the instrument differs only by name.
  const info = await marketClient.rest.exchangeInfo({ symbol: symbolOf(0) });
  const instrumentOf = (symbol: string) => instrumentFromSymbol({ ...info.symbols[0]!, symbol });
  const sessions: AccountSession[] = [];
  const bots: Bot[] = [];
  const cleanups: (() => void)[] = [];
  for (let start = 0; start < size; start += 50) {
    const batch = Array.from({ length: Math.min(50, size - start) }, (_, k) => start + k);
    await Promise.all(
      batch.map(async (i) => {
        const client = createBinanceClient({ baseUrls, apiKey: `bench-${i}`, apiSecret: "bench-secret", clock: wallClock });
        const session = new AccountSession({ accountId: `bench-${i}`, client, clock: wallClock, ipBudget });
        await session.start();
        sessions.push(session);
        const replies: ExecutionReplies = {
          onPlaceAcknowledged: (...a) => bot.onPlaceAcknowledged(...a),
          onPlaceRejected: (...a) => bot.onPlaceRejected(...a),
          onPlaceOutcomeUnknown: (...a) => bot.onPlaceOutcomeUnknown(...a),
          onCancelAcknowledged: (...a) => bot.onCancelAcknowledged(...a),
          onCancelRejected: (...a) => bot.onCancelRejected(...a),
          onOrderStatus: (...a) => bot.onOrderStatus(...a),
          onOrderTrades: (...a) => bot.onOrderTrades(...a),
        };
        const bot: Bot = new Bot(
          { botId: `bench-${i}`, symbol: symbolOf(i) },
          {
            clock: wallClock,
            ids: new SequentialIdGenerator(`b${i}x`),
            execution: session.executionFor(replies),
            balances: session.balancesFor("BTC", "USDT"),
            budget: session.budget(),
            sink,
            views: feed.views,
          },
          defaultBotConfig,
          instrumentOf(symbolOf(i)),
        );
        cleanups.push(session.register(symbolOf(i), bot));
        bot.start([]);
        cleanups.push(feed.watch(symbolOf(i), { onTrade: (t) => bot.onTrade(t), onBookTop: (b) => bot.onBookTop(b) }));
        bots.push(bot);
      }),
    );
  }
  let marketMessages = 0;
  const counter = { onTrade: () => measuring && marketMessages++, onBookTop: () => measuring && marketMessages++ };
  const symbols = [...new Set(Array.from({ length: size }, (_, i) => symbolOf(i)))];
  const stopCounting = symbols.map((symbol) => feed.watch(symbol, counter));
  // One timer ticks every bot with one time, as in the engine.
  const ticker = new BotTicker(wallClock, 100);
  const untick = bots.map((bot) => ticker.add((now) => bot.tick(now)));

  await new Promise((r) => setTimeout(r, warmupMs));
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpuBefore = process.cpuUsage();
  let peakRss = process.memoryUsage().rss;
  const rssProbe = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, measureMs));
  measuring = false;
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  loop.disable();
  clearInterval(rssProbe);

  untick.forEach((remove) => remove());
  stopCounting.forEach((stop) => stop());
  const quoting = bots.filter((bot) => bot.currentState.state === "QUOTING").length;
  for (const bot of bots) bot.stop("benchmark over");
  await new Promise((r) => setTimeout(r, 1_000));
  for (const cleanup of cleanups) cleanup();
  await Promise.all(sessions.map((session) => session.stop()));
  await feed.stop();
  sim.process.kill("SIGTERM");

  const summary = (values: number[]) => {
    const sorted = Float64Array.from(values).sort();
    return { p50: round(quantile(sorted, 0.5)), p99: round(quantile(sorted, 0.99)), max: round(sorted.at(-1) ?? 0), count: sorted.length };
  };
  return {
    bots: size,
    botsQuotingAtEnd: quoting,
    // Every decision after a market event: receive time to decision done (requests, if any, written).
    decisionLatencyUs: summary(decisions),
    // The subset that wrote order requests.
    orderDecisionLatencyUs: summary(orderDecisions),
    // One bot's own share of a decision (its evaluation alone, without waiting for the bots before it).
    botEvaluationUs: summary(evaluations),
    eventLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
    marketMessagesPerSecond: round((marketMessages * 1_000) / elapsedMs),
    // Messages of a symbol reach every bot on it: all bots in the one-symbol scenario, one in the pairs scenario.
    botEventsPerSecond: round((marketMessages * (scenario === "pairs" ? 1 : size) * 1_000) / elapsedMs),
    decisionsWithOrdersPerSecond: round((decisionsWithOrders * 1_000) / elapsedMs),
    cpuPercent: round(((cpu.user + cpu.system) / 1_000 / elapsedMs) * 100),
    peakRssMb: round(peakRss / 1024 / 1024),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const results: Record<Scenario, Record<string, unknown>> = { oneSymbol: {}, pairs: {} };
for (const [scenario, sizes] of [["oneSymbol", fleets], ["pairs", pairFleets]] as const) {
  for (const size of sizes) {
    process.stderr.write(`engine bench: ${size} bots, ${scenario}…\n`);
    results[scenario][`bots${size}`] = await runFleet(scenario, size);
  }
}
process.stdout.write(JSON.stringify({ measureSeconds: measureMs / 1_000, ...results }) + "\n");
process.exit(0);
