// Replay: the live Bot kernel over a recorded market, as a discrete-event simulation on a simulated clock.
// One queue, ordered by (time, sequence), holds everything that happens: recorded market events reaching the bot at
// their recorded local receive time, the simulated exchange playing the recorded book and trades `latencyMs` earlier
// (the time they took to reach the recorder), messages between bot and exchange in flight for `latencyMs` each way,
// and the bot's tick as a timer: after each tick the next is due when the bot says (`Bot.nextTickAt`), and any
// other happening may bring it forward, so a quiet stretch costs no ticks the bot does not need. Nothing reads the
// wall clock and nothing is random: the same recording and config give the same report every run.
import { Decimal, ManualClock, SequentialIdGenerator, buildInstrument, summariseKpis, type BotConfig, type KpiMinuteBucket, type KpiSummary, Bot, type BotIdentity, type BotLogEntry, type BotSink, type BotState } from "@bandkeeper/core";
import { SimulatedExchange, type SymbolInfo } from "@bandkeeper/exchange-sim";
import { ReplayMarket } from "@bandkeeper/exchange-sim/market/replay";
import type { ReplayRecord } from "@bandkeeper/exchange-sim/market/replay";
import { DepthBook } from "./depth-book";
import { EventQueue } from "./event-queue";
import { loadRecording, RecordingError, type BotMarketEvent, type Recording } from "./recording";
import { reportOf, type ReplayReport } from "./replay-report";
import { builtInSymbol, tickSizeOf } from "./symbols";
import { VenueLink } from "./venue-link";

export { reportOf, type ReplayReport } from "./replay-report";

export const DEFAULT_LATENCY_MS = 10;
export const DEFAULT_TICK_MS = 100;
/** The simulated account's quote balance; the base balance is worth the same at the first trade's price. */
const QUOTE_FUNDS = new Decimal("1000000");

export interface ReplaySettings {
  /** A built-in symbol's name, or any symbol's definition (see symbols.ts: from exchangeInfo or flags). */
  readonly symbol: string | SymbolInfo;
  readonly config: BotConfig;
  /** One-way delay of every message between bot and exchange (default 10 ms). */
  readonly latencyMs?: number;
  /** The tick interval the bot is asked about (`Bot.nextTickAt(now, tickMs)`; default 100 ms). */
  readonly tickMs?: number;
  /** Receives the bot's audit trail (BotSink.log entries) in order. */
  readonly onLog?: (entry: BotLogEntry) => void;
  /** Also log every market event the bot receives (the sink's `auditing`), e.g. for the HTML report's market line. */
  readonly logMarket?: boolean;
  /** Called every `progressEvery` happenings (default 20,000) and once at the end, for a progress line on long tapes. */
  readonly onProgress?: (progress: ReplayProgress) => void;
  readonly progressEvery?: number;
}

export interface ReplayProgress {
  /** Simulated ms replayed so far, out of the tape's total. */
  readonly doneMs: number;
  readonly totalMs: number;
  /** Queue entries handled so far (market events, exchange steps, messages, ticks). */
  readonly happenings: number;
}


