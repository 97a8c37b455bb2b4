// Decision cost without sockets: N bots on one symbol in this process, driven by the recorded BTCUSDT capture as
// fast as they go, against an exchange stub that acknowledges every request at once. Measures the CPU time a
// market event costs the whole fleet (so, what a fan-out of one event to N bots costs), with and without shared
// market views. Complements fleet.ts, which measures latency over real sockets. Each fleet runs `--runs` times
// (default 3) after `--warmup` runs (default 1): median, min and max, with the load average at the start and end.
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readStreamCapture } from "@bandkeeper/binance/recordings/stream-capture";
import {
  Bot,
  Decimal,
  buildInstrument,
  SequentialIdGenerator,
  defaultBotConfig,
  privateViews,
  type BookTop,
  type BotSink,
  type DecisionViews,
  type MarketTrade,
} from "@bandkeeper/core";
import { resolveSymbols } from "@bandkeeper/exchange-sim";
import { SharedDecisionViews } from "../src/exchange/decision-views";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const { values: args } = parseArgs({ options: {
    bots: { type: "string", default: "1,100,500" },
    events: { type: "string", default: "20000" },
    views: { type: "string", default: "private,shared" },
    runs: { type: "string", default: "3" },
    warmup: { type: "string", default: "1" },
  }, });

type Event = { kind: "trade"; trade: MarketTrade } | { kind: "book"; top: BookTop };

async function loadEvents(limit: number): Promise<Event[]> {
  const events: Event[] = [];
  for await (const record of readStreamCapture(join(repoRoot, "fixtures/binance/btcusdt_20240808.gz"))) {
    if (record.kind !== "market") continue;
    const e = record.event;
    const time = record.localTimeMs;
    if (e.eventType === "trade") events.push({ kind: "trade", trade: { price: e.price, qty: e.qty, time, isBuyerMaker: e.isBuyerMaker } });
    else if (e.eventType === "bookTicker") events.push({ kind: "book", top: { bidPrice: e.bidPrice, bidQty: e.bidQty, askPrice: e.askPrice, askQty: e.askQty, time } });
    if (events.length >= limit) break;
  }
  return events;
}

const info = resolveSymbols(["BTCUSDT"])![0]!;
const btcusdtInstrument = buildInstrument({ symbol: info.symbol, status: info.status, baseAsset: info.baseAsset, quoteAsset: info.quoteAsset, filters: info.filters });

const quiet: BotSink = { order: () => undefined, fill: () => undefined, state: () => undefined, event: () => undefined, log: () => undefined };

function run(size: number, views: () => DecisionViews, events: readonly Event[]) {
  let now = events[0]?.kind === "trade" ? events[0].trade.time : (events[0] as { top: BookTop }).top.time;
  const clock = { now: () => now };
  const replies: (() => void)[] = [];
  let exchangeId = 0;
  const shared = views();
  const bots = Array.from({ length: size }, (_, i) => {
    const bot: Bot = new Bot(
      { botId: `b${i}`, symbol: "BTCUSDT" },
      {
        clock,
        ids: new SequentialIdGenerator(`b${i}-`),
        execution: {
          place: (r) => void replies.push(() => bot.onPlaceAcknowledged(r.clientOrderId, String(++exchangeId))),
          cancel: (_s, id) => void replies.push(() => bot.onCancelAcknowledged(id)),
          query: () => undefined,
          fills: () => undefined,
        },
        balances: { balances: () => ({ base: { free: new Decimal(1_000), locked: new Decimal(0) }, quote: { free: new Decimal(1e8), locked: new Decimal(0) } }) },
        budget: { tryConsume: () => true },
        sink: quiet,
        views: shared,
      },
      defaultBotConfig,
      btcusdtInstrument,
    );
    bot.start([]);
    return bot;
  });
  let decisions = 0;
  const started = process.cpuUsage();
  for (const event of events) {
    now = event.kind === "trade" ? event.trade.time : event.top.time;
    for (const bot of bots) {
      if (event.kind === "trade") bot.onTrade(event.trade);
      else bot.onBookTop(event.top);
      decisions++;
    }
    for (const reply of replies.splice(0)) reply();
  }
  const cpu = process.cpuUsage(started);
  const cpuUs = cpu.user + cpu.system;
  return {
    bots: size,
    events: events.length,
    quoting: bots.filter((b) => b.currentState.state === "QUOTING").length,
    cpuUsPerEventForFleet: Math.round((cpuUs / events.length) * 10) / 10,
    cpuUsPerBotEvent: Math.round((cpuUs / decisions) * 100) / 100,
  };
}

/**
 * Each fleet run `runs` times afresh after `warmup` runs left out (the first run pays for compiling the hot path):
 * the CPU per event as median, min and max over the runs.
 */
function repeated(size: number, views: () => DecisionViews, events: readonly Event[]) {
  for (let i = 0; i < Number(args.warmup); i++) run(size, views, events);
  const runs = Array.from({ length: Number(args.runs) }, () => run(size, views, events));
  const spread = (pick: (r: (typeof runs)[number]) => number) => {
    const sorted = runs.map(pick).sort((a, b) => a - b);
    return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
  };
  const { bots, quoting } = runs[0]!;
  return { bots, events: events.length, runs: runs.length, quoting, cpuUsPerEventForFleet: spread((r) => r.cpuUsPerEventForFleet), cpuUsPerBotEvent: spread((r) => r.cpuUsPerBotEvent) };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const events = await loadEvents(Number(args.events));
const result: Record<string, unknown> = { loadAverageAtStart: loadavg().map(round2) };
const modes = args.views.split(",");
for (const size of args.bots.split(",").map(Number)) {
  if (modes.includes("private")) result[`bots${size}Private`] = repeated(size, () => privateViews, events);
  if (modes.includes("shared")) result[`bots${size}Shared`] = repeated(size, () => new SharedDecisionViews(), events);
}
result.loadAverageAtEnd = loadavg().map(round2);
process.stdout.write(JSON.stringify(result) + "\n");
