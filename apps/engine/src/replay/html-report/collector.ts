// Reads the bot's audit trail (BotLogEntry stream) as it is written and keeps a fixed number of time buckets, so a
// 59-hour tape makes a page as small as a 10-minute one: per bucket the reference, the market's best bid and ask
// (their extremes towards our quotes), our open quotes, how long each KPI flag held, and the fills. Breach episodes
// are the bot's own (its "episode" entries, as the KPI tracker measured them), kept whole up to a cap.
// A picture, not the KPI figures: those are the report's own; floating point is fine here.
import type { BotConfig, BotLogEntry } from "@bandkeeper/core";

export const BUCKETS = 1_200;
const MAX_EPISODES = 5_000;

export interface ReportBucket {
  /** Start of the bucket (epoch ms). */
  readonly time: number;
  reference: number | null;
  referenceLow: number | null;
  referenceHigh: number | null;
  /** Highest bid and lowest ask seen in the bucket: the market's closest approach to our quotes. */
  bidHigh: number | null;
  askLow: number | null;
  /** Our open orders' prices: the innermost and outermost of each side while the bucket lasted. */
  ourBidHigh: number | null;
  ourBidLow: number | null;
  ourAskLow: number | null;
  ourAskHigh: number | null;
  /** The same as signed fractions of the reference in force at the moment (price - R) / R: lowest and highest. */
  bidDistance: Range | null;
  askDistance: Range | null;
  ourBidDistance: Range | null;
  ourAskDistance: Range | null;
  runningMs: number;
  compliantMs: number;
  twoSidedMs: number;
  depthMs: number;
  fills: number;
  places: number;
}

export interface Range {
  low: number;
  high: number;
}

export interface Episode {
  readonly start: number;
  readonly end: number;
}

export interface ReportFill {
  readonly time: number;
  readonly side: "BUY" | "SELL";
  readonly price: number;
}

export interface ReportData {
  readonly start: number;
  readonly end: number;
  readonly bucketMs: number;
  readonly buckets: readonly ReportBucket[];
  readonly episodes: readonly Episode[];
  /** Episodes beyond MAX_EPISODES are counted, not kept. */
  readonly episodeCount: number;
  readonly fills: readonly ReportFill[];
  readonly states: readonly { time: number; to: string; reason: string | null }[];
}

interface OpenOrder {
  side: "BUY" | "SELL";
  price: number;
  remaining: number;
}

const RUNNING_STATES = new Set(["QUOTING", "DEGRADED", "HALTED"]);

export class ReportCollector {
  private readonly bucketMs: number;
  private readonly buckets: ReportBucket[] = [];
  private readonly requested = new Map<string, { side: "BUY" | "SELL"; price: number; qty: number }>();
  private readonly open = new Map<string, OpenOrder>();
  private readonly episodes: Episode[] = [];
  private readonly fills: ReportFill[] = [];
  private readonly states: { time: number; to: string; reason: string | null }[] = [];
  private episodeCount = 0;
  private reference: number | null = null;
  private lastBid: number | null = null;
  private lastAsk: number | null = null;
  private running = false;
  private last: number;
  private flags = { compliant: false, twoSided: false, depth: false };
  private minSpread: number;
  private maxSpread: number;
  private minNotional: number;

  constructor(
    private readonly start: number,
    private readonly end: number,
    config: Pick<BotConfig, "band" | "minNotional">,
  ) {
    this.bucketMs = Math.max(1, Math.ceil((end - start + 1) / BUCKETS));
    this.last = start;
    this.minSpread = config.band.minSpread;
    this.maxSpread = config.band.maxSpread;
    this.minNotional = Number(config.minNotional);
  }

