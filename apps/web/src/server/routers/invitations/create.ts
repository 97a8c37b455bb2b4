import { z } from "zod";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { fieldError } from "../../field-error";
import { TEAM_ROLES } from "../../permissions";
import { teamProcedure } from "../../trpc";
import { INVITATION_LIFETIME_MS, invitationPath, newInvitationToken } from "./tokens";

export const createInvitationInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter an email address like name@example.com.")),
  role: z.enum(TEAM_ROLES, { error: "Choose one of OWNER, ADMIN, TRADER or VIEWER." }),
});

export const createInvitationOutput = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(TEAM_ROLES),
  expiresAt: z.date(),
  // Shown once: the token is stored only as a hash.
  path: z.string(),
});

// Issues a link the invitee opens to join; an earlier pending invitation of the same email is replaced.
export const createInvitation = teamProcedure("INVITE_MEMBERS")
  .input(createInvitationInput)
  .output(createInvitationOutput)
  .mutation(async ({ ctx, input }) => {
    if (input.role === "OWNER" && ctx.team.role !== "OWNER") {
      throw new AppError("PERMISSION_DENIED", "Only an owner can invite another owner.");
    }
    const { token, tokenHash } = newInvitationToken();
    const now = new Date();
    return ctx.db.$transaction(async (tx) => {
      const member = await tx.membership.findFirst({
        where: { teamId: ctx.team.id, user: { email: input.email } },
        select: { id: true },
      });
      if (member) throw fieldError("email", "Already a member of this team.");
      const replaced = await tx.invitation.updateMany({
        where: { teamId: ctx.team.id, email: input.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { revokedAt: now },
      });
      const invitation = await tx.invitation.create({
        data: {
          teamId: ctx.team.id,
          email: input.email,
          role: input.role,
          tokenHash,
          invitedById: ctx.user.id,
          createdAt: now,
          expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
        },
        select: { id: true, email: true, role: true, expiresAt: true },
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "invitation.create",
        entityType: "Invitation",
        entityId: invitation.id,
        payload: { email: input.email, role: input.role, replacedEarlier: replaced.count > 0 },
      });
      return { ...invitation, path: invitationPath(token) };
    });
  });
