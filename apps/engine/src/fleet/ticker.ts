// One timer for every bot of the process: each round reads the clock once and ticks all bots with that time, so
// bots that share a market view also share its snapshot (one computation per round instead of one per bot).
import type { Clock } from "@bandkeeper/core";

export class BotTicker {
  private readonly bots = new Set<(now: number) => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /** Adds a bot's tick; returns its removal. The timer runs while at least one bot is registered. */
  add(tick: (now: number) => void): () => void {
    this.bots.add(tick);
    this.timer ??= setInterval(() => this.round(), this.intervalMs);
    return () => {
      this.bots.delete(tick);
      if (this.bots.size === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private round(): void {
    const now = this.clock.now();
    for (const tick of this.bots) tick(now);
  }
}
