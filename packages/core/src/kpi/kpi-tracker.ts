import { Decimal } from "../money/decimal";
import type { BotConfig } from "../config/bot-config";
import type { Side } from "../side";
import { emptyHistogram, latencyBucketIndex } from "./histogram";

const ZERO = new Decimal(0);

export const MINUTE_MS = 60_000;

/** Per-bot, per-minute KPI facts: integer milliseconds and counts, never percentages (DESIGN.md section 5). */
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
  readonly latencyCount: number;
  readonly latencySumMs: number;
  readonly latencyMaxMs: number;
  /** Counts per LATENCY_BUCKET_BOUNDS_MS bucket, plus the overflow bucket. */
  readonly latencyHistogram: readonly number[];
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
 * Integrates KPI time per minute, exactly as DESIGN.md section 5 defines it:
 * - an order is open from its ORDER_ACKED until its cancel ack, expiry or full fill;
 * - it is inside the band when minSpread <= |price - R| / R <= maxSpread, valid when also its remaining notional
 *   (remaining qty x price) >= minNotional; without a reference price no order is inside the band;
 * - state is constant between facts, so each interval between facts is added to the flags that held during it,
 *   split at minute boundaries; times are floored to whole milliseconds;
 * - response latency: each MARKET_EVENT after which needsAction holds opens a sample; the samples close at the
 *   ORDER_ACKED or ORDER_CANCELED after which needsAction no longer holds, with latency = that ack's time - the
 *   event's receive time, rounded up to a whole ms, in the ack's minute. Samples whose breach ends without an
 *   order action (a fill, an expiry, the reference moving back, the bot stopping) are dropped: no response was
 *   made. Market events while not running open no samples.
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
  private flags: KpiFlags = { running: false, spreadCompliant: false, twoSided: false, depth: false, needsAction: false };
  private pendingEvents: number[] = [];

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
    let action = false;
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
        action = true;
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
        action = this.orders.has(fact.clientOrderId);
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
    // A market event changes nothing the flags read; it only opens latency samples.
    if (fact.type !== "MARKET_EVENT") this.flags = this.computeFlags();
    this.trackLatency(fact, time, action);
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

  private trackLatency(fact: KpiFact, time: number, orderAction: boolean): void {
    if (!this.flags.running || !this.flags.needsAction) {
      if (this.pendingEvents.length > 0 && orderAction && this.flags.running) {
        const b = this.bucket(time);
        for (const eventTime of this.pendingEvents) {
          const ms = Math.max(0, Math.ceil(fact.time - eventTime));
          b.latencyCount++;
          b.latencySumMs += ms;
          b.latencyMaxMs = Math.max(b.latencyMaxMs, ms);
          (b.latencyHistogram[latencyBucketIndex(ms)] as number)++;
        }
      }
      this.pendingEvents = [];
      return;
    }
    if (fact.type === "MARKET_EVENT") this.pendingEvents.push(fact.time);
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
      const inBand = bounds !== null && bounds.contains(o.price);
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
    return {
      running,
      spreadCompliant: running && anyOpen && allInBand,
      twoSided: running && valid.BUY && valid.SELL,
      depth: running && depth.BUY.gte(this.minNotional) && depth.SELL.gte(this.minNotional),
      needsAction,
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

/**
 * The band and the drift threshold as absolute offsets from R, so each order is checked without a division. Equal
 * settings share one instance that keeps the offsets of the last R: trackers of bots reading one market view see
 * the same R object per event, and only the first computes them.
 */
class BandBounds {
  private last: { reference: Decimal; bounds: BandAt } | null = null;

  constructor(private readonly settings: KpiSettings) {}

  at(reference: Decimal): BandAt {
    if (this.last?.reference !== reference) {
      const { band, driftThreshold } = this.settings;
      this.last = { reference, bounds: new BandAt(reference, band.minSpread, band.maxSpread, reference.times(driftThreshold)) };
    }
    return this.last.bounds;
  }
}

/** The band around one R as price intervals: a price is in band when |p - R| lies in [R x minSpread, R x maxSpread]. */
class BandAt {
  private readonly below: readonly [Decimal, Decimal];
  private readonly above: readonly [Decimal, Decimal];

  constructor(
    reference: Decimal,
    minSpread: number,
    maxSpread: number,
    readonly drift: Decimal,
  ) {
    const nearest = reference.times(minSpread);
    const farthest = reference.times(maxSpread);
    this.below = [reference.minus(farthest), reference.minus(nearest)];
    this.above = [reference.plus(nearest), reference.plus(farthest)];
  }

  contains(price: Decimal): boolean {
    return (price.gte(this.below[0]) && price.lte(this.below[1])) || (price.gte(this.above[0]) && price.lte(this.above[1]));
  }
}

const boundsBySettings = new WeakMap<KpiSettings, BandBounds>();
const boundsByValues = new Map<string, BandBounds>();

function boundsFor(settings: KpiSettings): BandBounds {
  let bounds = boundsBySettings.get(settings);
  if (!bounds) {
    const key = `${settings.band.minSpread}|${settings.band.maxSpread}|${settings.driftThreshold}`;
    bounds = boundsByValues.get(key) ?? new BandBounds(settings);
    boundsByValues.set(key, bounds);
    boundsBySettings.set(settings, bounds);
  }
  return bounds;
}
