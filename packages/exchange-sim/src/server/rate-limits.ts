// Binance's fixed-window rate limits (docs/binance-api.md, "Rate limits"): request weight and raw requests per IP, order counts per
// account, the 429 -> 418 escalation. Pure bookkeeping over an injected time; the transports apply the verdicts.
import type { RawRateLimit } from "@bandkeeper/binance/raw-types";

import { ApiError, messages } from "./errors";

export interface RateLimitSettings {
  requestWeightPerMinute: number;
  ordersPer10Seconds: number;
  ordersPerDay: number;
  rawRequestsPer5Minutes: number;
  /** WebSocket API connection attempts per IP (CONNECTIONS, 5 minutes). */
  connectionsPer5Minutes: number;
  /** Requests tolerated from an IP after its 429 in the same window before it is banned (418). */
  requestsAfter429BeforeBan: number;
  /** First ban length; each later ban doubles, up to maxBanMs. */
  firstBanMs: number;
  maxBanMs: number;
}

export const binanceRateLimits: RateLimitSettings = {
  requestWeightPerMinute: 6000,
  ordersPer10Seconds: 50,
  ordersPerDay: 160000,
  rawRequestsPer5Minutes: 300000,
  connectionsPer5Minutes: 300,
  requestsAfter429BeforeBan: 2,
  firstBanMs: 2 * 60_000,
  maxBanMs: 3 * 24 * 3_600_000,
};

const minuteMs = 60_000;
const tenSecondsMs = 10_000;
const fiveMinutesMs = 5 * minuteMs;
const dayMs = 24 * 3_600_000;

/** One entry of a WS API `rateLimits` array. */
export interface RateLimitUsage extends RawRateLimit {
  rateLimitType: "REQUEST_WEIGHT" | "ORDERS" | "RAW_REQUESTS";
  interval: "SECOND" | "MINUTE" | "DAY";
  count: number;
}

export interface ExchangeInfoRateLimit extends RawRateLimit {
  interval: "SECOND" | "MINUTE" | "DAY";
}

class FixedWindowCounter {
  private windowStart = -1;
  private used = 0;
  constructor(private readonly lengthMs: number) {}

  count(nowMs: number): number {
    this.roll(nowMs);
    return this.used;
  }

  add(nowMs: number, amount: number): number {
    this.roll(nowMs);
    this.used += amount;
    return this.used;
  }

  remove(nowMs: number, amount: number): void {
    this.roll(nowMs);
    this.used = Math.max(0, this.used - amount);
  }

  /** Milliseconds until this window resets. */
  remainingMs(nowMs: number): number {
    return windowStartOf(nowMs, this.lengthMs) + this.lengthMs - nowMs;
  }

  private roll(nowMs: number): void {
    const start = windowStartOf(nowMs, this.lengthMs);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
  }
}

// Windows are aligned to the epoch, so a minute window starts on the minute and a day at 00:00 UTC.
function windowStartOf(nowMs: number, lengthMs: number): number {
  return Math.floor(nowMs / lengthMs) * lengthMs;
}

class IpState {
  readonly weight = new FixedWindowCounter(minuteMs);
  readonly raw = new FixedWindowCounter(fiveMinutesMs);
  readonly connections = new FixedWindowCounter(fiveMinutesMs);
  rejectedSince429 = 0;
  rejectedWindowStart = -1;
  bannedUntilMs = 0;
  bans = 0;
}

class AccountState {
  readonly orders10s = new FixedWindowCounter(tenSecondsMs);
  readonly ordersDay = new FixedWindowCounter(dayMs);
}

export class RateLimiter {
  private settings: RateLimitSettings;
  private readonly ips = new Map<string, IpState>();
  private readonly accounts = new Map<string, AccountState>();

  constructor(settings: Partial<RateLimitSettings> = {}) {
    this.settings = { ...binanceRateLimits, ...settings };
  }

  get limits(): RateLimitSettings {
    return this.settings;
  }

  configure(settings: Partial<RateLimitSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  /** The exchangeInfo `rateLimits` array: REST lists RAW_REQUESTS, the WebSocket API lists CONNECTIONS. */
  exchangeInfoRateLimits(transport: "rest" | "wsApi"): ExchangeInfoRateLimit[] {
    return [
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: this.settings.requestWeightPerMinute },
      { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: this.settings.ordersPer10Seconds },
      { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: this.settings.ordersPerDay },
      transport === "rest"
        ? { rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: this.settings.rawRequestsPer5Minutes }
        : { rateLimitType: "CONNECTIONS", interval: "MINUTE", intervalNum: 5, limit: this.settings.connectionsPer5Minutes },
    ];
  }

