// What the overview's engine tile says: a live heartbeat is not enough, the engine's journal must be writing too
// (an engine that quotes while nothing reaches Postgres shows frozen bots and orders).

/** The engine renews its leases every second; a heartbeat older than a few renewals means trouble. */
export const HEARTBEAT_STALE_MS = 5_000;
/** The journal flushes every 250 ms; this far behind, the dashboard's bot states and orders are out of date. */
export const JOURNAL_BEHIND_MS = 5_000;

/** The journal's health as the engines holding the team's bots last reported it with their heartbeats. */
export interface EngineJournalHealth {
  /** Records waiting for Postgres. */
  pending: number;
  /** How long before its heartbeat the journal last had everything written. */
  behindMs: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  /** Records the database refused for good, kept aside (each raised a journal_record_failed bot event). */
  setAside: number;
}

export type EngineHealth =
  | { kind: "none" }
  | { kind: "stale"; ageMs: number }
  | { kind: "journal-behind"; ageMs: number; behindMs: number; pending: number; lastError: string | null }
  | { kind: "healthy"; ageMs: number; setAside: number };

export function engineHealth(heartbeatAt: Date | null, journal: EngineJournalHealth | null, serverTime: Date): EngineHealth {
  if (!heartbeatAt) return { kind: "none" };
  const ageMs = serverTime.getTime() - heartbeatAt.getTime();
  if (ageMs > HEARTBEAT_STALE_MS) return { kind: "stale", ageMs };
  if (journal && journal.behindMs > JOURNAL_BEHIND_MS) {
    return { kind: "journal-behind", ageMs, behindMs: journal.behindMs, pending: journal.pending, lastError: journal.lastError };
  }
  return { kind: "healthy", ageMs, setAside: journal?.setAside ?? 0 };
}

/** One summary over the engines holding the team's bots: the worst lag, the newest error, the totals. */
export function combineJournalHealth(
  engines: readonly {
    heartbeatAt: Date;
    journalPending: number;
    journalCaughtUpAt: Date | null;
    journalLastError: string | null;
    journalLastErrorAt: Date | null;
    journalSetAside: number;
  }[],
): EngineJournalHealth | null {
  if (engines.length === 0) return null;
  let newestError: (typeof engines)[number] | undefined;
  for (const engine of engines) {
    if (engine.journalLastErrorAt && (!newestError?.journalLastErrorAt || engine.journalLastErrorAt > newestError.journalLastErrorAt)) {
      newestError = engine;
    }
  }
  return {
    pending: engines.reduce((sum, engine) => sum + engine.journalPending, 0),
    // An engine that never reported a catch-up (one from before journal health) counts as caught up.
    behindMs: Math.max(...engines.map((e) => (e.journalCaughtUpAt ? Math.max(0, e.heartbeatAt.getTime() - e.journalCaughtUpAt.getTime()) : 0))),
    lastError: newestError?.journalLastError ?? null,
    lastErrorAt: newestError?.journalLastErrorAt ?? null,
    setAside: engines.reduce((sum, engine) => sum + engine.journalSetAside, 0),
  };
}
