import { sumBuckets } from "@bandkeeper/core/kpi";
import { z } from "zod";
import { AppError } from "../../errors";
import { type KpiWindow, kpiPeriods } from "../../kpis/queries";
import { kpiSummaryOutput, summaryOf } from "../../kpis/summary";
import { CUSTOM_RANGE_MAX_MS, KPI_RANGES, RANGE_SETTINGS, customWindow, rangeWindow } from "../../kpis/windows";
import { teamProcedure } from "../../trpc";
import { botIdInput } from "./detail";

export const KPI_SERIES_RANGES = [...KPI_RANGES, "custom"] as const;

export const kpiSeriesInput = botIdInput
  .extend({
    range: z.enum(KPI_SERIES_RANGES),
    // Only for "custom": the range the user picked.
    from: z.date().optional(),
    to: z.date().optional(),
  })
  .superRefine((input, context) => {
    if (input.range !== "custom") return;
    if (!input.from) context.addIssue({ code: "custom", path: ["from"], message: "is needed for a custom range" });
    if (!input.to) context.addIssue({ code: "custom", path: ["to"], message: "is needed for a custom range" });
    if (!input.from || !input.to) return;
    const lengthMs = input.to.getTime() - input.from.getTime();
    if (lengthMs <= 0) context.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    else if (lengthMs > CUSTOM_RANGE_MAX_MS) context.addIssue({ code: "custom", path: ["to"], message: "must be at most 366 days after from" });
  });

export const kpiSeriesOutput = z.object({
  range: z.enum(KPI_SERIES_RANGES),
  from: z.date(),
  to: z.date(),
  pointMs: z.number(),
  total: kpiSummaryOutput,
  // Only points with rows; the chart leaves gaps where the bot did not run.
  points: z.array(z.object({ start: z.date(), summary: kpiSummaryOutput })),
});

export type KpiSeries = z.infer<typeof kpiSeriesOutput>;

/** A preset range ends now; a custom one is the user's, widened to whole points. */
function seriesWindow(input: z.infer<typeof kpiSeriesInput>, now: Date): KpiWindow & { pointMs: number } {
  if (input.range !== "custom") return { ...rangeWindow(input.range, now), pointMs: RANGE_SETTINGS[input.range].pointMs };
  // The input's check has already refused a custom range without both ends.
  if (!input.from || !input.to) throw new AppError("INVALID_INPUT", "A custom range needs from and to.");
  return customWindow(input.from, input.to);
}

export const botKpiSeries = teamProcedure("VIEW_TEAM")
  .input(kpiSeriesInput)
  .output(kpiSeriesOutput)
  .query(async ({ ctx, input }) => {
    const bot = await ctx.db.bot.findFirst({ where: { id: input.botId, teamId: ctx.team.id }, select: { id: true } });
    if (!bot) throw new AppError("NOT_FOUND", "No such bot in this team.");
    const { pointMs, ...window } = seriesWindow(input, new Date());
    // Summed per point in the database: a day of minute rows becomes 96 points before it leaves Postgres.
    const points = await kpiPeriods(ctx.db, bot.id, window, pointMs);
    return {
      range: input.range,
      from: window.from,
      to: window.to,
      pointMs,
      total: summaryOf(points.length > 0 ? sumBuckets(points) : undefined),
      points: points.map((point) => ({ start: new Date(point.minute), summary: summaryOf(point) })),
    };
  });
