export type RateLimitType = "REQUEST_WEIGHT" | "ORDERS" | "RAW_REQUESTS";
export type RateLimitInterval = "SECOND" | "MINUTE" | "HOUR" | "DAY";

/** A limit as exchangeInfo's rateLimits array lists it. */
export interface RateLimitRule {
  readonly rateLimitType: RateLimitType;
  readonly interval: RateLimitInterval;
  readonly intervalNum: number;
  readonly limit: number;
}

/** A usage report from the exchange: a ws-api `rateLimits` entry, or a header parsed by `usageFromHeaders`. */
export interface RateLimitUsage {
  readonly rateLimitType: RateLimitType;
  readonly interval: RateLimitInterval;
  readonly intervalNum: number;
  readonly count: number;
}

/** Binance Spot's documented limits (SPEC.md section 4): weight per IP, orders per account. */
export const BINANCE_SPOT_IP_LIMITS: readonly RateLimitRule[] = [
  { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 },
  { rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: 300_000 },
];
export const BINANCE_SPOT_ACCOUNT_LIMITS: readonly RateLimitRule[] = [
  { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 50 },
  { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: 160_000 },
];

const INTERVAL_MS: Record<RateLimitInterval, number> = { SECOND: 1_000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

export function intervalMs(rule: Pick<RateLimitRule, "interval" | "intervalNum">): number {
  return INTERVAL_MS[rule.interval] * rule.intervalNum;
}

/** What one request costs. Binance counts every request against RAW_REQUESTS. */
export interface RequestCost {
  readonly weight?: number;
  readonly orders?: number;
  readonly rawRequests?: number;
  /** Critical requests (cancels, emergency stop) may use the whole limit; normal ones stop at the safety factor. */
  readonly critical?: boolean;
}

export type BudgetDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "BANNED"; readonly retryAt: number }
  | { readonly ok: false; readonly reason: "LIMIT"; readonly rule: RateLimitRule; readonly used: number; readonly retryAt: number };

export interface BudgetSettings {
  readonly rules: readonly RateLimitRule[];
  /** Share of each limit normal requests may use; the rest is kept for critical ones. Default 0.9. */
  readonly safetyFactor?: number;
}

interface WindowState {
  readonly rule: RateLimitRule;
  readonly lengthMs: number;
  start: number;
  used: number;
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
 * Counters over fixed windows that start on their boundary (a minute window on the minute, the day at 00:00
 * UTC), as the exchange counts them. One budget per IP (weight, raw requests) and one per account (orders),
 * shared by every bot that uses them; `tryConsumeAll` charges several at once or none. Requests are denied,
 * never queued: the caller decides to drop, retry later (`retryAt`) or degrade.
 */
export class RateLimitBudget {
  private readonly windows: WindowState[];
  private readonly safetyFactor: number;
  private bannedUntil = 0;

  constructor(settings: BudgetSettings) {
    this.safetyFactor = settings.safetyFactor ?? 0.9;
    if (!(this.safetyFactor > 0 && this.safetyFactor <= 1)) throw new RangeError("safetyFactor must be in (0, 1]");
    this.windows = settings.rules.map((rule) => ({ rule, lengthMs: intervalMs(rule), start: 0, used: 0 }));
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

  /** Takes the exchange's counts as the truth where they are higher (they include other processes' requests). */
  sync(reports: readonly RateLimitUsage[], now: number): void {
    for (const report of reports) {
      for (const w of this.windows) {
        if (w.rule.rateLimitType !== report.rateLimitType || w.lengthMs !== intervalMs(report)) continue;
        this.roll(w, now);
        w.used = Math.max(w.used, report.count);
      }
    }
  }

  /** Obeys a 429 or 418: nothing is allowed before `until` (epoch ms). */
  banUntil(until: number): void {
    this.bannedUntil = Math.max(this.bannedUntil, until);
  }

  /** From a Retry-After header in seconds (REST), relative to `now`. */
  retryAfterSeconds(seconds: number, now: number): void {
    this.banUntil(now + seconds * 1_000);
  }

  usage(now: number): { rule: RateLimitRule; used: number; windowStart: number; windowEnd: number }[] {
    return this.windows.map((w) => {
      this.roll(w, now);
      return { rule: w.rule, used: w.used, windowStart: w.start, windowEnd: w.start + w.lengthMs };
    });
  }

  private check(cost: RequestCost, now: number): BudgetDecision {
    if (now < this.bannedUntil) return { ok: false, reason: "BANNED", retryAt: this.bannedUntil };
    const share = cost.critical ? 1 : this.safetyFactor;
    for (const w of this.windows) {
      const amount = costFor(w.rule.rateLimitType, cost);
      if (amount === 0) continue;
      this.roll(w, now);
      if (w.used + amount > Math.floor(w.rule.limit * share)) {
        return { ok: false, reason: "LIMIT", rule: w.rule, used: w.used, retryAt: w.start + w.lengthMs };
      }
    }
    return { ok: true };
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

const HEADER = /^x-mbx-(used-weight|order-count)-(\d+)([smhd])$/i;
const HEADER_INTERVAL: Record<string, RateLimitInterval> = { s: "SECOND", m: "MINUTE", h: "HOUR", d: "DAY" };

/** Reads X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-10S, X-MBX-ORDER-COUNT-1D (any case) into usage reports. */
export function usageFromHeaders(headers: Readonly<Record<string, string | undefined>>): RateLimitUsage[] {
  const reports: RateLimitUsage[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const m = HEADER.exec(name);
    if (!m || value === undefined) continue;
    const count = Number(value);
    if (!Number.isInteger(count) || count < 0) continue;
    reports.push({
      rateLimitType: (m[1] as string).toLowerCase() === "used-weight" ? "REQUEST_WEIGHT" : "ORDERS",
      interval: HEADER_INTERVAL[(m[3] as string).toLowerCase()] as RateLimitInterval,
      intervalNum: Number(m[2]),
      count,
    });
  }
  return reports;
}
