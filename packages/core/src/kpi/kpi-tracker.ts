import { Decimal } from "../money/decimal";
import type { BotConfig } from "../config/bot-config";
import type { Side } from "../side";
import { boundsFor } from "./band-bounds";
import { emptyHistogram, latencyBucketIndex } from "./histogram";

const ZERO = new Decimal(0);

export const MINUTE_MS = 60_000;

/** Per-bot, per-minute KPI facts: integer milliseconds and counts, never percentages (docs/kpis.md). */
export interface KpiMinuteBucket {
  readonly botKey: string;
  /** Epoch ms of the minute's start. */
  readonly minute: number;
  readonly runningMs: number;
  /** Running, at least one open order, and every open order inside the band. */
  readonly spreadCompliantMs: number;
  /** Running with at least one valid bid and one valid ask. */
  readonly twoSidedMs: number;
  /** Running with in-band remaining notional >= minNotional on both sides. */
  readonly depthMs: number;
  readonly ordersPlaced: number;
  /** Placed orders whose notional (price x quantity) was >= minNotional. */
  readonly ordersDepthOk: number;
  /** Placed orders that received their first fill in this minute. */
  readonly ordersFilled: number;
  readonly placedNotional: string;
  readonly filledNotional: string;
  /** Response latency, per breach episode ended in this minute (see KpiTracker): count, total and longest. */
  readonly latencyCount: number;
  readonly latencySumMs: number;
  readonly latencyMaxMs: number;
  /** Episode durations per LATENCY_BUCKET_BOUNDS_MS bucket, plus the overflow bucket. */
  readonly latencyHistogram: readonly number[];
}

/** A minute with nothing in it: what downtime, sums and tests start from. */
export function emptyKpiBucket(botKey: string, minute: number): KpiMinuteBucket {
  return {
    botKey,
    minute,
    runningMs: 0,
    spreadCompliantMs: 0,
    twoSidedMs: 0,
    depthMs: 0,
    ordersPlaced: 0,
    ordersDepthOk: 0,
    ordersFilled: 0,
    placedNotional: "0",
    filledNotional: "0",
    latencyCount: 0,
    latencySumMs: 0,
    latencyMaxMs: 0,
    latencyHistogram: emptyHistogram(),
  };
}

/** One breach episode, from the first moment the quotes failed to the moment both sides were valid again. */
export interface BreachEpisode {
  readonly start: number;
  readonly end: number;
}

export interface KpiSettings {
  readonly band: { readonly minSpread: number; readonly maxSpread: number };
  readonly minNotional: string;
  /** An open order farther than this (fraction of R) from its side's nearest target needs action. */
  readonly driftThreshold: number;
}

export function kpiSettingsFrom(config: Pick<BotConfig, "band" | "minNotional" | "hysteresis">): KpiSettings {
  return { band: config.band, minNotional: config.minNotional, driftThreshold: config.hysteresis.driftThreshold };
}

/**
 * Facts, fed in time order on the bot's clock (local receive times for market data, local receive times of the
 * exchange's responses for acks). Feed the REFERENCE change a market event caused before that MARKET_EVENT, and
 * an order's ORDER_ACKED before its fills.
 */
export type KpiFact =
  /** RUNNING false for an operator pause or stop; a risk pause keeps the bot running (and its time counted). */
  | { readonly type: "RUNNING"; readonly time: number; readonly running: boolean }
  /** R(t) changed; `targets` are the quote policy's target prices per side for the drift check. */
  | {
      readonly type: "REFERENCE";
      readonly time: number;
      readonly price: Decimal | null;
      readonly targets?: { readonly BUY: readonly Decimal[]; readonly SELL: readonly Decimal[] };
    }
  | { readonly type: "MARKET_EVENT"; readonly time: number }
  | { readonly type: "ORDER_ACKED"; readonly time: number; readonly clientOrderId: string; readonly side: Side; readonly price: Decimal; readonly qty: Decimal }
  | { readonly type: "ORDER_FILLED"; readonly time: number; readonly clientOrderId: string; readonly price: Decimal; readonly qty: Decimal }
  | { readonly type: "ORDER_CANCELED"; readonly time: number; readonly clientOrderId: string }
  | { readonly type: "ORDER_EXPIRED"; readonly time: number; readonly clientOrderId: string }
  | { readonly type: "SETTINGS"; readonly time: number; readonly settings: KpiSettings };

