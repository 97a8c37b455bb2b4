import { z } from "zod";
import { AppError } from "../../errors";
import { riskReasons } from "../../four-eyes";
import { isAllowed } from "../../permissions";
import { teamProcedure } from "../../trpc";
import { changeRequestOutput, changeRequestSelect, effectiveConfig, toChangeRequestView } from "./change-request";
import { changeReplayOutput, changeReplaySelect, toChangeReplayView } from "./change-replay";

export const getChangeOutput = changeRequestOutput.extend({
  proposedConfig: z.unknown(),
  // The bot's config version now; differing from baseVersion, the request can no longer be approved.
  currentVersion: z.number().int().nullable(),
  // Why it is past the team's risk limits (then an OWNER's approval or two approvals decide it); empty otherwise.
  risks: z.array(z.string()),
  // What the signed-in member may do with it, and why not when they may not review it.
  viewer: z.object({ canReview: z.boolean(), canCancel: z.boolean(), reviewBlockedBy: z.string().nullable() }),
  // A config change replayed over the pair's recent market data, base vs proposed (null for a new bot, or a request
  // proposed before replays existed).
  replay: changeReplayOutput.nullable(),
});

export const getChange = teamProcedure("VIEW_TEAM")
  .input(z.object({ id: z.string().min(1) }))
  .output(getChangeOutput)
  .query(async ({ ctx, input }) => {
    const row = await ctx.db.changeRequest.findFirst({
      where: { id: input.id, teamId: ctx.team.id },
      select: {
        ...changeRequestSelect,
        proposedConfig: true,
        replay: { select: { ...changeReplaySelect, id: true } },
        team: { select: { approvalCoolingOffHours: true, riskyMinNotional: true, riskyMaxSpread: true, riskyOrdersPerSide: true } },
        bot: {
          select: {
            symbol: true,
            exchangeAccount: { select: { id: true, name: true } },
            currentConfigVersion: { select: { version: true } },
          },
        },
      },
    });
    if (!row) throw new AppError("NOT_FOUND", "No such change request.");
    // Whether the HTML report is there, without reading it (it is tens of kB; the page polls this procedure).
    const withHtml = row.replay
      ? await ctx.db.changeRequestReplay.count({ where: { id: row.replay.id, proposedHtml: { not: null } } })
      : 0;

    const pending = row.status === "PENDING";
    const own = row.proposer.id === ctx.user.id;
    const mayReview = isAllowed(ctx.team.role, "REVIEW_CHANGE");
    const reviewBlockedBy = !pending
      ? "This request is decided."
      : own
        ? "You proposed this request: another member with the OWNER or ADMIN role must review it."
        : !mayReview
          ? "Only an OWNER or ADMIN can approve or reject change requests."
          : null;
    return {
      ...toChangeRequestView(row),
      proposedConfig: effectiveConfig(row.proposedConfig),
      currentVersion: row.bot?.currentConfigVersion?.version ?? null,
      risks: riskReasons(row.team, row.proposedConfig),
      replay: row.replay ? toChangeReplayView({ ...row.replay, hasHtmlReport: withHtml > 0 }) : null,
      viewer: {
        canReview: reviewBlockedBy === null,
        canCancel: pending && own && isAllowed(ctx.team.role, "PROPOSE_CHANGE"),
        reviewBlockedBy,
      },
    };
  });
