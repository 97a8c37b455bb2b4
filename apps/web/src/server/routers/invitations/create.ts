import { z } from "zod";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { fieldError } from "../../field-error";
import { dashboardUrl, invitationMailConfigured, sendInvitationMail } from "../../invitation-mail";
import { TEAM_ROLES } from "../../permissions";
import { teamProcedure } from "../../trpc";
import { INVITATION_LIFETIME_MS, invitationPath, newInvitationToken } from "./tokens";

export const createInvitationInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter an email address like name@example.com.")),
  role: z.enum(TEAM_ROLES, { error: "Choose one of OWNER, ADMIN, TRADER or VIEWER." }),
});

// How the link reaches the invitee: mailed to the invited address (SMTP set), shown to the owner who created it, or
// (an admin invited, no SMTP) fetched by an owner, who then sends it: an admin never holds a link, so cannot join
// a second account of their own unseen.
export const INVITATION_DELIVERIES = ["EMAIL", "LINK", "OWNER"] as const;

export const createInvitationOutput = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(TEAM_ROLES),
  expiresAt: z.date(),
  delivery: z.enum(INVITATION_DELIVERIES),
  // Shown once, for LINK only: the token is stored only as a hash.
  path: z.string().nullable(),
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
    const delivery = invitationMailConfigured() ? "EMAIL" : ctx.team.role === "OWNER" ? "LINK" : "OWNER";
    const invitation = await ctx.db.$transaction(async (tx) => {
      const member = await tx.membership.findFirst({
        where: { teamId: ctx.team.id, user: { email: input.email } },
        select: { id: true },
      });
      if (member) throw fieldError("email", "Already a member of this team.");
      const replaced = await tx.invitation.updateMany({
        where: { teamId: ctx.team.id, email: input.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { revokedAt: now },
      });
      const created = await tx.invitation.create({
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
        entityId: created.id,
        payload: { email: input.email, role: input.role, replacedEarlier: replaced.count > 0, delivery },
      });
      return created;
    });
    if (delivery === "EMAIL") {
      try {
        await sendInvitationMail({
          to: invitation.email,
          teamName: ctx.team.name,
          invitedBy: ctx.user.name,
          role: invitation.role,
          url: dashboardUrl(invitationPath(token)),
          expiresAt: invitation.expiresAt,
        });
      } catch (error) {
        console.error("invitation email failed", { invitationId: invitation.id, error: error instanceof Error ? error.message : String(error) });
        throw new AppError(
          "MAIL_FAILED",
          `The invitation to ${invitation.email} was created, but the email could not be sent. An owner can get its link under Invitations.`,
        );
      }
    }
    return { ...invitation, delivery, path: delivery === "LINK" ? invitationPath(token) : null };
  });