export interface KpiFlags {
  readonly running: boolean;
  readonly spreadCompliant: boolean;
  readonly twoSided: boolean;
  readonly depth: boolean;
  /** Some open order is outside the band or beyond the drift threshold: the bot owes a response. */
  readonly needsAction: boolean;
  /** Running and either needsAction or not two-sided: a breach episode is open. */
  readonly breach: boolean;
}

interface TrackedOrder {
  readonly side: Side;
  readonly price: Decimal;
  remaining: Decimal;
  /** remaining x price, kept with `remaining`. */
  notional: Decimal;
  filled: boolean;
}

interface MutableBucket {
  minute: number;
  runningMs: number;
  spreadCompliantMs: number;
  twoSidedMs: number;
  depthMs: number;
  ordersPlaced: number;
  ordersDepthOk: number;
  ordersFilled: number;
  placedNotional: Decimal;
  filledNotional: Decimal;
  latencyCount: number;
  latencySumMs: number;
  latencyMaxMs: number;
  latencyHistogram: number[];
}

/** Closed orders remembered so that a late fill (found by reconciliation) still counts the order as filled once. */
const RECENTLY_CLOSED_LIMIT = 10_000;

/**
 * Integrates KPI time per minute, exactly as docs/kpis.md defines it:
 * - an order is open from its ORDER_ACKED until its cancel ack, expiry or full fill;
 * - it is inside the band when it is on its own side of R (a bid below, an ask above) and
 *   minSpread <= |price - R| / R <= maxSpread, valid when also its remaining notional
 *   (remaining qty x price) >= minNotional; without a reference price no order is inside the band;
 * - state is constant between facts, so each interval between facts is added to the flags that held during it,
 *   split at minute boundaries; times are floored to whole milliseconds;
 * - response latency is measured per breach episode: an episode starts at the first fact after which the bot is
 *   running and either some open order is outside the band or beyond the drift threshold (needsAction) or a side
 *   lacks a valid order (not two-sided), whatever the fact was (a market event's reference move, a fill, an
 *   expiry, a reject, a tick); it ends at the first fact after which neither holds, by whatever means (orders
 *   acknowledged or cancelled, the reference moving back, the bot stopping or pausing). Its latency is end - start
 *   in whole ms, counted once, in the minute it ended; `finish` closes an episode still open when the record ends.
 *   An "episode" with no time in it (start and end at one instant) is none.
 * Counts (placed, depth-ok, filled, notionals) go to the minute of the fact.
 */
export class KpiTracker {
  private settings: KpiSettings;
  private minNotional: Decimal;
  private readonly orders = new Map<string, TrackedOrder>();
  private readonly recentlyClosed = new Map<string, TrackedOrder>();
  private readonly buckets = new Map<number, MutableBucket>();
  private reference: Decimal | null = null;
  private targets: { readonly BUY: readonly Decimal[]; readonly SELL: readonly Decimal[] } | null = null;
  private running = false;
  private lastTime: number | null = null;
  private flags: KpiFlags = { running: false, spreadCompliant: false, twoSided: false, depth: false, needsAction: false, breach: false };
  /** Start of the open breach episode, if one is open. */
  private breachSince: number | null = null;
  /** Told of every episode as it ends (the audit trail and exact replay figures). */
  onEpisode: ((episode: BreachEpisode) => void) | undefined;

  constructor(
    readonly botKey: string,
    settings: KpiSettings,
  ) {
    this.settings = settings;
    this.minNotional = new Decimal(settings.minNotional);
  }

  currentFlags(): KpiFlags {
    return this.flags;
  }

  openOrderCount(): number {
    return this.orders.size;
  }

