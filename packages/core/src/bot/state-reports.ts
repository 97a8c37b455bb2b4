// State changes, not state samples. The bot's true state can change on every market event (a requote leaves a
// side unquoted for one round trip, risk widens the quotes for one sample), and a soak once wrote QUOTING/DEGRADED
// rows every 47 ms. What the bot reports (the journal's state row and BotEvent, the audit trail's state line) is
// debounced here; the true state, and the KPI running time that follows it, are not.
//
// The rules:
// - Hard states (STARTING, PAUSED, STOPPING, STOPPED, FAULTED) and an emergency stop are reported at once, and so
//   is leaving one: an operator or a failure acted, and running time starts or stops there.
// - A soft state (QUOTING, DEGRADED, HALTED; a new reason within DEGRADED or HALTED counts as a new state) is
//   reported once it has held for HOLD_MS (2 s): longer than a requote's round trip under load (p99 latency
//   stays well under a second) and a burst of risk samples, short next to the dashboard's and the alert
//   evaluator's few-second polls and the alerts' grace periods, which a 2 s delay does not change.
// - A bot that does not settle (no state holds 2 s for UNSETTLED_MS, 4 s, after it left its reported state) is
//   reported in the worst state it passed through meanwhile (HALTED over DEGRADED over QUOTING), so a flapping
//   bot reads DEGRADED, not whichever calm sample came last.
// - Soft reports are at least SOFT_SPACING_MS (7.5 s) apart: at most 8 a minute, so the event table grows by fewer
//   than 10 rows per bot per minute even in a volatile market. A change that comes sooner waits, and is reported
//   then if it still stands.
// A pending change is decided on every transition and on every tick().
import type { BotState } from "./ports";

export const HOLD_MS = 2_000;
export const UNSETTLED_MS = 4_000;
export const SOFT_SPACING_MS = 7_500;

/** Where reports go: the sink's state() and the audit trail's state line. */
export type StateReport = (from: BotState, to: BotState, reason: string | null, time: number) => void;

interface Sample {
  readonly state: BotState;
  readonly reason: string | null;
}

const HARD_STATES: ReadonlySet<BotState> = new Set(["STARTING", "PAUSED", "STOPPING", "STOPPED", "FAULTED"]);
const SEVERITY: Partial<Record<BotState, number>> = { QUOTING: 0, DEGRADED: 1, HALTED: 2 };

function isHard(sample: Sample): boolean {
  return HARD_STATES.has(sample.state) || (sample.reason !== null && /emergency/i.test(sample.reason));
}

/** Two samples are the same news: the same state and, within DEGRADED and HALTED, the same reason. */
function sameNews(a: Sample, b: Sample): boolean {
  if (a.state !== b.state) return false;
  return a.state !== "HALTED" && a.state !== "DEGRADED" ? true : a.reason === b.reason;
}

function worse(a: Sample, b: Sample): boolean {
  return (SEVERITY[a.state] ?? 0) > (SEVERITY[b.state] ?? 0);
}

export class StateReporter {
  private reported: Sample;
  private current: Sample & { readonly since: number };
  /** When the true state last left the reported one without settling back on it; null when it matches. */
  private unsettledSince: number | null = null;
  /** The worst state seen since `unsettledSince`, with its latest reason. */
  private worst: Sample | null = null;
  private lastSoftReportAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly report: StateReport,
    initial: Sample = { state: "STOPPED", reason: null },
  ) {
    this.reported = initial;
    this.current = { ...initial, since: Number.NEGATIVE_INFINITY };
  }

  /** What was last reported. */
  get lastReported(): { state: BotState; reason: string | null } {
    return { state: this.reported.state, reason: this.reported.reason };
  }

  /** The bot's true state changed (or its reason did). */
  observe(state: BotState, reason: string | null, time: number): void {
    if (this.current.state === state && this.current.reason === reason) return;
    this.current = { state, reason, since: time };
    if (this.unsettledSince !== null && (this.worst === null || worse(this.current, this.worst) || this.worst.state === state)) this.worst = this.current;
    if (this.unsettledSince === null && !sameNews(this.current, this.reported)) {
      this.unsettledSince = time;
      this.worst = this.current;
    }
    this.decide(time);
  }

  /** Called on every tick: reports a change that has held long enough. */
  flush(now: number): void {
    this.decide(now);
  }

  private decide(now: number): void {
    const current = this.current;
    if (isHard(current) || isHard(this.reported)) {
      if (!sameNews(current, this.reported) || current.reason !== this.reported.reason) this.emit(current, now, false);
      return;
    }
    if (sameNews(current, this.reported)) {
      // Back where it was reported: once that holds, the excursion is over.
      if (now - current.since >= HOLD_MS) this.settle();
      return;
    }
    if (now - this.lastSoftReportAt < SOFT_SPACING_MS) return;
    if (now - current.since >= HOLD_MS) {
      this.emit(current, now, true);
      return;
    }
    const worst = this.worst;
    if (this.unsettledSince !== null && worst !== null && now - this.unsettledSince >= UNSETTLED_MS) {
      if (!sameNews(worst, this.reported) && !worse(this.reported, worst)) this.emit(worst, now, true);
      else this.unsettledSince = now;
    }
  }

  private emit(sample: Sample, now: number, soft: boolean): void {
    const from = this.reported.state;
    this.reported = { state: sample.state, reason: sample.reason };
    this.lastSoftReportAt = soft ? now : Number.NEGATIVE_INFINITY;
    this.settle();
    if (!sameNews(this.current, this.reported)) {
      this.unsettledSince = now;
      this.worst = this.current;
    }
    this.report(from, sample.state, sample.reason, now);
  }

  private settle(): void {
    this.unsettledSince = null;
    this.worst = null;
  }
}
