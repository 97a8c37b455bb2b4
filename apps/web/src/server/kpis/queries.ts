// KPI reads for the dashboard. Buckets hold milliseconds and counts (docs/kpis.md), so any window is their
// sum: short windows read the minute rows, long ones the hour rollups the engine writes in the same transaction.
import { type KpiMinuteBucket, LATENCY_BUCKET_COUNT, emptyHistogram } from "@bandkeeper/core/kpi";
import { Prisma } from "@bandkeeper/db/client";
import { kpiBucketOf } from "@bandkeeper/db/kpi-buckets";
import type { Database } from "../db";

export type KpiResolution = "minute" | "hour";

const TABLES: Record<KpiResolution, { table: Prisma.Sql; time: Prisma.Sql }> = {
  minute: { table: Prisma.raw(`"KpiBucket"`), time: Prisma.raw(`"minute"`) },
  hour: { table: Prisma.raw(`"KpiHourBucket"`), time: Prisma.raw(`"hour"`) },
};

export interface KpiWindow {
  resolution: KpiResolution;
  /** Inclusive start and exclusive end, matched against each row's minute or hour. */
  from: Date;
  to: Date;
}

interface SumRow {
  botId: string;
  period: Date;
  runningMs: number;
  compliantMs: number;
  twoSidedMs: number;
  depthMs: number;
  ordersPlaced: number;
  ordersDepthOk: number;
  ordersFilled: number;
  placedNotional: string;
  filledNotional: string;
  latencyCount: number;
  latencySumMs: number;
  latencyMaxMs: number;
}

/**
 * KPI sums per bot over the window, and per period of `periodMs` (counted from the window's start) when given.
 * Two grouped scans: the scalar sums, and the latency histogram summed element by element (its many empty buckets
 * skipped before grouping: most latencies fall into a few buckets).
 */
async function sumKpis(db: Database, botIds: readonly string[], window: KpiWindow, periodMs?: number): Promise<KpiMinuteBucket[]> {
  if (botIds.length === 0) return [];
  const { table, time } = TABLES[window.resolution];
  const ids = [...botIds];
  const period =
    periodMs === undefined
      ? Prisma.sql`${window.from}::timestamp`
      : Prisma.sql`date_bin(${`${periodMs} milliseconds`}::interval, ${time}, ${window.from}::timestamp)`;
  const where = Prisma.sql`"botId" = ANY(${ids}) AND ${time} >= ${window.from} AND ${time} < ${window.to}`;
  // Sums of int columns over 30 days pass 2^31: summed as float8, exact far beyond that.
  const [sums, histograms] = await Promise.all([
    db.$queryRaw<SumRow[]>`
      SELECT "botId", ${period} AS period,
        sum("runningMs")::float8 AS "runningMs", sum("compliantMs")::float8 AS "compliantMs",
        sum("twoSidedMs")::float8 AS "twoSidedMs", sum("depthMs")::float8 AS "depthMs",
        sum("ordersPlaced")::float8 AS "ordersPlaced", sum("ordersDepthOk")::float8 AS "ordersDepthOk",
        sum("ordersFilled")::float8 AS "ordersFilled",
        sum("placedNotional")::text AS "placedNotional", sum("filledNotional")::text AS "filledNotional",
        sum("latencyCount")::float8 AS "latencyCount", sum("latencySumMs")::float8 AS "latencySumMs",
        max("latencyMaxMs")::float8 AS "latencyMaxMs"
      FROM ${table} WHERE ${where}
      GROUP BY 1, 2 ORDER BY 1, 2`,
    db.$queryRaw<{ botId: string; period: Date; index: number; count: number }[]>`
      SELECT "botId", ${period} AS period, h.i::int - 1 AS index, sum(h.n)::float8 AS count
      FROM ${table}, unnest("latencyHistogram") WITH ORDINALITY AS h(n, i)
      WHERE ${where} AND h.n <> 0
      GROUP BY 1, 2, 3`,
  ]);
  const key = (botId: string, period: Date) => `${botId}/${period.getTime()}`;
  const histogramOf = new Map<string, number[]>();
  for (const { botId, period: start, index, count } of histograms) {
    const histogram = histogramOf.get(key(botId, start)) ?? emptyHistogram();
    if (index < LATENCY_BUCKET_COUNT) histogram[index] = count;
    histogramOf.set(key(botId, start), histogram);
  }
  return sums.map((row) => ({
    botKey: row.botId,
    minute: row.period.getTime(),
    runningMs: row.runningMs,
    spreadCompliantMs: row.compliantMs,
    twoSidedMs: row.twoSidedMs,
    depthMs: row.depthMs,
    ordersPlaced: row.ordersPlaced,
    ordersDepthOk: row.ordersDepthOk,
    ordersFilled: row.ordersFilled,
    placedNotional: row.placedNotional,
    filledNotional: row.filledNotional,
    latencyCount: row.latencyCount,
    latencySumMs: row.latencySumMs,
    latencyMaxMs: row.latencyMaxMs,
    latencyHistogram: histogramOf.get(key(row.botId, row.period)) ?? emptyHistogram(),
  }));
}

/** Each bot's KPIs summed over the window, as one bucket per bot (bots without rows are absent). */
export async function sumKpisByBot(db: Database, botIds: readonly string[], window: KpiWindow): Promise<Map<string, KpiMinuteBucket>> {
  return new Map((await sumKpis(db, botIds, window)).map((bucket) => [bucket.botKey, bucket]));
}

/** One bot's KPIs per period of `periodMs` from the window's start, oldest first; periods without rows are absent. */
export async function kpiPeriods(db: Database, botId: string, window: KpiWindow, periodMs: number): Promise<KpiMinuteBucket[]> {
  return sumKpis(db, [botId], window, periodMs);
}

/** One bot's rows in the window, oldest first, as core's buckets (the minute field holds the row's start). */
export async function kpiBuckets(db: Database, botId: string, window: KpiWindow): Promise<KpiMinuteBucket[]> {
  const { from, to } = window;
  if (window.resolution === "minute") {
    const rows = await db.kpiBucket.findMany({ where: { botId, minute: { gte: from, lt: to } }, orderBy: { minute: "asc" } });
    return rows.map((row) => kpiBucketOf(botId, row.minute, row));
  }
  const rows = await db.kpiHourBucket.findMany({ where: { botId, hour: { gte: from, lt: to } }, orderBy: { hour: "asc" } });
  return rows.map((row) => kpiBucketOf(botId, row.hour, row));
}
