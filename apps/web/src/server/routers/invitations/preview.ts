import { z } from "zod";
import { TEAM_ROLES } from "../../permissions";
import { publicProcedure } from "../../trpc";
import { findOpenInvitation } from "./open";

export const invitationTokenInput = z.object({ token: z.string().min(1).max(200) });

// What the invitation page shows before accepting; the token itself is the credential.
export const previewInvitation = publicProcedure
  .input(invitationTokenInput)
  .output(
    z.object({
      teamName: z.string(),
      email: z.string(),
      role: z.enum(TEAM_ROLES),
      invitedBy: z.string(),
      expiresAt: z.date(),
      // An existing user confirms with their password instead of choosing one.
      hasAccount: z.boolean(),
    }),
  )
  .query(async ({ ctx, input }) => {
    const invitation = await findOpenInvitation(ctx.db, input.token, new Date());
    const existing = await ctx.db.user.count({ where: { email: invitation.email } });
    return {
      teamName: invitation.team.name,
      email: invitation.email,
      role: invitation.role,
      invitedBy: invitation.invitedBy.name,
      expiresAt: invitation.expiresAt,
      hasAccount: existing > 0,
    };
  });
