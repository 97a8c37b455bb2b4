// A KPI bucket row (a minute, or an hour rollup: the same columns) as core's KpiMinuteBucket, so that the
// dashboard and alert evaluation sum and judge stored KPIs with core's own accounting.
import type { KpiMinuteBucket } from "@bandkeeper/core/kpi";
import type { KpiBucket } from "./generated/prisma/client";

export type KpiBucketColumns = Omit<KpiBucket, "id" | "botId" | "minute" | "updatedAt">;

export function kpiBucketOf(botId: string, start: Date, row: KpiBucketColumns): KpiMinuteBucket {
  return {
    botKey: botId,
    minute: start.getTime(),
    runningMs: row.runningMs,
    spreadCompliantMs: row.compliantMs,
    twoSidedMs: row.twoSidedMs,
    depthMs: row.depthMs,
    ordersPlaced: row.ordersPlaced,
    ordersDepthOk: row.ordersDepthOk,
    ordersFilled: row.ordersFilled,
    placedNotional: row.placedNotional.toFixed(),
    filledNotional: row.filledNotional.toFixed(),
    latencyCount: row.latencyCount,
    latencySumMs: row.latencySumMs,
    latencyMaxMs: row.latencyMaxMs,
    latencyHistogram: row.latencyHistogram,
  };
}
