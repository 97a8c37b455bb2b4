export type RateLimitType = "REQUEST_WEIGHT" | "ORDERS" | "RAW_REQUESTS";
export type RateLimitInterval = "SECOND" | "MINUTE" | "HOUR" | "DAY";

/** A limit as exchangeInfo's rateLimits array lists it. */
export interface RateLimitRule {
  readonly rateLimitType: RateLimitType;
  readonly interval: RateLimitInterval;
  readonly intervalNum: number;
  readonly limit: number;
}

/**
 * A usage report as the exchange words it: a WebSocket API `rateLimits` entry, or an X-MBX-USED-WEIGHT-1M /
 * X-MBX-ORDER-COUNT-10S header read by the exchange client. Kept in the wire's loose vocabulary: a type or
 * interval this budget does not know is ignored, not an error.
 */
export interface RateLimitUsage {
  readonly rateLimitType: string;
  readonly interval: string;
  readonly intervalNum: number;
  readonly count: number;
  /** The exchange's own limit for the window, when the report names it (WebSocket API, exchangeInfo). */
  readonly limit?: number;
}

/** The limit a 429 or 418 named; without an interval it covers every window of that type. */
export interface RateLimitBan {
  readonly rateLimitType: RateLimitType;
  readonly interval?: RateLimitInterval;
  readonly intervalNum?: number;
}

/** Binance Spot's documented limits: weight and raw requests per IP, new orders per account. */
export const BINANCE_SPOT_IP_LIMITS: readonly RateLimitRule[] = [
  { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 },
  { rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: 300_000 },
];
export const BINANCE_SPOT_ACCOUNT_LIMITS: readonly RateLimitRule[] = [
  { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 50 },
  { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: 160_000 },
];

const INTERVAL_MS: Readonly<Record<string, number>> = { SECOND: 1_000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

/** A window's length in ms; NaN for an interval the exchange may add that this code does not know. */
export function intervalMs(rule: { readonly interval: string; readonly intervalNum: number }): number {
  return (INTERVAL_MS[rule.interval] ?? Number.NaN) * rule.intervalNum;
}

/** What one request costs. Binance counts every request against RAW_REQUESTS. */
export interface RequestCost {
  readonly weight?: number;
  readonly orders?: number;
  readonly rawRequests?: number;
  /** Critical requests may use the whole limit; the others stop at the budget's safety factor. */
  readonly critical?: boolean;
}

export type BudgetDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "BANNED"; readonly limit: RateLimitBan; readonly retryAt: number }
  | { readonly ok: false; readonly reason: "LIMIT"; readonly rule: RateLimitRule; readonly used: number; readonly retryAt: number };

export interface BudgetSettings {
  readonly rules: readonly RateLimitRule[];
  /** Share of each limit normal requests may use; the rest is kept for critical ones. Default 0.9. */
  readonly safetyFactor?: number;
}

interface WindowState {
  readonly rule: RateLimitRule;
  readonly lengthMs: number;
  /** The rule's limit until the exchange reports another one. */
  limit: number;
  start: number;
  used: number;
}

interface BanState {
  readonly limit: RateLimitBan;
  until: number;
}

function costFor(type: RateLimitType, cost: RequestCost): number {
  switch (type) {
    case "REQUEST_WEIGHT":
      return cost.weight ?? 0;
    case "ORDERS":
      return cost.orders ?? 0;
    case "RAW_REQUESTS":
      return cost.rawRequests ?? 0;
  }
}

/**
 * An IP over its weight or raw-request limit has every request refused, even those that cost no weight; an
 * account over its order count has only new orders refused, so cancels and queries still go out.
 */
function banBlocks(type: RateLimitType, cost: RequestCost): boolean {
  return type === "ORDERS" ? (cost.orders ?? 0) > 0 : true;
}

function currentRule(w: WindowState): RateLimitRule {
  return w.limit === w.rule.limit ? w.rule : { ...w.rule, limit: w.limit };
}

function banKey(limit: RateLimitBan): string {
  return limit.interval === undefined ? limit.rateLimitType : `${limit.rateLimitType}_${limit.intervalNum ?? 1}${limit.interval}`;
}

/**
 * Counters over fixed windows that start on their boundary (a minute window on the minute, the day at 00:00
 * UTC), as the exchange counts them. One budget per IP (weight, raw requests) and one per account (orders),
 * shared by every bot that uses them; `tryConsumeAll` charges several at once or none. Requests are denied,
 * never queued: the caller decides to drop, retry later (`retryAt`) or degrade. The exchange's word wins: its
 * usage reports raise the counts (`sync`) and its 429/418 refusals ban only the limit they name (`banUntil`).
 */
