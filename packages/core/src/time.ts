/**
 * Time and identity arrive from outside so that live, simulator and replay run the same code and replay is
 * deterministic. Times are epoch milliseconds; fractions (sub-millisecond receive times) are allowed.
 */
export interface Clock {
  now(): number;
}

export interface IdGenerator {
  next(): string;
}

/** A clock that only moves when told to: the test and replay clock. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  set(time: number): void {
    if (!Number.isFinite(time)) throw new RangeError(`clock time must be finite, got ${time}`);
    if (time < this.current) throw new RangeError(`clock cannot go back from ${this.current} to ${time}`);
    this.current = time;
  }

  advance(ms: number): void {
    this.set(this.current + ms);
  }
}

/**
 * Deterministic ids `<prefix><n>`; Binance accepts client order ids of up to 36 characters from
 * `^[.A-Z:/a-z0-9_-]{1,36}$`, so keep prefixes short and within that alphabet.
 */
export class SequentialIdGenerator implements IdGenerator {
  private counter: number;

  constructor(
    private readonly prefix: string,
    start = 1,
  ) {
    if (!/^[.A-Z:/a-z0-9_-]{0,24}$/.test(prefix)) throw new RangeError(`invalid id prefix ${JSON.stringify(prefix)}`);
    this.counter = start;
  }

  next(): string {
    return `${this.prefix}${this.counter++}`;
  }
}
