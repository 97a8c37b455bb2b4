// Start-up grace: a bot that has just been started waits for its first market data with no quotes on the book,
// and those seconds count as running time that is neither two-sided nor in the band. Judged on them, every start
// opened a handful of false breach alerts. So a run's KPIs are judged only from the first whole minute after its
// first market data and a warm-up, and risk actions only after the warm-up; a run that never gets market data is
// judged once `maxWaitSeconds` have passed, so a dead feed still alerts.

export interface StartupGrace {
  /** After the first market data of a run, this long before its KPIs and risk actions are judged. */
  readonly warmupSeconds: number;
  /** A run without market data is judged this long after it started all the same. */
  readonly maxWaitSeconds: number;
}

export const DEFAULT_STARTUP_GRACE: StartupGrace = { warmupSeconds: 60, maxWaitSeconds: 300 };

/**
 * The states a bot reports only while it quotes, which it cannot without market data: the first such report of a
 * run (BotEvent "state" rows) marks its first market data. A bot that halts for another reason first is given the
 * longest wait instead: a late alert rather than a false one.
 */
export const MARKET_DATA_STATES = ["QUOTING", "DEGRADED"] as const;

/**
 * When the run's grace ends: the warm-up after its first market data, or, while it has had none, the longest wait
 * (market data that comes later still gets its warm-up).
 */
export function graceEndsAt(run: { readonly startedAt: number; readonly firstMarketDataAt: number | null }, grace: StartupGrace = DEFAULT_STARTUP_GRACE): number {
  if (run.firstMarketDataAt === null) return run.startedAt + grace.maxWaitSeconds * 1_000;
  return run.firstMarketDataAt + grace.warmupSeconds * 1_000;
}

/** The first KPI minute bucket judged: the first whole minute from the end of the grace, so no start-up second counts. */
export function firstJudgedMinute(graceEnd: number): number {
  return Math.ceil(graceEnd / 60_000) * 60_000;
}
