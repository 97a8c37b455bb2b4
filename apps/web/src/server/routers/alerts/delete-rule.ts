import { z } from "zod";
import { recordAudit } from "../../audit";
import { teamProcedure } from "../../trpc";
import { teamRule } from "./shared";

// Deleting a rule deletes its alert history with it (cascade); disabling keeps the history.
export const deleteAlertRule = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(z.object({ ruleId: z.string().min(1) }))
  .output(z.object({ id: z.string() }))
  .mutation(async ({ ctx, input }) => {
    return ctx.db.$transaction(async (tx) => {
      const rule = await teamRule(tx, ctx.team.id, input.ruleId);
      await tx.alertRule.delete({ where: { id: rule.id } });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "alert_rule.delete",
        entityType: "AlertRule",
        entityId: rule.id,
        payload: { name: rule.name, kind: rule.kind },
      });
      return { id: rule.id };
    });
  });
