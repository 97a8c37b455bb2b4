// Fault injection: the ways a real exchange misbehaves, switchable at start-up and at runtime (POST /admin/faults).
// This module holds the switches and the per-request decisions; the transports act on them.

export interface LatencyFaults {
  restMs: number;
  wsApiMs: number;
  streamsMs: number;
}

export interface FaultSettings {
  latency: LatencyFaults;
  /** Server time offset in ms: moves the time the API reports and checks timestamps against. */
  clockSkewMs: number;
  /** Drop every stream and WS API connection every N ms (0 = off). */
  dropConnectionsEveryMs: number;
  /** Send serverShutdown before a dropped connection closes (false = an abrupt network drop). */
  gracefulDrops: boolean;
  /** Delay before user-data events are delivered. */
  userDataDelayMs: number;
  /** Drop this many upcoming user-data events (counted per delivery). */
  userDataDropNext: number;
  /**
   * Answer this many upcoming REST / WS API requests with a server error. "timeout" is -1007 (HTTP 503) after
   * the request WAS executed: the client sees an unknown outcome while the order exists. "error" is -1000
   * (HTTP 500) before execution.
   */
  serverErrorsNext: number;
  serverErrorMode: "timeout" | "error";
  /** Answer this many upcoming requests with 429 -1003 (without touching the real weight counters). */
  rateLimitNext: number;
  /**
   * Withhold this many upcoming depthUpdate events from every diff-depth stream subscriber while the book keeps
   * changing, so the next event's `U` jumps past the previous `u + 1`: a sequence gap a client must resync from.
   */
  dropDepthUpdates: number;
  /**
   * Market-stream connections stay open but go silent: no events, no pings, nothing read (so no pongs either), as
   * on a dead network path. New connections are accepted into the same silence. Off again, they carry on.
   */
  blackholeStreams: boolean;
}

export type FaultPatch = Partial<Omit<FaultSettings, "latency">> & { latency?: Partial<LatencyFaults> };

export const noFaults: FaultSettings = {
  latency: { restMs: 0, wsApiMs: 0, streamsMs: 0 },
  clockSkewMs: 0,
  dropConnectionsEveryMs: 0,
  gracefulDrops: false,
  userDataDelayMs: 0,
  userDataDropNext: 0,
  serverErrorsNext: 0,
  serverErrorMode: "timeout",
  rateLimitNext: 0,
  dropDepthUpdates: 0,
  blackholeStreams: false,
};

export type ServerErrorVerdict = "none" | "timeout" | "error";

/** Runtime fault state. Listeners hear about changes that need timers (connection drops). */
export class FaultInjector {
  private state: FaultSettings;
  private readonly listeners = new Set<() => void>();

  constructor(initial: FaultPatch = {}) {
    this.state = structuredClone(noFaults);
    this.apply(initial);
  }

  get settings(): Readonly<FaultSettings> {
    return this.state;
  }

  apply(patch: FaultPatch): FaultSettings {
    for (const name of Object.keys(patch)) {
      if (!(name in noFaults)) throw new Error(`unknown fault ${name}`);
    }
    for (const name of Object.keys(patch.latency ?? {})) {
      if (!(name in noFaults.latency)) throw new Error(`unknown fault latency.${name}`);
    }
    const next: FaultSettings = { ...this.state, ...patch, latency: { ...this.state.latency, ...patch.latency } };
    validate(next);
    this.state = next;
    for (const listener of this.listeners) listener();
    return this.state;
  }

  reset(): FaultSettings {
    return this.apply(structuredClone(noFaults));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Consumes one pending server error, if any. */
  takeServerError(): ServerErrorVerdict {
    if (this.state.serverErrorsNext <= 0) return "none";
    this.state.serverErrorsNext -= 1;
    return this.state.serverErrorMode;
  }

  /** Consumes one pending forced 429, if any. */
  takeRateLimit(): boolean {
    if (this.state.rateLimitNext <= 0) return false;
    this.state.rateLimitNext -= 1;
    return true;
  }

  /** Consumes one pending depthUpdate drop, if any. */
  takeDepthUpdateDrop(): boolean {
    if (this.state.dropDepthUpdates <= 0) return false;
    this.state.dropDepthUpdates -= 1;
    return true;
  }

  /** Consumes one pending user-data drop, if any. */
  takeUserDataDrop(): boolean {
    if (this.state.userDataDropNext <= 0) return false;
    this.state.userDataDropNext -= 1;
    return true;
  }
}

const nonNegativeIntegers = [
  "clockSkewMs",
  "dropConnectionsEveryMs",
  "userDataDelayMs",
  "userDataDropNext",
  "serverErrorsNext",
  "rateLimitNext",
  "dropDepthUpdates",
] as const;

function validate(settings: FaultSettings): void {
  for (const name of nonNegativeIntegers) {
    const value = settings[name];
    const allowNegative = name === "clockSkewMs";
    if (!Number.isInteger(value) || (!allowNegative && value < 0)) {
      throw new Error(`fault ${name} must be ${allowNegative ? "an integer" : "a non-negative integer"}`);
    }
  }
  for (const [name, value] of Object.entries(settings.latency)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(`fault latency.${name} must be a non-negative number`);
    }
  }
  if (settings.serverErrorMode !== "timeout" && settings.serverErrorMode !== "error") {
    throw new Error('fault serverErrorMode must be "timeout" or "error"');
  }
  if (typeof settings.gracefulDrops !== "boolean") throw new Error("fault gracefulDrops must be a boolean");
  if (typeof settings.blackholeStreams !== "boolean") throw new Error("fault blackholeStreams must be a boolean");
}
