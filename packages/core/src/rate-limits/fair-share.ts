// The restore reserve of the account's new-order windows, shared fairly by the bots that trade on it. Binance counts
// new orders per account (ORDERS, e.g. 50 per 10 s). Drift requotes may use only the first part of a window
// (REQUOTE_SHARE); the rest is kept for orders that put a side back. One bot chasing a fast market sends restores
// too, and could spend that whole reserve, leaving its neighbours unable to put back a side that filled. So the
// reserve is split: past the shared part, each bot may use its portion of the reserve (the reserve over the bots),
// and more only while every other bot's unused portion stays free. Below the reserve nobody is held back.

/** One of the account's ORDERS windows as the shared budget counts it now. */
export interface OrderWindow {
  /** `SECOND_10`, `DAY_1`, ... */
  readonly key: string;
  readonly limit: number;
  /** What the account has used of it, every bot and other processes included (the exchange's counts). */
  readonly used: number;
  readonly windowStart: number;
}

export class FairOrderShares {
  /** Per bot, what it used of each window's reserve: window key -> [window start, count]. */
  private readonly bots = new Map<string, Map<string, { start: number; count: number }>>();
  /** Runs of each bot sharing (a restarted bot's new run may join before the old one has left). */
  private readonly runs = new Map<string, number>();

  /** `sharedShare`: the part of each window anyone may use first come, first served (REQUOTE_SHARE). */
  constructor(private readonly sharedShare: number) {}

  join(botId: string): void {
    this.runs.set(botId, (this.runs.get(botId) ?? 0) + 1);
    if (!this.bots.has(botId)) this.bots.set(botId, new Map());
  }

  leave(botId: string): void {
    const runs = (this.runs.get(botId) ?? 0) - 1;
    if (runs > 0) return void this.runs.set(botId, runs);
    this.runs.delete(botId);
    this.bots.delete(botId);
  }

  /** Whether `botId` may place one more order in these windows without eating into another bot's portion. */
  allows(botId: string, windows: readonly OrderWindow[]): boolean {
    if (this.bots.size < 2) return true;
    for (const window of windows) {
      const shared = Math.floor(window.limit * this.sharedShare);
      if (window.used + 1 <= shared) continue;
      const portion = Math.floor((window.limit - shared) / this.bots.size);
      if (this.usedBy(botId, window) + 1 <= portion) continue;
      let othersUnused = 0;
      for (const other of this.bots.keys()) {
        if (other !== botId) othersUnused += Math.max(0, portion - this.usedBy(other, window));
      }
      if (window.used + 1 + othersUnused > window.limit) return false;
    }
    return true;
  }

  /** Counts an order `botId` placed with the account's use of each window as `windows` says (before it). */
  record(botId: string, windows: readonly OrderWindow[]): void {
    const counts = this.bots.get(botId);
    if (!counts) return;
    for (const window of windows) {
      if (window.used + 1 <= Math.floor(window.limit * this.sharedShare)) continue;
      const current = counts.get(window.key);
      if (current?.start === window.windowStart) current.count += 1;
      else counts.set(window.key, { start: window.windowStart, count: 1 });
    }
  }

  private usedBy(botId: string, window: OrderWindow): number {
    const current = this.bots.get(botId)?.get(window.key);
    return current?.start === window.windowStart ? current.count : 0;
  }
}