  record(fact: KpiFact): void {
    const time = this.advanceTo(fact.time);
    switch (fact.type) {
      case "RUNNING":
        this.running = fact.running;
        break;
      case "REFERENCE":
        this.reference = fact.price;
        this.targets = fact.targets ?? null;
        break;
      case "MARKET_EVENT":
        break;
      case "ORDER_ACKED": {
        if (this.orders.has(fact.clientOrderId)) break;
        const notional = fact.price.times(fact.qty);
        this.orders.set(fact.clientOrderId, { side: fact.side, price: fact.price, remaining: fact.qty, notional, filled: false });
        const b = this.bucket(time);
        b.ordersPlaced++;
        if (notional.gte(this.minNotional)) b.ordersDepthOk++;
        b.placedNotional = b.placedNotional.plus(notional);
        break;
      }
      case "ORDER_FILLED": {
        const b = this.bucket(time);
        b.filledNotional = b.filledNotional.plus(fact.price.times(fact.qty));
        const order = this.orders.get(fact.clientOrderId) ?? this.recentlyClosed.get(fact.clientOrderId);
        if (!order) break;
        if (!order.filled) {
          order.filled = true;
          b.ordersFilled++;
        }
        order.remaining = order.remaining.minus(fact.qty);
        order.notional = order.remaining.times(order.price);
        if (!order.remaining.gt(0)) this.close(fact.clientOrderId);
        break;
      }
      case "ORDER_CANCELED":
        this.close(fact.clientOrderId);
        break;
      case "ORDER_EXPIRED":
        this.close(fact.clientOrderId);
        break;
      case "SETTINGS":
        this.settings = fact.settings;
        this.minNotional = new Decimal(fact.settings.minNotional);
        break;
    }
    // A market event changes nothing the flags read (its reference move comes as a REFERENCE fact).
    if (fact.type === "MARKET_EVENT") return;
    this.flags = this.computeFlags();
    this.trackEpisode(time);
  }

  /** Ends the record at `now`: an episode still open counts, with its length so far. Then drain as usual. */
  finish(now: number): void {
    const time = this.advanceTo(now);
    if (this.breachSince !== null) this.endEpisode(time);
  }

  /** How long the open breach episode has lasted at `now`, or null (for gauges; it counts only once ended). */
  openEpisodeMs(now: number): number | null {
    return this.breachSince === null ? null : Math.max(0, Math.floor(now) - this.breachSince);
  }

  /** Integrates up to `now` and removes the completed minutes (those that ended at or before now). */
  drain(now: number): KpiMinuteBucket[] {
    const time = this.advanceTo(now);
    return this.take((minute) => minute + MINUTE_MS <= time);
  }

  /** Integrates up to `now` and removes every bucket, the current partial minute included (on stop). */
  drainAll(now: number): KpiMinuteBucket[] {
    this.advanceTo(now);
    return this.take(() => true);
  }

  private take(done: (minute: number) => boolean): KpiMinuteBucket[] {
    const out: KpiMinuteBucket[] = [];
    for (const [minute, b] of [...this.buckets].sort((x, y) => x[0] - y[0])) {
      if (!done(minute)) continue;
      this.buckets.delete(minute);
      out.push({
        botKey: this.botKey,
        minute: b.minute,
        runningMs: b.runningMs,
        spreadCompliantMs: b.spreadCompliantMs,
        twoSidedMs: b.twoSidedMs,
        depthMs: b.depthMs,
        ordersPlaced: b.ordersPlaced,
        ordersDepthOk: b.ordersDepthOk,
        ordersFilled: b.ordersFilled,
        placedNotional: b.placedNotional.toFixed(),
        filledNotional: b.filledNotional.toFixed(),
        latencyCount: b.latencyCount,
        latencySumMs: b.latencySumMs,
        latencyMaxMs: b.latencyMaxMs,
        latencyHistogram: b.latencyHistogram,
      });
    }
    return out;
  }

