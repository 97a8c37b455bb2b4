// Bot states as the database stores them (packages/db schema). Kept here as plain data so browser code can use
// them without loading the database client; the bots.list output schema fails to typecheck if they drift.
export const BOT_DESIRED_STATES = ["RUNNING", "PAUSED", "STOPPED"] as const;
export const BOT_ACTUAL_STATES = [
  "STOPPED",
  "STARTING",
  "QUOTING",
  "DEGRADED",
  "HALTED",
  "PAUSED",
  "STOPPING",
  "FAULTED",
] as const;

export type BotDesiredState = (typeof BOT_DESIRED_STATES)[number];
export type BotActualState = (typeof BOT_ACTUAL_STATES)[number];

// Actual states in which the engine does what the operator asked for. HALTED is not among RUNNING's: its
// quotes are pulled, which an operator must notice.
const SATISFIES: Record<BotDesiredState, readonly BotActualState[]> = {
  RUNNING: ["QUOTING", "DEGRADED"],
  PAUSED: ["PAUSED"],
  STOPPED: ["STOPPED"],
};

export function isAsDesired(desired: BotDesiredState, actual: BotActualState): boolean {
  return SATISFIES[desired].includes(actual);
}

export type StateTone = "good" | "warning" | "danger" | "transition" | "idle";

export const ACTUAL_STATE_TONE: Record<BotActualState, StateTone> = {
  QUOTING: "good",
  DEGRADED: "warning",
  HALTED: "warning",
  FAULTED: "danger",
  STARTING: "transition",
  STOPPING: "transition",
  PAUSED: "idle",
  STOPPED: "idle",
};

export const DESIRED_STATE_TONE: Record<BotDesiredState, StateTone> = {
  RUNNING: "good",
  PAUSED: "idle",
  STOPPED: "idle",
};
