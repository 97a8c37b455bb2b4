import { alertRuleInputSchema } from "@bandkeeper/core/alerts";
import { z } from "zod";
import { recordAudit } from "../../audit";
import { teamProcedure } from "../../trpc";
import { checkRuleTargets, teamRule } from "./shared";

export const updateAlertRule = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(z.object({ ruleId: z.string().min(1), rule: alertRuleInputSchema }))
  .output(z.object({ id: z.string() }))
  .mutation(async ({ ctx, input }) => {
    return ctx.db.$transaction(async (tx) => {
      const before = await teamRule(tx, ctx.team.id, input.ruleId);
      await checkRuleTargets(tx, ctx.team.id, input.rule, "rule.");
      const { channelIds, ...rule } = input.rule;
      await tx.alertRuleChannel.deleteMany({ where: { ruleId: before.id } });
      await tx.alertRule.update({
        where: { id: before.id },
        data: { ...rule, channels: { create: [...new Set(channelIds)].map((channelId) => ({ channelId })) } },
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "alert_rule.update",
        entityType: "AlertRule",
        entityId: before.id,
        payload: {
          before: { name: before.name, kind: before.kind, botId: before.botId, threshold: before.threshold?.toNumber() ?? null, windowSeconds: before.windowSeconds, escalateAfterMinutes: before.escalateAfterMinutes, enabled: before.enabled },
          after: { ...input.rule },
        },
      });
      return { id: before.id };
    });
  });
