/** Usage the exchange reported in its last REST response headers. */
export interface RestRateLimitUsage {
  /** X-MBX-USED-WEIGHT-1M: request weight used in the current minute, per IP. */
  usedWeight1m?: number;
  /** X-MBX-ORDER-COUNT-10S / -1D: unfilled-order count, per account (sent on successful orders). */
  orderCount10s?: number;
  orderCount1d?: number;
  /** Local epoch ms of the response these came from. */
  updatedAt?: number;
}

/** One window's count as the exchange reports it: a WebSocket API `rateLimits` entry, or an X-MBX-* usage header. */
export interface RateLimitCount {
  rateLimitType: string;
  interval: string;
  intervalNum: number;
  count: number;
  /** The window's limit, when the report names it (WebSocket API). */
  limit?: number;
}

export type RateLimitInterval = "SECOND" | "MINUTE" | "HOUR" | "DAY";

/** The limit a 429 or 418 refused; without an interval, every window of that type (a 418 bans the whole IP). */
export interface RefusedLimit {
  rateLimitType: "REQUEST_WEIGHT" | "RAW_REQUESTS" | "ORDERS";
  interval?: RateLimitInterval;
  intervalNum?: number;
}

/**
 * What a response said about the rate limits, from REST and the WebSocket API alike: the counts it carried, or a
 * refusal with the limit it named and the local epoch ms the exchange said to wait until.
 */
export type RateLimitReport =
  | { kind: "usage"; counts: RateLimitCount[] }
  | { kind: "refused"; limit: RefusedLimit; retryAt: number; httpStatus: number; code: number };

export type BackoffScope = "ip" | "orders";

/** Only new orders wait out an order-count refusal; anything over the IP's limits stops every request from it. */
export function backoffScope(limit: RefusedLimit): BackoffScope {
  return limit.rateLimitType === "ORDERS" ? "orders" : "ip";
}

const NAMED_WINDOW = /per (\d+) (SECOND|MINUTE|HOUR|DAY)\b/;

/**
 * The limit a 429/418 refused, from its code and message: -1015 is the account's order count ("... 50 orders per
 * 10 SECOND"), -1003 the IP's request weight ("... 6000 request weight per 1 MINUTE") or raw requests; a 418 is
 * a ban of the whole IP.
 */
export function refusedLimit(httpStatus: number, code: number, msg: string): RefusedLimit {
  if (httpStatus === 418) return { rateLimitType: "REQUEST_WEIGHT" };
  const rawRequests = !/weight/i.test(msg) && /requests per/i.test(msg);
  const rateLimitType = code === -1015 ? "ORDERS" : rawRequests ? "RAW_REQUESTS" : "REQUEST_WEIGHT";
  const window = NAMED_WINDOW.exec(msg);
  if (window?.[1] === undefined) return { rateLimitType };
  return { rateLimitType, interval: window[2] as RateLimitInterval, intervalNum: Number(window[1]) };
}

/**
 * What the exchange told us to stay away from, and until when. A weight limit or ban (-1003) blocks every
 * request from this IP; an order-count limit (-1015) blocks only new orders, so cancels still go out. The IP's
 * blocks can live in a gate shared by every client of the process on the venue (`ipGate`): the exchange refuses
 * all of them alike, and one that kept sending would earn the IP a longer ban. Order-count blocks stay per account.
 */
export class BackoffGate {
  private readonly until = new Map<BackoffScope, { retryAt: number; reason: string }>();

  constructor(private readonly ipGate?: BackoffGate) {}

  block(scope: BackoffScope, retryAt: number, reason: string): void {
    if (scope === "ip" && this.ipGate !== undefined) {
      this.ipGate.block(scope, retryAt, reason);
      return;
    }
    const current = this.until.get(scope);
    if (current === undefined || current.retryAt < retryAt) this.until.set(scope, { retryAt, reason });
  }

  /** The block in force for a request of this kind at `now`, if any. */
  blocking(now: number, placesOrder: boolean): { retryAt: number; reason: string } | undefined {
    const scopes: BackoffScope[] = placesOrder ? ["ip", "orders"] : ["ip"];
    let found: { retryAt: number; reason: string } | undefined;
    for (const scope of scopes) {
      const b = this.until.get(scope);
      if (b === undefined) continue;
      if (b.retryAt <= now) {
        this.until.delete(scope);
        continue;
      }
      if (found === undefined || found.retryAt < b.retryAt) found = b;
    }
    const shared = this.ipGate?.blocking(now, false);
    return shared !== undefined && (found === undefined || found.retryAt < shared.retryAt) ? shared : found;
  }
}

const USAGE_HEADER = /^x-mbx-(used-weight|order-count)-(\d+)([smhd])$/;
const HEADER_INTERVAL: Record<string, RateLimitInterval> = { s: "SECOND", m: "MINUTE", h: "HOUR", d: "DAY" };

/** Every X-MBX-USED-WEIGHT-<n><unit> and X-MBX-ORDER-COUNT-<n><unit> header, as counts in the exchange's words. */
export function usageFromHeaders(headers: Headers): RateLimitCount[] {
  const counts: RateLimitCount[] = [];
  headers.forEach((value, name) => {
    const m = USAGE_HEADER.exec(name.toLowerCase());
    const count = Number(value);
    if (m === null || value.trim() === "" || !Number.isInteger(count) || count < 0) return;
    counts.push({
      rateLimitType: m[1] === "used-weight" ? "REQUEST_WEIGHT" : "ORDERS",
      interval: HEADER_INTERVAL[m[3] as string] as RateLimitInterval,
      intervalNum: Number(m[2]),
      count,
    });
  });
  return counts;
}

function countOf(counts: readonly RateLimitCount[], rateLimitType: string, interval: string, intervalNum: number): number | undefined {
  return counts.find((c) => c.rateLimitType === rateLimitType && c.interval === interval && c.intervalNum === intervalNum)?.count;
}

/** The header counts as `RestRateLimitUsage`, keeping what a response did not carry (a GET has no order counts). */
export function restUsageFrom(counts: readonly RateLimitCount[], now: number, previous: RestRateLimitUsage): RestRateLimitUsage {
  const usedWeight1m = countOf(counts, "REQUEST_WEIGHT", "MINUTE", 1);
  const orderCount10s = countOf(counts, "ORDERS", "SECOND", 10);
  const orderCount1d = countOf(counts, "ORDERS", "DAY", 1);
  if (usedWeight1m === undefined && orderCount10s === undefined && orderCount1d === undefined) return previous;
  return {
    usedWeight1m: usedWeight1m ?? previous.usedWeight1m,
    orderCount10s: orderCount10s ?? previous.orderCount10s,
    orderCount1d: orderCount1d ?? previous.orderCount1d,
    updatedAt: now,
  };
}

/** Retry-After is in seconds; a 418 message also names the ban's end in server ms. */
export function retryAtFrom(
  headers: Headers,
  msg: string,
  now: number,
  serverToLocal: (serverMs: number) => number,
): number {
  const header = headers.get("retry-after");
  const seconds = header === null ? Number.NaN : Number(header);
  if (Number.isFinite(seconds)) return now + seconds * 1000;
  const banned = /banned until (\d+)/.exec(msg);
  if (banned?.[1] !== undefined) return serverToLocal(Number(banned[1]));
  return now + 60_000;
}
