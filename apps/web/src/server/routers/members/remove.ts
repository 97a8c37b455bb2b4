import { z } from "zod";
import { recordAudit } from "../../audit";
import { endAllSessions } from "../../sign-in/sessions";
import { noticeToTeam } from "../../team-notices";
import { teamProcedure } from "../../trpc";
import { assertAnotherOwner, findMembership, lockTeamMemberships } from "./owners";

// Takes someone out of the team; their user and everything they did (proposals, audit entries) stay. Out of their
// last team, every session of theirs ends.
export const removeMember = teamProcedure("MANAGE_MEMBERS")
  .input(z.object({ membershipId: z.string().min(1) }))
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      await lockTeamMemberships(tx, ctx.team.id);
      const membership = await findMembership(tx, ctx.team.id, input.membershipId);
      if (membership.role === "OWNER") await assertAnotherOwner(tx, ctx.team.id, membership.id, "membershipId");
      await tx.membership.delete({ where: { id: membership.id } });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "member.remove",
        entityType: "Membership",
        entityId: membership.id,
        payload: { email: membership.user.email, name: membership.user.name, role: membership.role },
      });
      const now = new Date();
      if ((await tx.membership.count({ where: { userId: membership.userId } })) === 0) {
        await endAllSessions(tx, membership.userId, now);
      }
      await noticeToTeam(tx, ctx.team.id, `${ctx.user.name} removed ${membership.user.name} (${membership.user.email}, ${membership.role}) from ${ctx.team.name}.`);
      return { id: membership.id };
    }),
  );
