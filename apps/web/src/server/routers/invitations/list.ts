import { z } from "zod";
import { TEAM_ROLES } from "../../permissions";
import { teamProcedure } from "../../trpc";
import { INVITATION_STATUSES, invitationStatus } from "./status";

export const invitationsListOutput = z.array(
  z.object({
    id: z.string(),
    email: z.string(),
    role: z.enum(TEAM_ROLES),
    status: z.enum(INVITATION_STATUSES),
    invitedBy: z.string(),
    createdAt: z.date(),
    expiresAt: z.date(),
  }),
);

// The team's invitations of the last 30 days, newest first; older ones live on in the audit log.
export const listInvitations = teamProcedure("INVITE_MEMBERS")
  .output(invitationsListOutput)
  .query(async ({ ctx }) => {
    const now = new Date();
    const invitations = await ctx.db.invitation.findMany({
      where: { teamId: ctx.team.id, createdAt: { gte: new Date(now.getTime() - 30 * 24 * 60 * 60 * 1000) } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 100,
      select: {
        id: true,
        email: true,
        role: true,
        createdAt: true,
        expiresAt: true,
        acceptedAt: true,
        revokedAt: true,
        invitedBy: { select: { name: true } },
      },
    });
    return invitations.map((invitation) => ({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      status: invitationStatus(invitation, now),
      invitedBy: invitation.invitedBy.name,
      createdAt: invitation.createdAt,
      expiresAt: invitation.expiresAt,
    }));
  });