export class RateLimitBudget {
  private readonly windows: WindowState[];
  private readonly safetyFactor: number;
  private readonly bans = new Map<string, BanState>();

  constructor(settings: BudgetSettings) {
    this.safetyFactor = settings.safetyFactor ?? 0.9;
    if (!(this.safetyFactor > 0 && this.safetyFactor <= 1)) throw new RangeError("safetyFactor must be in (0, 1]");
    this.windows = settings.rules.map((rule) => ({ rule, lengthMs: intervalMs(rule), limit: rule.limit, start: 0, used: 0 }));
  }

  tryConsume(cost: RequestCost, now: number): BudgetDecision {
    return RateLimitBudget.tryConsumeAll([[this, cost]], now);
  }

  /** Charges every budget its cost if all allow it, none otherwise. */
  static tryConsumeAll(charges: readonly (readonly [RateLimitBudget, RequestCost])[], now: number): BudgetDecision {
    for (const [budget, cost] of charges) {
      const decision = budget.check(cost, now);
      if (!decision.ok) return decision;
    }
    for (const [budget, cost] of charges) budget.charge(cost, now);
    return { ok: true };
  }

  /** Counts a request that is sent whatever the budget says (reconciliation, emergency stop). */
  record(cost: RequestCost, now: number): void {
    this.charge(cost, now);
  }

  /**
   * Takes the exchange's counts as the truth where they are higher (they include other processes' requests, and
   * the weight of failed orders); a lower count is not adopted, since it may predate requests still in flight.
   * A report that names its limit replaces the rule's.
   */
  sync(reports: readonly RateLimitUsage[], now: number): void {
    for (const report of reports) {
      const lengthMs = intervalMs(report);
      for (const w of this.windows) {
        if (w.rule.rateLimitType !== report.rateLimitType || w.lengthMs !== lengthMs) continue;
        this.roll(w, now);
        w.used = Math.max(w.used, report.count);
        if (report.limit !== undefined && Number.isInteger(report.limit) && report.limit > 0) w.limit = report.limit;
      }
    }
  }

  /**
   * Obeys a 429 or 418 for the limit it named, until `until` (local epoch ms). A budget keeps only bans on
   * limits it counts, so the same refusal can be offered to the IP's and the account's budget alike.
   */
  banUntil(limit: RateLimitBan, until: number): void {
    if (!this.windows.some((w) => w.rule.rateLimitType === limit.rateLimitType)) return;
    const key = banKey(limit);
    const ban = this.bans.get(key);
    if (ban === undefined) this.bans.set(key, { limit, until });
    else ban.until = Math.max(ban.until, until);
  }

  usage(now: number): { rule: RateLimitRule; used: number; windowStart: number; windowEnd: number }[] {
    return this.windows.map((w) => {
      this.roll(w, now);
      return { rule: currentRule(w), used: w.used, windowStart: w.start, windowEnd: w.start + w.lengthMs };
    });
  }

  /** The bans still in force at `now`. */
  bansInForce(now: number): { limit: RateLimitBan; until: number }[] {
    return [...this.bans.values()].filter((ban) => ban.until > now).map(({ limit, until }) => ({ limit, until }));
  }

  private check(cost: RequestCost, now: number): BudgetDecision {
    const ban = this.banFor(cost, now);
    if (ban !== undefined) return { ok: false, reason: "BANNED", limit: ban.limit, retryAt: ban.until };
    const share = cost.critical ? 1 : this.safetyFactor;
    for (const w of this.windows) {
      const amount = costFor(w.rule.rateLimitType, cost);
      if (amount === 0) continue;
      this.roll(w, now);
      if (w.used + amount > Math.floor(w.limit * share)) {
        return { ok: false, reason: "LIMIT", rule: currentRule(w), used: w.used, retryAt: w.start + w.lengthMs };
      }
    }
    return { ok: true };
  }

  /** The longest ban in force that refuses this request. */
  private banFor(cost: RequestCost, now: number): BanState | undefined {
    let found: BanState | undefined;
    for (const [key, ban] of this.bans) {
      if (ban.until <= now) {
        this.bans.delete(key);
        continue;
      }
      if (banBlocks(ban.limit.rateLimitType, cost) && (found === undefined || ban.until > found.until)) found = ban;
    }
    return found;
  }

  private charge(cost: RequestCost, now: number): void {
    for (const w of this.windows) {
      const amount = costFor(w.rule.rateLimitType, cost);
      if (amount === 0) continue;
      this.roll(w, now);
      w.used += amount;
    }
  }

  private roll(w: WindowState, now: number): void {
    const start = Math.floor(now / w.lengthMs) * w.lengthMs;
    if (start > w.start) {
      w.start = start;
      w.used = 0;
    }
  }
}