  private close(clientOrderId: string): void {
    const order = this.orders.get(clientOrderId);
    if (!order) return;
    this.orders.delete(clientOrderId);
    this.recentlyClosed.set(clientOrderId, order);
    if (this.recentlyClosed.size > RECENTLY_CLOSED_LIMIT) {
      const oldest = this.recentlyClosed.keys().next().value;
      if (oldest !== undefined) this.recentlyClosed.delete(oldest);
    }
  }

  private trackEpisode(time: number): void {
    if (this.flags.breach) this.breachSince ??= time;
    else if (this.breachSince !== null) this.endEpisode(time);
  }

  private endEpisode(time: number): void {
    const start = this.breachSince as number;
    this.breachSince = null;
    const ms = time - start;
    // Facts of one instant (a bot starting and placing both sides at once) hold no time: no episode.
    if (ms === 0) return;
    const b = this.bucket(time);
    b.latencyCount++;
    b.latencySumMs += ms;
    b.latencyMaxMs = Math.max(b.latencyMaxMs, ms);
    (b.latencyHistogram[latencyBucketIndex(ms)] as number)++;
    this.onEpisode?.({ start, end: time });
  }

  private computeFlags(): KpiFlags {
    const running = this.running;
    const R = this.reference;
    let anyOpen = false;
    let allInBand = true;
    let needsAction = false;
    const valid = { BUY: false, SELL: false };
    const depth = { BUY: ZERO, SELL: ZERO };
    const bounds = R && boundsFor(this.settings).at(R);
    for (const o of this.orders.values()) {
      anyOpen = true;
      const inBand = bounds !== null && bounds.contains(o.price, o.side);
      if (!inBand) {
        allInBand = false;
        needsAction = true;
        continue;
      }
      if (o.notional.gte(this.minNotional)) valid[o.side] = true;
      depth[o.side] = depth[o.side].plus(o.notional);
      const targets = this.targets?.[o.side];
      if (bounds && targets && targets.length > 0) {
        if (!targets.some((target) => !o.price.minus(target).abs().gt(bounds.drift))) needsAction = true;
      }
    }
    const twoSided = running && valid.BUY && valid.SELL;
    return {
      running,
      spreadCompliant: running && anyOpen && allInBand,
      twoSided,
      depth: running && depth.BUY.gte(this.minNotional) && depth.SELL.gte(this.minNotional),
      needsAction,
      breach: running && (needsAction || !twoSided),
    };
  }

  /** Adds the time since the last fact to the flags that held, split at minute boundaries. */
  private advanceTo(rawTime: number): number {
    if (!Number.isFinite(rawTime)) throw new RangeError(`KPI fact time must be finite, got ${rawTime}`);
    const time = Math.max(Math.floor(rawTime), this.lastTime ?? -Infinity);
    const from = this.lastTime;
    this.lastTime = time;
    if (from === null || !this.flags.running) return time;
    let t = from;
    while (t < time) {
      const minute = Math.floor(t / MINUTE_MS) * MINUTE_MS;
      const end = Math.min(time, minute + MINUTE_MS);
      const ms = end - t;
      const b = this.bucket(t);
      b.runningMs += ms;
      if (this.flags.spreadCompliant) b.spreadCompliantMs += ms;
      if (this.flags.twoSided) b.twoSidedMs += ms;
      if (this.flags.depth) b.depthMs += ms;
      t = end;
    }
    return time;
  }

  private bucket(time: number): MutableBucket {
    const minute = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    let b = this.buckets.get(minute);
    if (!b) {
      b = {
        minute,
        runningMs: 0,
        spreadCompliantMs: 0,
        twoSidedMs: 0,
        depthMs: 0,
        ordersPlaced: 0,
        ordersDepthOk: 0,
        ordersFilled: 0,
        placedNotional: new Decimal(0),
        filledNotional: new Decimal(0),
        latencyCount: 0,
        latencySumMs: 0,
        latencyMaxMs: 0,
        latencyHistogram: emptyHistogram(),
      };
      this.buckets.set(minute, b);
    }
    return b;
  }
}
