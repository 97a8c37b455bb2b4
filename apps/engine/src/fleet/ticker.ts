// One timer ticks every bot of the process, in slices: every intervalMs / SLICES ms the next slice of bots is
// ticked with one clock reading, so each bot is ticked once per interval. Bots of a slice that share a market view
// share its snapshot, and no round blocks the event loop for the whole fleet at once.
import type { Clock } from "@bandkeeper/core";

const SLICES = 10;

export class BotTicker {
  private readonly bots: ((now: number) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private phase = 0;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /** Adds a bot's tick; returns its removal. The timer runs while at least one bot is registered. */
  add(tick: (now: number) => void): () => void {
    this.bots.push(tick);
    this.timer ??= setInterval(() => this.slice(), this.intervalMs / SLICES);
    return () => {
      const index = this.bots.indexOf(tick);
      if (index >= 0) this.bots.splice(index, 1);
      if (this.bots.length === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private slice(): void {
    const now = this.clock.now();
    const phase = this.phase;
    this.phase = (phase + 1) % SLICES;
    // A copy: a tick may remove its bot (or another) from the list.
    const bots = this.bots.slice();
    for (let i = phase; i < bots.length; i += SLICES) bots[i]?.(now);
  }
}
