// When the launcher restarts a service that crashed: after a delay that doubles with each crash in the window (up to
// a cap), and not at all once it crashed too often in that window (a crash loop), when everything is stopped.

export interface RestartPolicyOptions {
  /** The delay before the first restart; each further crash within the window doubles it. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** This many crashes within `windowMs` is a crash loop: no more restarts. */
  maxCrashes: number;
  windowMs: number;
}

export type CrashDecision =
  | { restart: true; delayMs: number; crashesInWindow: number }
  | { restart: false; crashesInWindow: number };

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxCrashes: 5,
  windowMs: 5 * 60_000,
};

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** Records a crash at `now` (ms) and says whether and when to restart. */
  onCrash(now: number): CrashDecision {
    const { initialDelayMs, maxDelayMs, maxCrashes, windowMs } = this.options;
    this.crashes = this.crashes.filter((time) => now - time < windowMs);
    this.crashes.push(now);
    const crashesInWindow = this.crashes.length;
    if (crashesInWindow >= maxCrashes) return { restart: false, crashesInWindow };
    return { restart: true, delayMs: Math.min(maxDelayMs, initialDelayMs * 2 ** (crashesInWindow - 1)), crashesInWindow };
  }
}
