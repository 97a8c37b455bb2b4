import { emptyHistogram, latencyBucketIndex } from "./histogram";
import { emptyKpiBucket, MINUTE_MS, type KpiMinuteBucket } from "./kpi-tracker";

/**
 * KPI buckets for time a bot should have been running but had no kernel to quote with: a fault and the pause
 * before its restart, or an account whose keys were refused. The operator wants it running, so the time counts as
 * running time with nothing compliant, and the whole gap is one breach episode, ended by the restart. Times are
 * whole ms, split at minute boundaries as the tracker splits them.
 */
export function downtimeBuckets(botKey: string, from: number, to: number): KpiMinuteBucket[] {
  const start = Math.floor(from);
  const end = Math.floor(to);
  if (!(end > start)) return [];
  const buckets: KpiMinuteBucket[] = [];
  for (let t = start; t < end; ) {
    const minute = Math.floor(t / MINUTE_MS) * MINUTE_MS;
    const until = Math.min(end, minute + MINUTE_MS);
    const last = until === end;
    const histogram = emptyHistogram();
    if (last) (histogram[latencyBucketIndex(end - start)] as number)++;
    buckets.push({
      ...emptyKpiBucket(botKey, minute),
      runningMs: until - t,
      latencyCount: last ? 1 : 0,
      latencySumMs: last ? end - start : 0,
      latencyMaxMs: last ? end - start : 0,
      latencyHistogram: histogram,
    });
    t = until;
  }
  return buckets;
}
