import { alertRuleInputSchema } from "@bandkeeper/core/alerts";
import { z } from "zod";
import { recordAudit } from "../../audit";
import { teamProcedure } from "../../trpc";
import { channelsForNewRule } from "./default-channel";
import { checkRuleTargets } from "./shared";

export const createAlertRule = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(alertRuleInputSchema)
  .output(z.object({ id: z.string() }))
  .mutation(async ({ ctx, input }) => {
    return ctx.db.$transaction(async (tx) => {
      await checkRuleTargets(tx, ctx.team.id, input);
      const { channelIds: named, ...rule } = input;
      // A rule without channels of its own goes to the team's default channel.
      const channelIds = await channelsForNewRule(tx, ctx.team.id, named);
      const created = await tx.alertRule.create({
        data: { ...rule, teamId: ctx.team.id, channels: { create: channelIds.map((channelId) => ({ channelId })) } },
        select: { id: true },
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "alert_rule.create",
        entityType: "AlertRule",
        entityId: created.id,
        payload: { ...input, channelIds },
      });
      return created;
    });
  });