  add(entry: BotLogEntry): void {
    const time = Math.max(entry.time, this.last);
    this.advanceTo(time);
    const bucket = this.bucketAt(time);
    switch (entry.kind) {
      case "market":
        if (entry.bid !== undefined) {
          bucket.bidHigh = max(bucket.bidHigh, (this.lastBid = Number(entry.bid)));
          bucket.bidDistance = this.widen(bucket.bidDistance, this.lastBid);
        }
        if (entry.ask !== undefined) {
          bucket.askLow = min(bucket.askLow, (this.lastAsk = Number(entry.ask)));
          bucket.askDistance = this.widen(bucket.askDistance, this.lastAsk);
        }
        return;
      case "reference":
        this.reference = entry.price === null ? null : Number(entry.price);
        if (this.reference !== null) {
          bucket.referenceLow = min(bucket.referenceLow, this.reference);
          bucket.referenceHigh = max(bucket.referenceHigh, this.reference);
        }
        bucket.reference = this.reference;
        // The market's distance changes with the reference too.
        if (this.lastBid !== null) bucket.bidDistance = this.widen(bucket.bidDistance, this.lastBid);
        if (this.lastAsk !== null) bucket.askDistance = this.widen(bucket.askDistance, this.lastAsk);
        break;
      case "state":
        this.running = RUNNING_STATES.has(entry.to);
        this.states.push({ time, to: entry.to, reason: entry.reason });
        break;
      case "place":
        this.requested.set(entry.clientOrderId, { side: entry.side, price: Number(entry.price), qty: Number(entry.qty) });
        bucket.places++;
        break;
      case "ack": {
        const order = this.requested.get(entry.clientOrderId);
        if (order && !this.open.has(entry.clientOrderId)) this.open.set(entry.clientOrderId, { side: order.side, price: order.price, remaining: order.qty });
        break;
      }
      case "fill": {
        const order = this.open.get(entry.clientOrderId) ?? this.requested.get(entry.clientOrderId);
        bucket.fills++;
        if (order) this.fills.push({ time, side: order.side, price: Number(entry.price) });
        const open = this.open.get(entry.clientOrderId);
        if (open) {
          open.remaining -= Number(entry.qty);
          if (open.remaining <= 1e-12) this.open.delete(entry.clientOrderId);
        }
        break;
      }
      case "canceled":
      case "expired":
        this.open.delete(entry.clientOrderId);
        this.requested.delete(entry.clientOrderId);
        break;
      case "config":
        this.minSpread = entry.config.band.minSpread;
        this.maxSpread = entry.config.band.maxSpread;
        this.minNotional = Number(entry.config.minNotional);
        break;
      case "episode":
        this.episodeCount++;
        if (this.episodes.length < MAX_EPISODES) this.episodes.push({ start: entry.start, end: entry.end });
        return;
      case "cancel":
      case "reject":
      case "unknown":
      case "targets":
        return;
    }
    this.evaluate(time);
  }

  /** Closes the last stretch at `end` and returns the buckets (reference and quotes carried into empty ones). */
  finish(end: number = this.end): ReportData {
    this.advanceTo(Math.max(end, this.last));
    let reference: number | null = null;
    const filled: ReportBucket[] = [];
    const count = Math.min(BUCKETS, Math.floor((Math.max(end, this.start) - this.start) / this.bucketMs) + 1);
    for (let i = 0; i < count; i++) {
      const bucket = this.buckets[i] ?? this.emptyBucket(i);
      bucket.reference ??= reference;
      reference = bucket.reference;
      filled.push(bucket);
    }
    return { start: this.start, end, bucketMs: this.bucketMs, buckets: filled, episodes: this.episodes, episodeCount: this.episodeCount, fills: this.fills, states: this.states };
  }

  /** Adds the time since the last entry to the buckets it spans, under the flags that held over it. */
  private advanceTo(time: number): void {
    let from = this.last;
    while (from < time) {
      const bucket = this.bucketAt(from);
      const to = Math.min(time, bucket.time + this.bucketMs);
      const span = to - from;
      if (this.running) {
        bucket.runningMs += span;
        if (this.flags.compliant) bucket.compliantMs += span;
        if (this.flags.twoSided) bucket.twoSidedMs += span;
        if (this.flags.depth) bucket.depthMs += span;
      }
      from = to;
    }
    this.last = time;
  }

