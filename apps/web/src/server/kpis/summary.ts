import { type KpiSummary, summariseKpis, type KpiMinuteBucket } from "@bandkeeper/core/kpi";
import { z } from "zod";

/** core's KpiSummary on the wire: fractions 0..1, null when there was nothing to measure. */
export const kpiSummaryOutput = z.object({
  runningMs: z.number(),
  spreadCompliance: z.number().nullable(),
  twoSided: z.number().nullable(),
  depthCompliance: z.number().nullable(),
  depthOrderShare: z.number().nullable(),
  passiveFillRate: z.number().nullable(),
  fillsPerHour: z.number().nullable(),
  filledNotionalRate: z.number().nullable(),
  responseLatencyMs: z.object({
    p50: z.number().nullable(),
    p99: z.number().nullable(),
    max: z.number().nullable(),
    count: z.number(),
    totalMs: z.number(),
  }),
  ordersPlaced: z.number(),
  ordersFilled: z.number(),
  placedNotional: z.string(),
  filledNotional: z.string(),
}) satisfies z.ZodType<KpiSummary>;

export type KpiSummaryOutput = z.infer<typeof kpiSummaryOutput>;

/** A bot without rows in the window has the summary of nothing: zero running time, every ratio null. */
export function summaryOf(bucket: KpiMinuteBucket | undefined): KpiSummaryOutput {
  return summariseKpis(bucket ? [bucket] : []);
}
