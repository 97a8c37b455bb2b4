// Plays the fault schedule against the running product: simulator faults through its admin API, SIGKILLs of the
// engines and of Postgres with their restarts. Each fault starts at its time (they may overlap) and is switched
// off when its duration is over; what each one did is recorded for the report.
import type { FaultPatch, FaultSettings } from "@bandkeeper/exchange-sim";
import type { EngineFleet } from "./engines";
import type { CrashablePostgres } from "./postgres";
import type { ScheduledFault } from "./schedule";
import type { SoakSimulator } from "./simulator";

export interface InjectedFault {
  kind: ScheduledFault["kind"];
  startMs: number;
  faultEndMs: number;
  recoveryMs: number;
  detail: Record<string, unknown>;
  error?: string;
}

const MINUTE_MS = 60_000;

export interface InjectorDeps {
  simulator: SoakSimulator;
  engines: EngineFleet;
  postgres: CrashablePostgres;
  startedAt: number;
  signal: AbortSignal;
  progress: (line: string) => void;
}

export async function runSchedule(schedule: readonly ScheduledFault[], deps: InjectorDeps): Promise<InjectedFault[]> {
  const faults = await Promise.all(
    schedule.map(async (fault) => {
      if (!(await pause(deps.startedAt + fault.atMs - Date.now(), deps.signal))) return undefined;
      return inject(fault, deps);
    }),
  );
  return faults.filter((fault): fault is InjectedFault => fault !== undefined);
}

async function inject(fault: ScheduledFault, deps: InjectorDeps): Promise<InjectedFault> {
  const { simulator, engines, postgres, signal } = deps;
  const startMs = Date.now() - deps.startedAt;
  const detail: Record<string, unknown> = {};
  let recoveryMs = fault.recoveryMs;
  const hold = () => pause(fault.durationMs, signal);
  // A count-based fault is consumed by the next requests or events; what is left when it ends was never used.
  const counted = async (patch: FaultPatch, counter: keyof FaultSettings) => {
    await simulator.faults(patch);
    await hold();
    const left = (await simulator.currentFaults())[counter] as number;
    await simulator.faults({ [counter]: 0 });
    detail.consumed = ("count" in fault ? fault.count : 0) - left;
  };
  deps.progress(`${fault.kind} ${describe(fault)}`);
  try {
    switch (fault.kind) {
      case "serverErrors":
        await counted({ serverErrorsNext: fault.count, serverErrorMode: "error" }, "serverErrorsNext");
        break;
      case "serverTimeouts":
        await counted({ serverErrorsNext: fault.count, serverErrorMode: "timeout" }, "serverErrorsNext");
        break;
      case "rateLimitBurst":
        await counted({ rateLimitNext: fault.count }, "rateLimitNext");
        // Each 429 tells the client to wait for the next minute window (Retry-After), as Binance does: the outage
        // lasts until then.
        recoveryMs += MINUTE_MS - (Date.now() % MINUTE_MS);
        break;
      case "userDataDrop":
        await counted({ userDataDropNext: fault.count }, "userDataDropNext");
        break;
      case "depthGaps":
        await counted({ dropDepthUpdates: fault.count }, "dropDepthUpdates");
        break;
      case "latency": {
        const delay = fault.delayMs;
        await simulator.faults({ latency: { restMs: delay, wsApiMs: delay, streamsMs: delay } });
        await hold();
        await simulator.faults({ latency: { restMs: 0, wsApiMs: 0, streamsMs: 0 } });
        break;
      }
      case "userDataDelay":
        await simulator.faults({ userDataDelayMs: fault.delayMs });
        await hold();
        await simulator.faults({ userDataDelayMs: 0 });
        break;
      case "clockSkew":
        await simulator.faults({ clockSkewMs: fault.skewMs });
        await hold();
        await simulator.faults({ clockSkewMs: 0 });
        break;
      case "connectionDrops":
        await simulator.dropConnections(fault.graceful);
        await simulator.faults({ dropConnectionsEveryMs: fault.everyMs, gracefulDrops: fault.graceful });
        await hold();
        await simulator.faults({ dropConnectionsEveryMs: 0, gracefulDrops: false });
        break;
      case "engineKill":
        detail.engine = fault.engine;
        await engines.kill(fault.engine);
        if (await hold()) engines.restart(fault.engine);
        break;
      case "postgresCrash":
        detail.pid = postgres.pid;
        await postgres.crash();
        if (await hold()) await postgres.restart();
        break;
    }
  } catch (error) {
    deps.progress(`${fault.kind} failed: ${String(error)}`);
    return { kind: fault.kind, startMs, faultEndMs: Date.now() - deps.startedAt, recoveryMs, detail, error: String(error) };
  }
  const faultEndMs = Date.now() - deps.startedAt;
  deps.progress(`${fault.kind} over after ${((faultEndMs - startMs) / 1000).toFixed(1)} s${"consumed" in detail ? ` (${String(detail.consumed)} consumed)` : ""}`);
  return { kind: fault.kind, startMs, faultEndMs, recoveryMs, detail };
}

function describe(fault: ScheduledFault): string {
  const seconds = `${(fault.durationMs / 1000).toFixed(1)} s`;
  switch (fault.kind) {
    case "serverErrors":
    case "serverTimeouts":
    case "rateLimitBurst":
    case "userDataDrop":
    case "depthGaps":
      return `next ${fault.count}, for up to ${seconds}`;
    case "latency":
    case "userDataDelay":
      return `${fault.delayMs} ms for ${seconds}`;
    case "clockSkew":
      return `${fault.skewMs} ms for ${seconds}`;
    case "connectionDrops":
      return `every ${fault.everyMs} ms (${fault.graceful ? "graceful" : "abrupt"}) for ${seconds}`;
    case "engineKill":
      return `engine ${fault.engine} SIGKILLed, restarted after ${seconds}`;
    case "postgresCrash":
      return `postmaster and backends SIGKILLed, restarted after ${seconds}`;
  }
}

/** Waits `ms`; resolves false at once when the soak is being aborted. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