  private evaluate(time: number): void {
    const reference = this.reference;
    let anyOpen = false;
    let allInBand = true;
    const valid = { BUY: false, SELL: false };
    const notional = { BUY: 0, SELL: 0 };
    const bucket = this.bucketAt(time);
    this.noteQuotes(bucket);
    for (const order of this.open.values()) {
      anyOpen = true;
      // On its own side of R only: a bid below, an ask above (as the KPI tracker counts it).
      const distance = reference ? ((order.side === "BUY" ? reference - order.price : order.price - reference) / reference) : null;
      // A hair of tolerance: the bot decides in decimals, this picture in floating point.
      if (distance === null || distance < this.minSpread - 1e-12 || distance > this.maxSpread + 1e-12) {
        allInBand = false;
        continue;
      }
      const value = order.remaining * order.price;
      notional[order.side] += value;
      if (value >= this.minNotional) valid[order.side] = true;
    }
    const running = this.running;
    this.flags = {
      compliant: running && anyOpen && allInBand,
      twoSided: running && valid.BUY && valid.SELL,
      depth: running && notional.BUY >= this.minNotional && notional.SELL >= this.minNotional,
    };
  }

  private bucketAt(time: number): ReportBucket {
    const index = Math.min(BUCKETS - 1, Math.max(0, Math.floor((time - this.start) / this.bucketMs)));
    let bucket = this.buckets[index];
    if (!bucket) {
      bucket = this.emptyBucket(index);
      // The quotes and the market standing when the bucket opens show in it even if nothing happens inside it.
      bucket.reference = this.reference;
      this.noteQuotes(bucket);
      if (this.lastBid !== null) {
        bucket.bidHigh = this.lastBid;
        bucket.bidDistance = this.widen(null, this.lastBid);
      }
      if (this.lastAsk !== null) {
        bucket.askLow = this.lastAsk;
        bucket.askDistance = this.widen(null, this.lastAsk);
      }
      this.buckets[index] = bucket;
    }
    return bucket;
  }

  /** Our open orders' prices, as they stand, into the bucket's extremes. */
  private noteQuotes(bucket: ReportBucket): void {
    for (const order of this.open.values()) {
      if (order.side === "BUY") {
        bucket.ourBidHigh = max(bucket.ourBidHigh, order.price);
        bucket.ourBidLow = min(bucket.ourBidLow, order.price);
        bucket.ourBidDistance = this.widen(bucket.ourBidDistance, order.price);
      } else {
        bucket.ourAskLow = min(bucket.ourAskLow, order.price);
        bucket.ourAskHigh = max(bucket.ourAskHigh, order.price);
        bucket.ourAskDistance = this.widen(bucket.ourAskDistance, order.price);
      }
    }
  }

  /** A range of distances from the reference in force now, widened to include `price`. */
  private widen(range: Range | null, price: number): Range | null {
    if (this.reference === null) return range;
    const distance = (price - this.reference) / this.reference;
    if (!range) return { low: distance, high: distance };
    range.low = Math.min(range.low, distance);
    range.high = Math.max(range.high, distance);
    return range;
  }

  private emptyBucket(index: number): ReportBucket {
    return {
      time: this.start + index * this.bucketMs,
      reference: null,
      referenceLow: null,
      referenceHigh: null,
      bidHigh: null,
      askLow: null,
      ourBidHigh: null,
      ourBidLow: null,
      ourAskLow: null,
      ourAskHigh: null,
      bidDistance: null,
      askDistance: null,
      ourBidDistance: null,
      ourAskDistance: null,
      runningMs: 0,
      compliantMs: 0,
      twoSidedMs: 0,
      depthMs: 0,
      fills: 0,
      places: 0,
    };
  }
}

const max = (a: number | null, b: number): number => (a === null || b > a ? b : a);
const min = (a: number | null, b: number): number => (a === null || b < a ? b : a);