  /**
   * Admits one request from an IP carrying `weight` (0 for order requests, charged later only if they fail).
   * Throws 418 while banned, 429 -1003 over the weight or raw-request limit; repeated 429s escalate to a ban.
   */
  admit(ip: string, weight: number, nowMs: number): void {
    const state = this.ipState(ip);
    if (state.bannedUntilMs > nowMs) throw this.banError(state, nowMs);
    const raw = state.raw.add(nowMs, 1);
    const used = state.weight.add(nowMs, weight);
    const overWeight = used > this.settings.requestWeightPerMinute;
    const overRaw = raw > this.settings.rawRequestsPer5Minutes;
    if (!overWeight && !overRaw) return;

    const windowStart = windowStartOf(nowMs, minuteMs);
    if (state.rejectedWindowStart !== windowStart) {
      state.rejectedWindowStart = windowStart;
      state.rejectedSince429 = 0;
    }
    state.rejectedSince429 += 1;
    if (state.rejectedSince429 > this.settings.requestsAfter429BeforeBan + 1) {
      this.ban(state, nowMs);
      throw this.banError(state, nowMs);
    }
    const retryAfterMs = overRaw ? state.raw.remainingMs(nowMs) : state.weight.remainingMs(nowMs);
    throw new ApiError(-1003, messages.weightExceeded(this.settings.requestWeightPerMinute), 429, { retryAfterMs });
  }

  /** Counts a WebSocket API connection attempt; throws 429 when the CONNECTIONS window is full. */
  admitConnection(ip: string, nowMs: number): void {
    const state = this.ipState(ip);
    if (state.connections.add(nowMs, 1) > this.settings.connectionsPer5Minutes) {
      const limit = this.settings.connectionsPer5Minutes;
      throw new ApiError(-1034, `Too many connection attempts from IP; current limit is ${limit} per '5 MINUTE'.`, 429, {
        retryAfterMs: state.connections.remainingMs(nowMs),
      });
    }
  }

  /** Adds weight after the fact (a failed order request costs its documented weight). */
  charge(ip: string, weight: number, nowMs: number): void {
    this.ipState(ip).weight.add(nowMs, weight);
  }

  /** Counts a new order for the account, or throws 429 -1015 when a window is full. */
  admitOrder(accountKey: string, nowMs: number): void {
    const state = this.accountState(accountKey);
    if (state.orders10s.count(nowMs) >= this.settings.ordersPer10Seconds) {
      throw new ApiError(-1015, messages.ordersExceeded(this.settings.ordersPer10Seconds, "10 SECOND"), 429, {
        retryAfterMs: state.orders10s.remainingMs(nowMs),
      });
    }
    if (state.ordersDay.count(nowMs) >= this.settings.ordersPerDay) {
      throw new ApiError(-1015, messages.ordersExceeded(this.settings.ordersPerDay, "1 DAY"), 429, {
        retryAfterMs: state.ordersDay.remainingMs(nowMs),
      });
    }
    state.orders10s.add(nowMs, 1);
    state.ordersDay.add(nowMs, 1);
  }

  /** The count is of unfilled orders: an order's first fill gives its slot back. */
  orderFilled(accountKey: string, nowMs: number): void {
    const state = this.accountState(accountKey);
    state.orders10s.remove(nowMs, 1);
    state.ordersDay.remove(nowMs, 1);
  }

  /** Bans an IP now (fault injection), for `durationMs` or the next escalation step. */
  banIp(ip: string, nowMs: number, durationMs?: number): number {
    const state = this.ipState(ip);
    this.ban(state, nowMs, durationMs);
    return state.bannedUntilMs;
  }

  usedWeight(ip: string, nowMs: number): number {
    return this.ipState(ip).weight.count(nowMs);
  }

  orderCounts(accountKey: string, nowMs: number): { tenSeconds: number; day: number } {
    const state = this.accountState(accountKey);
    return { tenSeconds: state.orders10s.count(nowMs), day: state.ordersDay.count(nowMs) };
  }

  /** The WS API `rateLimits` array: weight always, order counts when the request was an order. */
  usage(ip: string, accountKey: string | undefined, nowMs: number): RateLimitUsage[] {
    const usage: RateLimitUsage[] = [];
    if (accountKey !== undefined) {
      const orders = this.orderCounts(accountKey, nowMs);
      usage.push(
        { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: this.settings.ordersPer10Seconds, count: orders.tenSeconds },
        { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: this.settings.ordersPerDay, count: orders.day },
      );
    }
    usage.push({
      rateLimitType: "REQUEST_WEIGHT",
      interval: "MINUTE",
      intervalNum: 1,
      limit: this.settings.requestWeightPerMinute,
      count: this.usedWeight(ip, nowMs),
    });
    return usage;
  }

  reset(): void {
    this.ips.clear();
    this.accounts.clear();
  }

  private ban(state: IpState, nowMs: number, durationMs?: number): void {
    const length = durationMs ?? Math.min(this.settings.firstBanMs * 2 ** state.bans, this.settings.maxBanMs);
    state.bans += 1;
    state.bannedUntilMs = nowMs + length;
  }

  private banError(state: IpState, nowMs: number): ApiError {
    return new ApiError(-1003, messages.banned(state.bannedUntilMs), 418, {
      retryAfterMs: state.bannedUntilMs - nowMs,
    });
  }

  private ipState(ip: string): IpState {
    let state = this.ips.get(ip);
    if (!state) {
      state = new IpState();
      this.ips.set(ip, state);
    }
    return state;
  }

  private accountState(accountKey: string): AccountState {
    let state = this.accounts.get(accountKey);
    if (!state) {
      state = new AccountState();
      this.accounts.set(accountKey, state);
    }
    return state;
  }
}

/** Documented REST weights (docs/binance-api.md, "Rate limits"). */
export function depthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}
