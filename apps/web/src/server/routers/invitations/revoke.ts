import { z } from "zod";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";

export const revokeInvitation = teamProcedure("INVITE_MEMBERS")
  .input(z.object({ invitationId: z.string().min(1) }))
  .output(z.object({ id: z.string(), revokedAt: z.date() }))
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      const invitation = await tx.invitation.findFirst({
        where: { id: input.invitationId, teamId: ctx.team.id },
        select: { id: true, email: true, role: true },
      });
      if (!invitation) throw new AppError("NOT_FOUND", "This invitation does not exist.");
      const revokedAt = new Date();
      // Only a link still usable can be revoked; the condition makes a concurrent acceptance win or lose cleanly.
      const revoked = await tx.invitation.updateMany({
        where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: revokedAt } },
        data: { revokedAt },
      });
      if (revoked.count === 0) {
        throw new AppError("INVALID_INPUT", "This invitation was already accepted, revoked or has expired.");
      }
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "invitation.revoke",
        entityType: "Invitation",
        entityId: invitation.id,
        payload: { email: invitation.email, role: invitation.role },
      });
      return { id: invitation.id, revokedAt };
    }),
  );
