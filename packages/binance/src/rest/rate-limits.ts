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

export type BackoffScope = "ip" | "orders";

/**
 * What the exchange told us to stay away from, and until when. A weight limit or ban (-1003) blocks every
 * request from this IP; an order-count limit (-1015) blocks only new orders, so cancels still go out.
 */
export class BackoffGate {
  private readonly until = new Map<BackoffScope, { retryAt: number; reason: string }>();

  block(scope: BackoffScope, retryAt: number, reason: string): void {
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
    return found;
  }
}

function headerInt(headers: Headers, name: string): number | undefined {
  const v = headers.get(name);
  if (v === null) return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : undefined;
}

export function readRateLimitHeaders(headers: Headers, now: number, previous: RestRateLimitUsage): RestRateLimitUsage {
  const usedWeight1m = headerInt(headers, "x-mbx-used-weight-1m");
  const orderCount10s = headerInt(headers, "x-mbx-order-count-10s");
  const orderCount1d = headerInt(headers, "x-mbx-order-count-1d");
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