export interface ReplayResult {
  readonly report: ReplayReport;
  readonly summary: KpiSummary;
  readonly buckets: readonly KpiMinuteBucket[];
  /** Simulated span (epoch ms), the bot's state at the end, and how much happened. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly finalState: { state: BotState; reason: string | null };
  readonly counts: { readonly marketEvents: number; readonly depthUpdates: number; readonly exchangeSteps: number; readonly messages: number; readonly ticks: number; readonly fills: number };
}

export class ReplaySetupError extends Error {
  override name = "ReplaySetupError";
}

/** Reads the recordings and replays them (see `simulateReplay`). */
export async function runReplay(files: readonly string[], settings: ReplaySettings): Promise<ReplayResult> {
  const info = symbolInfoOf(settings.symbol);
  return simulateReplay(await loadRecording(files, info.symbol, tickSizeOf(info)), settings);
}

type Happening =
  | { readonly kind: "start" }
  | { readonly kind: "market"; readonly event: BotMarketEvent }
  | { readonly kind: "depth"; readonly record: ReplayRecord }
  | { readonly kind: "exchange" }
  | { readonly kind: "tick" }
  | { readonly kind: "message"; readonly deliver: () => void };

export function simulateReplay(recording: Recording, settings: ReplaySettings): ReplayResult {
  const latencyMs = settings.latencyMs ?? DEFAULT_LATENCY_MS;
  const tickMs = settings.tickMs ?? DEFAULT_TICK_MS;
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new ReplaySetupError(`latency must be a non-negative number of ms, got ${latencyMs}`);
  if (!(Number.isFinite(tickMs) && tickMs > 0)) throw new ReplaySetupError(`tick interval must be a positive number of ms, got ${tickMs}`);
  const info = symbolInfoOf(settings.symbol);
  const instrument = buildInstrument({ symbol: info.symbol, status: info.status, baseAsset: info.baseAsset, quoteAsset: info.quoteAsset, filters: info.filters });
  const { botEvents, exchangeRecords } = recording;
  const firstEvent = botEvents[0];
  if (!firstEvent) throw new RecordingError("the recording has no market events for the bot");
  const startedAt = eventTime(firstEvent);
  const endedAt = recording.end;

  const queue = new EventQueue<Happening>();
  const firstRecord = exchangeRecords[0];
  const clock = new ManualClock(Math.floor(Math.min(startedAt, firstRecord ? firstRecord.time - latencyMs : startedAt)) - 1);
  // The exchange saw each recorded change `latencyMs` before the recorder did.
  const market = new ReplayMarket(info.symbol, exchangeRecords, firstRecord ? { startAt: firstRecord.time - latencyMs } : {});
  let listenerFailure: Error | undefined;
  const exchange = new SimulatedExchange({
    clock,
    symbols: [info],
    markets: { [info.symbol]: market },
    onListenerError: (error) => (listenerFailure ??= error instanceof Error ? error : new Error("a replay listener failed", { cause: error })),
  });
  const { accountId } = exchange.createAccount({
    apiKey: "replay",
    secret: "replay",
    balances: { [info.quoteAsset]: QUOTE_FUNDS.toFixed(), [info.baseAsset]: baseFunds(botEvents).toFixed() },
  });
  const counts = { marketEvents: 0, depthUpdates: 0, exchangeSteps: 0, messages: 0, ticks: 0, fills: 0 };
  const link = new VenueLink({
    exchange,
    accountId,
    baseAsset: info.baseAsset,
    quoteAsset: info.quoteAsset,
    clock,
    latencyMs,
    schedule: (time, deliver) => queue.push(time, { kind: "message", deliver }),
  });
  const sink: BotSink = {
    auditing: settings.logMarket ?? false,
    order: () => undefined,
    fill: () => counts.fills++,
    state: () => undefined,
    event: () => undefined,
    log: settings.onLog ?? (() => undefined),
  };
  const identity: BotIdentity = { botId: "replay", symbol: info.symbol };
  const bot = new Bot(identity, { clock, ids: new SequentialIdGenerator("rp-"), execution: link, balances: link, budget: link, sink }, settings.config, instrument);
  link.connect(bot);

  // The bot's depth book follows the recorded book changes at their recorded (local) time.
  const depthBook = new DepthBook();
  let nextDepth = 0;
  const pushNextDepth = (): void => {
    for (let record = exchangeRecords[nextDepth++]; record; record = exchangeRecords[nextDepth++]) {
      if (record.step.levels.length > 0 || record.step.reset) {
        queue.push(record.time, { kind: "depth", record });
        return;
      }
    }
  };
  let nextMarket = 0;
  const pushNextMarket = (): void => {
    const event = botEvents[nextMarket++];
    if (event) queue.push(eventTime(event), { kind: "market", event });
  };
  const pushNextExchangeStep = (): void => {
    const next = market.nextStepTime();
    if (next !== undefined) queue.push(next, { kind: "exchange" });
  };
  queue.push(startedAt, { kind: "start" });
  pushNextMarket();
  pushNextDepth();
  pushNextExchangeStep();
  // The one tick due; a superseded entry left in the queue is skipped when it comes up.
  let tickAt = startedAt + tickMs;
  queue.push(tickAt, { kind: "tick" });
  const scheduleTick = (due: number, now: number): void => {
    if (!Number.isFinite(due) || due >= tickAt) return;
    tickAt = Math.max(due, now + 1);
    queue.push(tickAt, { kind: "tick" });
  };
  let happenings = 0;
  const progressEvery = Math.max(1, settings.progressEvery ?? 20_000);
  const totalMs = endedAt - startedAt;

  for (let next = queue.pop(); next && next.time <= endedAt; next = queue.pop()) {
    clock.set(Math.max(clock.now(), next.time));
    const happening = next.item;
    switch (happening.kind) {
      case "start":
        bot.start([]);
        // A recording is a connection that never fails: the feed is live throughout, however quiet the market.
        bot.onFeedStatus({ live: true, time: clock.now() });
        break;
      case "market":
        counts.marketEvents++;
        if (happening.event.kind === "trade") bot.onTrade(happening.event.trade);
        else bot.onBookTop(happening.event.top);
        pushNextMarket();
        break;
      case "depth": {
        counts.depthUpdates++;
        const depth = depthBook.apply(happening.record.step, happening.record.time);
        if (depth) bot.onBookDepth(depth);
        pushNextDepth();
        break;
      }
      case "exchange":
        counts.exchangeSteps++;
        exchange.tick();
        pushNextExchangeStep();
        break;
      case "tick":
        if (next.time !== tickAt) continue;
        counts.ticks++;
        bot.tick();
        tickAt = Infinity;
        break;
      case "message":
        counts.messages++;
        happening.deliver();
        break;
    }
    if (listenerFailure) throw listenerFailure;
    scheduleTick(bot.nextTickAt(clock.now(), tickMs), clock.now());
    if (settings.onProgress && ++happenings % progressEvery === 0) settings.onProgress({ doneMs: clock.now() - startedAt, totalMs, happenings });
  }
  clock.set(Math.max(clock.now(), endedAt));
  settings.onProgress?.({ doneMs: totalMs, totalMs, happenings });
  link.close();
  // The record ends here: an episode still open counts as it stands.
  const buckets = bot.takeKpis({ final: true });
  const summary = summariseKpis(buckets);
  return { report: reportOf(summary), summary, buckets, startedAt, endedAt, finalState: bot.currentState, counts };
}

function symbolInfoOf(symbol: string | SymbolInfo): SymbolInfo {
  if (typeof symbol !== "string") return symbol;
  const info = builtInSymbol(symbol);
  if (!info) throw new ReplaySetupError(`unknown symbol ${symbol}: pass its SymbolInfo (symbols.ts reads exchangeInfo files and filter flags)`);
  return info;
}

function eventTime(event: BotMarketEvent): number {
  return event.kind === "trade" ? event.trade.time : event.top.time;
}

/** Base funds worth QUOTE_FUNDS at the first recorded price, so either side can be quoted all day. */
function baseFunds(events: readonly BotMarketEvent[]): Decimal {
  for (const event of events) {
    const price = event.kind === "trade" ? event.trade.price : event.top.bidPrice;
    if (price.gt(0)) return QUOTE_FUNDS.div(price).toDecimalPlaces(0, Decimal.ROUND_UP);
  }
  throw new RecordingError("the recording has no price to fund the simulated account with");
}
