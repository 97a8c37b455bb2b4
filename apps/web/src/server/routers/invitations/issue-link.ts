import { z } from "zod";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";
import { invitationPath, newInvitationToken } from "./tokens";

// An owner takes over a pending invitation's link (an admin invited and no email goes out, or the email did not
// arrive): a new token replaces the old one, so only the link shown here works, and only to the invited address.
export const issueInvitationLink = teamProcedure("MANAGE_MEMBERS")
  .input(z.object({ invitationId: z.string().min(1) }))
  .output(z.object({ id: z.string(), email: z.string(), expiresAt: z.date(), path: z.string() }))
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      const now = new Date();
      const { token, tokenHash } = newInvitationToken();
      const updated = await tx.invitation.updateMany({
        where: { id: input.invitationId, teamId: ctx.team.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { tokenHash },
      });
      if (updated.count === 0) throw new AppError("NOT_FOUND", "This invitation is not pending (accepted, revoked, expired or not in this team).");
      const invitation = await tx.invitation.findUniqueOrThrow({ where: { id: input.invitationId }, select: { id: true, email: true, role: true, expiresAt: true } });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "invitation.issue_link",
        entityType: "Invitation",
        entityId: invitation.id,
        payload: { email: invitation.email, role: invitation.role },
      });
      return { id: invitation.id, email: invitation.email, expiresAt: invitation.expiresAt, path: invitationPath(token) };
    }),
  );
