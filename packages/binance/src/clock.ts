/** Epoch-millisecond time source; injected so tests and replay control time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Local clock corrected by the measured exchange offset: Binance rejects timestamps more than 1 s ahead of its
 * own time or older than recvWindow, so signed requests use this rather than the raw local clock.
 */
export class ServerTimeOffset {
  private offsetMs = 0;

  constructor(private readonly clock: Clock) {}

  /** `serverTime` measured between two local reads; assumes the answer was produced halfway. */
  record(serverTime: number, sentAt: number, receivedAt: number): void {
    this.offsetMs = serverTime - (sentAt + receivedAt) / 2;
  }

  get offset(): number {
    return this.offsetMs;
  }

  serverNow(): number {
    return Math.round(this.clock.now() + this.offsetMs);
  }

  /** A server-time instant expressed on the local clock. */
  toLocal(serverTime: number): number {
    return serverTime - this.offsetMs;
  }
}
