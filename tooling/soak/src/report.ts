// The soak's one JSON document and the invariants that decide its exit status.
import type { Comparison } from "./compare";
import type { DatabaseRecord } from "./database";
import type { BotStart, GracefulStop, UnexpectedExit } from "./engines";
import { faultPhaseEventRate } from "./event-rate";
import type { InjectedFault } from "./injector";
import { measureOutage, presenceReport, type FaultWindow, type PresenceSample } from "./presence";
import { FAULT_KINDS } from "./schedule";
import type { SoakBot } from "./seed";
import type { OpenSnapshot } from "./simulator-host";

export const MIN_TWO_SIDED_OUTSIDE_OUTAGES = 0.995;
/** Issue 11: the event table grows by fewer than 10 rows per bot per minute in a volatile soak minute. */
export const MAX_EVENT_ROWS_PER_BOT_MINUTE = 10;

export interface ReportInput {
  minutes: number;
  seed: number;
  workDir: string;
  /** From the engines' start to their stop, warm-up included: the span the event rows cover. */
  engineMinutes: number;
  /** When the fault phase began (epoch ms): its minutes are the "volatile soak minutes" the event rate is judged on. */
  faultPhaseStartedAt: number;
  /** The machine's 1-minute load average at the start and at the end (a soak shares the CPUs). */
  loadAverage: [number, number];
  bots: SoakBot[];
  accounts: number;
  engines: number;
  warmUpS: number | null;
  injected: InjectedFault[];
  engineKills: number;
  unexpectedExits: UnexpectedExit[];
  botStarts: BotStart[];
  samples: PresenceSample[];
  sampleIntervalMs: number;
  failedSamples: number;
  shutdown: GracefulStop[];
  openAfterStop: OpenSnapshot["open"];
  comparison: Comparison;
  database: DatabaseRecord;
  engineLog: { level: string; msg: string; count: number }[];
  /** Per client order id in the examples: the bot events that name it. */
  eventsNamingExamples: Record<string, string[]>;
}

export interface Invariant {
  name: string;
  ok: boolean;
  value: number | string | null;
  limit: string;
}

