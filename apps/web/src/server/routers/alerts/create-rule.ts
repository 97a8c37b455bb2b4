import { alertRuleInputSchema } from "@bandkeeper/core/alerts";
import { z } from "zod";
import { recordAudit } from "../../audit";
import { teamProcedure } from "../../trpc";
import { checkRuleTargets } from "./shared";

export const createAlertRule = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(alertRuleInputSchema)
  .output(z.object({ id: z.string() }))
  .mutation(async ({ ctx, input }) => {
    return ctx.db.$transaction(async (tx) => {
      await checkRuleTargets(tx, ctx.team.id, input);
      const { channelIds, ...rule } = input;
      const created = await tx.alertRule.create({
        data: { ...rule, teamId: ctx.team.id, channels: { create: [...new Set(channelIds)].map((channelId) => ({ channelId })) } },
        select: { id: true },
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "alert_rule.create",
        entityType: "AlertRule",
        entityId: created.id,
        payload: { ...input },
      });
      return created;
    });
  });
