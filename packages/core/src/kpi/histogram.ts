/**
 * Upper bounds (inclusive, ms) of the latency histogram buckets; one more bucket counts everything above the
 * last bound. 1 ms wide up to 20 ms, 5 ms to 100 ms, 10 ms to 200 ms, 50 ms to 1 s, 500 ms to 5 s, then coarse.
 */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = Object.freeze([
  ...Array.from({ length: 20 }, (_, i) => i + 1),
  ...Array.from({ length: 16 }, (_, i) => 25 + i * 5),
  ...Array.from({ length: 10 }, (_, i) => 110 + i * 10),
  ...Array.from({ length: 16 }, (_, i) => 250 + i * 50),
  ...Array.from({ length: 8 }, (_, i) => 1_500 + i * 500),
  10_000,
  30_000,
  60_000,
]);

export const LATENCY_BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

export function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
}

/** Index of the bucket holding `ms`: the first bound >= ms, or the overflow bucket. */
export function latencyBucketIndex(ms: number): number {
  let lo = 0;
  let hi = LATENCY_BUCKET_BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((LATENCY_BUCKET_BOUNDS_MS[mid] as number) >= ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The q-quantile (0 < q <= 1) from a histogram: the upper bound of the bucket holding the ceil(q x count)-th
 * smallest sample, capped at the true maximum. So it is never below the exact quantile and at most one bucket
 * width above it (1 ms below 20 ms, 5 ms up to 100 ms, ...); in the overflow bucket it is the maximum itself.
 */
export function histogramQuantile(histogram: readonly number[], q: number, maxMs: number): number | null {
  const count = histogram.reduce((a, b) => a + b, 0);
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(q * count));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] as number;
    if (seen >= rank) {
      const bound = LATENCY_BUCKET_BOUNDS_MS[i];
      return bound === undefined ? maxMs : Math.min(bound, maxMs);
    }
  }
  return maxMs;
}
