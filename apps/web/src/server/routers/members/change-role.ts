import { z } from "zod";
import { recordAudit } from "../../audit";
import { TEAM_ROLES } from "../../permissions";
import { noticeToTeam } from "../../team-notices";
import { teamProcedure } from "../../trpc";
import { assertAnotherOwner, findMembership, lockTeamMemberships } from "./owners";

export const changeRoleInput = z.object({
  membershipId: z.string().min(1),
  role: z.enum(TEAM_ROLES, { error: "Choose one of OWNER, ADMIN, TRADER or VIEWER." }),
});

export const changeMemberRole = teamProcedure("MANAGE_MEMBERS")
  .input(changeRoleInput)
  .output(z.object({ id: z.string(), role: z.enum(TEAM_ROLES) }))
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      await lockTeamMemberships(tx, ctx.team.id);
      const membership = await findMembership(tx, ctx.team.id, input.membershipId);
      if (membership.role === input.role) return { id: membership.id, role: membership.role };
      if (membership.role === "OWNER") await assertAnotherOwner(tx, ctx.team.id, membership.id, "role");
      const updated = await tx.membership.update({
        where: { id: membership.id },
        data: { role: input.role },
        select: { id: true, role: true },
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "member.change_role",
        entityType: "Membership",
        entityId: membership.id,
        payload: { email: membership.user.email, from: membership.role, to: input.role },
      });
      await noticeToTeam(
        tx,
        ctx.team.id,
        `${ctx.user.name} changed the role of ${membership.user.name} (${membership.user.email}) in ${ctx.team.name} from ${membership.role} to ${input.role}.`,
      );
      return updated;
    }),
  );
