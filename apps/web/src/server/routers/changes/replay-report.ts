import { z } from "zod";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";

export const replayReportPageOutput = z.object({ html: z.string() });

// The proposed config's HTML replay report (prices, quotes, KPI timeline, breach episodes), for whoever may read
// the change request.
export const replayReport = teamProcedure("VIEW_TEAM")
  .input(z.object({ id: z.string().min(1) }))
  .output(replayReportPageOutput)
  .query(async ({ ctx, input }) => {
    const replay = await ctx.db.changeRequestReplay.findFirst({
      where: { changeRequestId: input.id, changeRequest: { teamId: ctx.team.id } },
      select: { proposedHtml: true },
    });
    if (!replay?.proposedHtml) throw new AppError("NOT_FOUND", "This change request has no replay report.");
    return { html: replay.proposedHtml };
  });
