// The soak's fault schedule: pure, and the same for the same seed and length. The run is split into rounds; each
// round injects every kind once, in a seeded order, one per slot, so faults rarely overlap and quiet time between
// them measures how the fleet quotes when nothing is wrong.

/** Every fault the soak injects: the simulator's switches (packages/exchange-sim/src/server/faults.ts), then processes. */
export const FAULT_KINDS = [
  "serverErrors",
  "serverTimeouts",
  "rateLimitBurst",
  "latency",
  "clockSkew",
  "userDataDrop",
  "userDataDelay",
  "depthGaps",
  "connectionDrops",
  "engineKill",
  "postgresCrash",
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

interface Timing {
  /** From the start of the fault phase. */
  atMs: number;
  /** How long the fault lasts (for a kill or crash: until the restart). */
  durationMs: number;
  /** After the fault ends, how long the fleet may take to quote two-sided again before it counts against it. */
  recoveryMs: number;
}

export type ScheduledFault = Timing &
  (
    | { kind: "serverErrors" | "serverTimeouts" | "rateLimitBurst" | "userDataDrop" | "depthGaps"; count: number }
    | { kind: "latency" | "userDataDelay"; delayMs: number }
    | { kind: "clockSkew"; skewMs: number }
    | { kind: "connectionDrops"; everyMs: number; graceful: boolean }
    | { kind: "engineKill"; engine: number }
    | { kind: "postgresCrash" }
  );

export interface ScheduleOptions {
  durationMs: number;
  seed: number;
  /** Engines running side by side; kills take them in turn. */
  engines: number;
  /** The engines' lease TTL: a killed engine's bots move to another engine after at most this. */
  leaseTtlMs: number;
}

const QUIET_HEAD_MS = 5_000;
/** The end of the run is quiet: the last faults recover before the graceful stop and the comparison. */
export const QUIET_TAIL_MS = 20_000;
const ROUND_MS = 300_000;
const MIN_SLOT_MS = 4_000;
const RECOVERY_MS = 10_000;

export class ScheduleError extends Error {}

export function buildSchedule(options: ScheduleOptions): ScheduledFault[] {
  const span = options.durationMs - QUIET_HEAD_MS - QUIET_TAIL_MS;
  const minimum = FAULT_KINDS.length * MIN_SLOT_MS + QUIET_HEAD_MS + QUIET_TAIL_MS;
  if (span < FAULT_KINDS.length * MIN_SLOT_MS) {
    throw new ScheduleError(`--minutes must give at least ${Math.ceil(minimum / 1000)} s for one round of every fault`);
  }
  const random = seededRandom(options.seed);
  const rounds = Math.max(1, Math.round(span / ROUND_MS));
  const roundMs = span / rounds;
  const slotMs = roundMs / FAULT_KINDS.length;
  // A fault takes at most a third of its slot: with its recovery allowance, the rest of the slot is quiet time.
  const longest = Math.max(2_000, slotMs * 0.35);
  const faults: ScheduledFault[] = [];
  let kills = 0;
  for (let round = 0; round < rounds; round++) {
    shuffle([...FAULT_KINDS], random).forEach((kind, slot) => {
      const atMs = Math.round(QUIET_HEAD_MS + round * roundMs + slot * slotMs + random() * 0.2 * slotMs);
      const timing = (nominalMs: number, recoveryMs = RECOVERY_MS): Timing => ({
        atMs,
        durationMs: Math.round(Math.min(nominalMs, longest)),
        recoveryMs,
      });
      const between = (low: number, high: number) => Math.round(low + random() * (high - low));
      switch (kind) {
        case "serverErrors":
        case "serverTimeouts":
          faults.push({ kind, ...timing(10_000), count: between(3, 8) });
          break;
        case "rateLimitBurst":
          faults.push({ kind, ...timing(10_000), count: between(10, 30) });
          break;
        case "userDataDrop":
          faults.push({ kind, ...timing(10_000), count: between(3, 10) });
          break;
        case "depthGaps":
          faults.push({ kind, ...timing(10_000), count: between(2, 6) });
          break;
        case "latency":
          faults.push({ kind, ...timing(20_000), delayMs: 600 });
          break;
        case "userDataDelay":
          faults.push({ kind, ...timing(15_000), delayMs: between(500, 2_000) });
          break;
        case "clockSkew":
          faults.push({ kind, ...timing(20_000), skewMs: (random() < 0.5 ? -1 : 1) * between(1_000, 3_000) });
          break;
        case "connectionDrops":
          faults.push({ kind, ...timing(15_000), everyMs: between(3_000, 6_000), graceful: random() < 0.5 });
          break;
        case "engineKill":
          faults.push({ kind, ...timing(between(3_000, 8_000), options.leaseTtlMs + 15_000), engine: kills++ % options.engines });
          break;
        case "postgresCrash":
          faults.push({ kind, ...timing(between(3_000, 6_000), 15_000) });
          break;
      }
    });
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}

/** mulberry32: small, fast and the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