export function buildReport(input: ReportInput): { report: Record<string, unknown>; ok: boolean } {
  const windows: FaultWindow[] = input.injected.map((fault) => ({
    kind: fault.kind,
    startMs: fault.startMs,
    faultEndMs: fault.faultEndMs,
    endMs: fault.faultEndMs + fault.recoveryMs,
  }));
  const presence = presenceReport(input.samples, windows, input.bots.length);
  const byKind = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, input.injected.filter((f) => f.kind === kind && !f.error).length]));
  const failedFaults = input.injected.filter((fault) => fault.error);
  const c = input.comparison;
  const orphans = { count: input.openAfterStop.length, examples: input.openAfterStop.slice(0, 5) };
  const kpiByBot = new Map(input.database.kpiTwoSided.map((k) => [k.botId, k]));
  const eventRate = faultPhaseEventRate(input.database.botEventTimes, input.bots.map((bot) => bot.id), input.faultPhaseStartedAt, input.minutes);

  const invariants: Invariant[] = [
    zero("missing orders", c.missing.orders.count),
    zero("missing fills", c.missing.fills.count),
    zero("doubled orders and fills", c.doubled.orders.count + c.doubled.fills.count),
    zero("fills the exchange never made", c.phantomFills.count),
    zero("untracked-filled orders", c.untrackedFilled.count),
    zero("orphan orders after the graceful stop", orphans.count),
    zero("inconsistent order rows", c.inconsistent.count),
    {
      name: "two-sided outside outages",
      ok: presence.outsideOutages.twoSided !== null && presence.outsideOutages.twoSided >= MIN_TWO_SIDED_OUTSIDE_OUTAGES,
      value: presence.outsideOutages.twoSided,
      limit: `>= ${MIN_TWO_SIDED_OUTSIDE_OUTAGES}`,
    },
    {
      name: "event rows per bot in the busiest fault-phase minute",
      ok: (eventRate.busiestMinute?.perBot ?? 0) < MAX_EVENT_ROWS_PER_BOT_MINUTE,
      value: eventRate.busiestMinute?.perBot ?? 0,
      limit: `< ${MAX_EVENT_ROWS_PER_BOT_MINUTE}`,
    },
    // The soak proves nothing unless it exercised the product: every fault kind, and trades to account for.
    { name: "every fault kind injected", ok: FAULT_KINDS.every((kind) => (byKind[kind] ?? 0) > 0), value: failedFaults.length, limit: "each kind >= 1, failures listed in faults.failed" },
    { name: "exchange trades to account for", ok: c.fills.exchange > 0, value: c.fills.exchange, limit: "> 0" },
  ];
  const ok = invariants.every((invariant) => invariant.ok);

  const report = {
    ok,
    soak: {
      minutes: input.minutes,
      seed: input.seed,
      accounts: input.accounts,
      bots: input.bots.length,
      engines: input.engines,
      warmUpS: input.warmUpS,
      loadAverage: input.loadAverage,
      workDir: input.workDir,
    },
    faults: {
      injected: byKind,
      total: input.injected.length,
      failed: failedFaults.map((fault) => ({ kind: fault.kind, error: fault.error })),
    },
    kills: {
      engineSigkills: input.engineKills,
      postgresCrashes: byKind.postgresCrash,
      unexpectedEngineExits: input.unexpectedExits,
    },
    orders: c.orders,
    fills: c.fills,
    missing: c.missing,
    doubled: c.doubled,
    phantomFills: c.phantomFills,
    untrackedFilled: c.untrackedFilled,
    orphans,
    inconsistent: c.inconsistent,
    eventsNamingExamples: input.eventsNamingExamples,
    outages: input.injected.map((fault, index) => {
      const window = windows[index] as FaultWindow;
      return {
        kind: fault.kind,
        atS: seconds(fault.startMs),
        injectedS: seconds(fault.faultEndMs - fault.startMs),
        windowS: seconds(window.endMs - window.startMs),
        ...measureOutage(input.samples, window, input.sampleIntervalMs),
        ...fault.detail,
        ...(fault.kind === "engineKill" ? { botsStartedByEngine: startsByEngine(input.botStarts, window) } : {}),
      };
    }),
    twoSided: {
      source: "simulator open orders sampled every second: a bid and an ask resting, each with >= minNotional left",
      outsideOutages: presence.outsideOutages,
      insideOutages: presence.insideOutages,
      failedSamples: input.failedSamples,
      perBot: input.bots.map((bot, index) => ({
        symbol: bot.symbol,
        account: bot.apiKey,
        outsideOutages: presence.outsidePerBot[index] ?? null,
        kpiMinuteRows: kpiByBot.get(bot.id)?.twoSided ?? null,
      })),
    },
    shutdown: input.shutdown,
    botEvents: {
      rows: input.database.botEvents,
      perBotPerMinute: round2(input.database.botEvents / Math.max(1, input.bots.length) / Math.max(input.engineMinutes, 1 / 60)),
      faultPhase: eventRate,
      finalStates: input.database.botStates,
    },
    engineLog: input.engineLog.slice(0, 12),
    invariants,
  };
  return { report, ok };
}

/** Per engine, the bots it started inside the window: the other engine's count is the takeover. */
function startsByEngine(starts: readonly BotStart[], window: FaultWindow): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const start of starts) {
    if (start.atMs >= window.startMs && start.atMs <= window.endMs) counts[`engine${start.engine}`] = (counts[`engine${start.engine}`] ?? 0) + 1;
  }
  return counts;
}

function zero(name: string, value: number): Invariant {
  return { name, ok: value === 0, value, limit: "0" };
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
