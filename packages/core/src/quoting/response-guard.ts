/**
 * How far the reference may move while one response is on its way: a request reaching the exchange and its
 * acknowledgement coming back. The requote planner narrows its hysteresis by this much, so an order is replaced
 * while it is still valid and the replacement is acknowledged before the old order would breach; on a fast
 * market or a slow link the bot requotes a little earlier instead of a round trip too late. Learnt from the
 * bot's own round trips and the reference's own moves, so nothing needs tuning per pair or per venue.
 *
 * guard = max(diffusion, tail, momentum): diffusion = Z x sqrt(sum of squared relative reference changes over the
 * last WINDOW_MS x roundTrip / WINDOW_MS), the realised random walk of R over one round trip, Z standard deviations
 * out; tail = the largest move of R over one round trip in the last TAIL_MS, since prices jump (a calm minute before
 * a 0.1% move in 20 ms is what the tape shows, and a random walk's sigma never sees it coming); momentum = how far R
 * moved over the last round trip, since a trending market keeps going for a while.
 * Plain numbers: a statistical estimate that only becomes a price through the planner's decimal thresholds.
 */
const WINDOW_MS = 10_000;
const Z = 3;
/** Round trips remembered; the guard uses the slowest of them, since a late ack is what breaches. */
const ROUND_TRIPS = 16;
/** How long the largest move over one round trip is remembered: a market that jumped a minute ago can jump again. */
const TAIL_MS = 60_000;

export class ResponseGuard {
  private readonly times: number[] = [];
  private readonly squares: number[] = [];
  /** Each retained change: R before it and after it. */
  private readonly froms: number[] = [];
  private readonly prices: number[] = [];
  private head = 0;
  private sum = 0;
  private lastPrice: number | null = null;
  private readonly roundTrips: number[] = [];
  /** Moves over one round trip, each at the R change that ended it, kept decreasing from tailHead: a sliding maximum. */
  private readonly tailTimes: number[] = [];
  private readonly tailMoves: number[] = [];
  private tailHead = 0;

  /** R changed at `time` (call it on changes only). */
  onReference(time: number, price: number): void {
    if (!(price > 0)) return;
    if (this.lastPrice !== null) {
      const r = (price - this.lastPrice) / this.lastPrice;
      this.times.push(time);
      this.squares.push(r * r);
      this.froms.push(this.lastPrice);
      this.prices.push(price);
      this.sum += r * r;
    }
    this.lastPrice = price;
    this.evict(time);
    const roundTrip = this.roundTripMs();
    if (roundTrip !== null) this.noteTail(time, Math.abs(this.moveSince(time - roundTrip)));
  }

  /** A request's round trip (sent -> acknowledged), in ms. */
  onRoundTrip(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) return;
    this.roundTrips.push(ms);
    if (this.roundTrips.length > ROUND_TRIPS) this.roundTrips.shift();
  }

  /** The slowest recent round trip, or null before the first acknowledgement. */
  roundTripMs(): number | null {
    return this.roundTrips.length === 0 ? null : Math.max(...this.roundTrips);
  }

  /** The guard at `now` as a fraction of R (0 before the first round trip). */
  guard(now: number): number {
    const roundTrip = this.roundTripMs();
    if (roundTrip === null) return 0;
    this.evict(now);
    const diffusion = Z * Math.sqrt((Math.max(0, this.sum) * roundTrip) / WINDOW_MS);
    return Math.max(diffusion, this.tailAt(now), Math.abs(this.moveSince(now - roundTrip)));
  }

  /** The largest move over one round trip in the last TAIL_MS (0 when none). */
  private tailAt(now: number): number {
    while (this.tailHead < this.tailTimes.length && (this.tailTimes[this.tailHead] as number) <= now - TAIL_MS) this.tailHead++;
    return this.tailHead < this.tailMoves.length ? (this.tailMoves[this.tailHead] as number) : 0;
  }

  private noteTail(time: number, move: number): void {
    // A later, larger move makes every smaller one before it irrelevant to the maximum.
    while (this.tailMoves.length > this.tailHead && (this.tailMoves[this.tailMoves.length - 1] as number) <= move) {
      this.tailMoves.pop();
      this.tailTimes.pop();
    }
    this.tailMoves.push(move);
    this.tailTimes.push(time);
    if (this.tailHead > 1024 && this.tailHead * 2 > this.tailTimes.length) {
      this.tailTimes.splice(0, this.tailHead);
      this.tailMoves.splice(0, this.tailHead);
      this.tailHead = 0;
    }
  }

  /** (R now - R at `since`) / R, from the retained changes (0 when R has not changed since). */
  private moveSince(since: number): number {
    const now = this.lastPrice;
    if (now === null || this.head === this.times.length) return 0;
    let i = this.times.length - 1;
    while (i >= this.head && (this.times[i] as number) > since) i--;
    // R at `since` is what the last change at or before it set; with none retained, what the oldest retained moved from.
    const then = i >= this.head ? (this.prices[i] as number) : (this.froms[this.head] as number);
    return (now - then) / now;
  }

  private evict(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - WINDOW_MS) {
      this.sum -= this.squares[this.head] as number;
      this.head++;
    }
    if (this.head === this.times.length) this.sum = 0;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.squares.splice(0, this.head);
      this.froms.splice(0, this.head);
      this.prices.splice(0, this.head);
      this.head = 0;
    }
  }
}
