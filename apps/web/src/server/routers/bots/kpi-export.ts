import { z } from "zod";
import { AppError } from "../../errors";
import { kpiBuckets, kpiPeriods } from "../../kpis/queries";
import { DAY_MS, KPI_EXPORT_RESOLUTIONS } from "../../kpis/windows";
import { teamProcedure } from "../../trpc";
import { botIdInput } from "./detail";

// Minute rows of a week are ~10,000 lines; longer exports read the hour rollups (a day's row is 24 of them summed).
const MAX_DAYS = { minute: 7, hour: 366, day: 3660 } as const;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-11-27")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "is not a calendar date");

export const kpiExportInput = botIdInput
  .extend({
    // UTC days, both included.
    from: day,
    to: day,
    resolution: z.enum(KPI_EXPORT_RESOLUTIONS).default("hour"),
  })
  .superRefine((input, context) => {
    const days = (Date.parse(`${input.to}T00:00:00Z`) - Date.parse(`${input.from}T00:00:00Z`)) / DAY_MS + 1;
    if (days < 1) context.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
    else if (days > MAX_DAYS[input.resolution]) {
      context.addIssue({ code: "custom", path: ["to"], message: `must be at most ${MAX_DAYS[input.resolution]} days after from for ${input.resolution} rows` });
    }
  });

export type KpiExportInput = z.input<typeof kpiExportInput>;

const bucketOutput = z.object({
  botKey: z.string(),
  minute: z.number(),
  runningMs: z.number(),
  spreadCompliantMs: z.number(),
  twoSidedMs: z.number(),
  depthMs: z.number(),
  ordersPlaced: z.number(),
  ordersDepthOk: z.number(),
  ordersFilled: z.number(),
  placedNotional: z.string(),
  filledNotional: z.string(),
  latencyCount: z.number(),
  latencySumMs: z.number(),
  latencyMaxMs: z.number(),
  latencyHistogram: z.array(z.number()),
});

export const kpiExportOutput = z.object({
  symbol: z.string(),
  accountName: z.string(),
  resolution: z.enum(KPI_EXPORT_RESOLUTIONS),
  from: z.date(),
  to: z.date(),
  buckets: z.array(bucketOutput),
});

/** A bot's KPI rows of whole UTC days, for the CSV export (GET /api/bots/[botId]/kpis). */
export const botKpiExport = teamProcedure("VIEW_TEAM")
  .input(kpiExportInput)
  .output(kpiExportOutput)
  .query(async ({ ctx, input }) => {
    const bot = await ctx.db.bot.findFirst({
      where: { id: input.botId, teamId: ctx.team.id },
      select: { id: true, symbol: true, exchangeAccount: { select: { name: true } } },
    });
    if (!bot) throw new AppError("NOT_FOUND", "No such bot in this team.");
    const from = new Date(`${input.from}T00:00:00Z`);
    const to = new Date(Date.parse(`${input.to}T00:00:00Z`) + DAY_MS);
    const buckets =
      input.resolution === "day"
        ? await kpiPeriods(ctx.db, bot.id, { resolution: "hour", from, to }, DAY_MS)
        : await kpiBuckets(ctx.db, bot.id, { resolution: input.resolution, from, to });
    return {
      symbol: bot.symbol,
      accountName: bot.exchangeAccount.name,
      resolution: input.resolution,
      from,
      to,
      buckets: buckets.map((bucket) => ({ ...bucket, latencyHistogram: [...bucket.latencyHistogram] })),
    };
  });
