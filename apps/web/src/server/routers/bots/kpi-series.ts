import { sumBuckets } from "@bandkeeper/core/kpi";
import { z } from "zod";
import { AppError } from "../../errors";
import { kpiPeriods } from "../../kpis/queries";
import { kpiSummaryOutput, summaryOf } from "../../kpis/summary";
import { KPI_RANGES, RANGE_SETTINGS, rangeWindow } from "../../kpis/windows";
import { teamProcedure } from "../../trpc";
import { botIdInput } from "./detail";

export const kpiSeriesOutput = z.object({
  range: z.enum(KPI_RANGES),
  from: z.date(),
  to: z.date(),
  pointMs: z.number(),
  total: kpiSummaryOutput,
  // Only points with rows; the chart leaves gaps where the bot did not run.
  points: z.array(z.object({ start: z.date(), summary: kpiSummaryOutput })),
});

export type KpiSeries = z.infer<typeof kpiSeriesOutput>;

export const botKpiSeries = teamProcedure("VIEW_TEAM")
  .input(botIdInput.extend({ range: z.enum(KPI_RANGES) }))
  .output(kpiSeriesOutput)
  .query(async ({ ctx, input }) => {
    const bot = await ctx.db.bot.findFirst({ where: { id: input.botId, teamId: ctx.team.id }, select: { id: true } });
    if (!bot) throw new AppError("NOT_FOUND", "No such bot in this team.");
    const window = rangeWindow(input.range, new Date());
    const { pointMs } = RANGE_SETTINGS[input.range];
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
