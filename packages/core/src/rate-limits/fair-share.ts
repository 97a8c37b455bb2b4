// The account's new-order windows shared fairly by the bots that trade on it. Binance counts new orders per account
// (ORDERS, e.g. 50 per 10 s), so one bot chasing a fast market could spend a whole window and leave the others
// unable to put back a side that filled. Each bot may always place up to its fair share of a window (the limit over
// the bots sharing it); beyond that only while every other bot's unused fair share stays free. An idle neighbour
// therefore costs a busy bot little, and a busy bot never starves its neighbours.

/** One of the account's ORDERS windows as the shared budget counts it now. */
export interface OrderWindow {
  /** `ORDERS_10SECOND`, `ORDERS_1DAY`, ... */
  readonly key: string;
  readonly limit: number;
  /** What the account has used of it, every bot and other processes included (the exchange's counts). */
  readonly used: number;
  readonly windowStart: number;
}

export class FairOrderShares {
  /** Per bot, its own new orders in each window: window key -> [window start, count]. */
  private readonly bots = new Map<string, Map<string, { start: number; count: number }>>();
  /** Runs of each bot sharing (a restarted bot's new run may join before the old one has left). */
  private readonly runs = new Map<string, number>();

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

  /** Whether `botId` may place one more order in these windows without eating into another bot's fair share. */
  allows(botId: string, windows: readonly OrderWindow[]): boolean {
    if (this.bots.size < 2) return true;
    for (const window of windows) {
      const fair = Math.floor(window.limit / this.bots.size);
      if (this.countOf(botId, window) + 1 <= fair) continue;
      let othersUnused = 0;
      for (const other of this.bots.keys()) {
        if (other !== botId) othersUnused += Math.max(0, fair - this.countOf(other, window));
      }
      if (window.used + 1 + othersUnused > window.limit) return false;
    }
    return true;
  }

  record(botId: string, windows: readonly OrderWindow[]): void {
    const counts = this.bots.get(botId);
    if (!counts) return;
    for (const window of windows) {
      const current = counts.get(window.key);
      if (current?.start === window.windowStart) current.count += 1;
      else counts.set(window.key, { start: window.windowStart, count: 1 });
    }
  }

  private countOf(botId: string, window: OrderWindow): number {
    const current = this.bots.get(botId)?.get(window.key);
    return current?.start === window.windowStart ? current.count : 0;
  }
}
