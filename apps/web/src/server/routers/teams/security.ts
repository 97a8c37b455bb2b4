import { decimalString } from "@bandkeeper/core/money";
import { z } from "zod";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";

// The team's four-eyes and sign-in rules (docs/permissions.md): every member may read them, an owner changes them.
export const teamSecurityOutput = z.object({
  approvalCoolingOffHours: z.number().int(),
  requireTwoFactor: z.boolean(),
  riskyMinNotional: z.string().nullable(),
  riskyMaxSpread: z.string().nullable(),
  riskyOrdersPerSide: z.number().int().nullable(),
});

const select = { approvalCoolingOffHours: true, requireTwoFactor: true, riskyMinNotional: true, riskyMaxSpread: true, riskyOrdersPerSide: true } as const;

function toOutput(team: { approvalCoolingOffHours: number; requireTwoFactor: boolean; riskyMinNotional: { toString(): string } | null; riskyMaxSpread: { toString(): string } | null; riskyOrdersPerSide: number | null }) {
  return {
    approvalCoolingOffHours: team.approvalCoolingOffHours,
    requireTwoFactor: team.requireTwoFactor,
    riskyMinNotional: team.riskyMinNotional?.toString() ?? null,
    riskyMaxSpread: team.riskyMaxSpread?.toString() ?? null,
    riskyOrdersPerSide: team.riskyOrdersPerSide,
  };
}

export const teamSecurity = teamProcedure("VIEW_TEAM")
  .output(teamSecurityOutput)
  .query(async ({ ctx }) => toOutput(await ctx.db.team.findUniqueOrThrow({ where: { id: ctx.team.id }, select })));

export const updateTeamSecurityInput = z.object({
  // At most a week; 0 turns the cooling-off (and the inviter rule, which lasts as long) off.
  approvalCoolingOffHours: z
    .number({ error: "Enter a number of hours." })
    .int("Whole hours only.")
    .min(0, "At least 0 hours.")
    .max(168, "At most 168 hours (a week)."),
  requireTwoFactor: z.boolean(),
  riskyMinNotional: decimalString({ max: "1000000000", message: 'A decimal amount such as "50000", at most 1000000000.' }).nullable(),
  riskyMaxSpread: decimalString({ max: "1", message: 'A ratio such as "0.01", above 0 and at most 1.' }).nullable(),
  riskyOrdersPerSide: z.number({ error: "Enter a whole number." }).int("Whole numbers only.").min(1, "At least 1.").max(100, "At most 100.").nullable(),
});

export const updateTeamSecurity = teamProcedure("MANAGE_MEMBERS")
  .input(updateTeamSecurityInput)
  .output(teamSecurityOutput)
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      if (input.requireTwoFactor) {
        const me = await tx.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { totpEnabledAt: true } });
        if (!me.totpEnabledAt) {
          throw new AppError("TWO_FACTOR_REQUIRED", "Set up two-factor sign-in for yourself first (Profile, Two-factor sign-in): requiring it would lock you out of managing the team.");
        }
      }
      const before = toOutput(await tx.team.findUniqueOrThrow({ where: { id: ctx.team.id }, select }));
      const after = toOutput(await tx.team.update({ where: { id: ctx.team.id }, data: input, select }));
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "team.update_security",
        entityType: "Team",
        entityId: ctx.team.id,
        payload: { before, after },
      });
      return after;
    }),
  );
