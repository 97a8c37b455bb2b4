// Trades summed per second and per minute: the unit klines and the 24-hour statistics are built from.
import type Decimal from "decimal.js";

import { ZERO } from "../exchange/num";

/** One interval's trades: the unit klines are built from (per second and per minute). */
export interface Bucket {
  openTime: number;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: Decimal;
  quoteVolume: Decimal;
  takerBuyVolume: Decimal;
  takerBuyQuoteVolume: Decimal;
  count: number;
  firstId: number;
  lastId: number;
}

/** The same sums over any span of buckets. */
export type Totals = Omit<Bucket, "openTime">;

export function addToBuckets(
  buckets: Bucket[],
  openTime: number,
  price: Decimal,
  qty: Decimal,
  takerBought: boolean,
  tradeId: number,
  max: number,
): void {
  let bucket = buckets[buckets.length - 1];
  // A replayed recording may step back in time at its start; such a trade joins the latest bucket.
  if (!bucket || openTime > bucket.openTime) {
    bucket = {
      openTime,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: ZERO,
      quoteVolume: ZERO,
      takerBuyVolume: ZERO,
      takerBuyQuoteVolume: ZERO,
      count: 0,
      firstId: tradeId,
      lastId: tradeId,
    };
    buckets.push(bucket);
    trim(buckets, max);
  }
  const quote = price.mul(qty);
  if (price.gt(bucket.high)) bucket.high = price;
  if (price.lt(bucket.low)) bucket.low = price;
  bucket.close = price;
  bucket.volume = bucket.volume.add(qty);
  bucket.quoteVolume = bucket.quoteVolume.add(quote);
  if (takerBought) {
    bucket.takerBuyVolume = bucket.takerBuyVolume.add(qty);
    bucket.takerBuyQuoteVolume = bucket.takerBuyQuoteVolume.add(quote);
  }
  bucket.count += 1;
  bucket.lastId = tradeId;
}

/** Drops the oldest entries in batches, so trimming costs O(1) per added entry. */
export function trim<T>(list: T[], max: number): void {
  if (list.length > max + max / 10) list.splice(0, list.length - max);
}

/** Index of the first bucket with openTime >= time. */
function firstAtOrAfter(buckets: readonly Bucket[], time: number): number {
  let lo = 0;
  let hi = buckets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((buckets[mid] as Bucket).openTime < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The sums of the buckets in [from, to); undefined when none traded. */
export function totals(buckets: readonly Bucket[], from: number, to: number): Totals | undefined {
  let result: Totals | undefined;
  for (let i = firstAtOrAfter(buckets, from); i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    if (b.openTime >= to) break;
    if (!result) {
      result = { ...b };
      continue;
    }
    if (b.high.gt(result.high)) result.high = b.high;
    if (b.low.lt(result.low)) result.low = b.low;
    result.close = b.close;
    result.volume = result.volume.add(b.volume);
    result.quoteVolume = result.quoteVolume.add(b.quoteVolume);
    result.takerBuyVolume = result.takerBuyVolume.add(b.takerBuyVolume);
    result.takerBuyQuoteVolume = result.takerBuyQuoteVolume.add(b.takerBuyQuoteVolume);
    result.count += b.count;
    result.lastId = b.lastId;
  }
  return result;
}

/** The close of the last bucket before `time`. */
export function closeBefore(buckets: readonly Bucket[], time: number): Decimal | undefined {
  const index = firstAtOrAfter(buckets, time) - 1;
  return index >= 0 ? (buckets[index] as Bucket).close : undefined;
}
