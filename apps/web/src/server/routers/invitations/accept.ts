import { hashPassword, verifyPassword } from "@bandkeeper/db/passwords";
import { lineText } from "@bandkeeper/core/text";
import { z } from "zod";
import { newPasswordSchema } from "~/lib/passwords";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { fieldError } from "../../field-error";
import { publicProcedure } from "../../trpc";
import { findOpenInvitation } from "./open";

export const acceptInvitationInput = z.object({
  token: z.string().min(1).max(200),
  // For a new account: the name and password to create it with. For an existing one: its current password.
  name: lineText({ max: { length: 100, message: "At most 100 characters." } }).optional(),
  password: z.string().min(1, "Enter a password."),
});

// Joins the invitation's team: creates the user when the email has no account yet, or adds a membership to the
// existing account after checking its password. The caller then signs in with the same email and password.
export const acceptInvitation = publicProcedure
  .input(acceptInvitationInput)
  .output(z.object({ email: z.string(), teamId: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const now = new Date();
    const invitation = await findOpenInvitation(ctx.db, input.token, now);
    const existing = await ctx.db.user.findUnique({
      where: { email: invitation.email },
      select: { id: true, passwordHash: true },
    });
    // Who joins: the existing account, or a new one. Hashing is slow: done before the transaction opens.
    let joiner: { userId: string } | { name: string; passwordHash: string };
    if (existing) {
      if (!(await verifyPassword(input.password, existing.passwordHash))) {
        throw fieldError("password", `This is not the password of ${invitation.email}'s account.`);
      }
      joiner = { userId: existing.id };
    } else {
      if (!input.name) throw fieldError("name", "Enter your name.");
      const password = newPasswordSchema.safeParse(input.password);
      if (!password.success) throw fieldError("password", password.error.issues[0]?.message ?? "Choose another password.");
      joiner = { name: input.name, passwordHash: await hashPassword(input.password) };
    }

    return ctx.db.$transaction(async (tx) => {
      // Claimed with a condition, so a link used twice at the same moment joins only once.
      const claimed = await tx.invitation.updateMany({
        where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      });
      if (claimed.count === 0) throw new AppError("NOT_FOUND", "This invitation has already been used. Sign in instead.");
      const userId =
        "userId" in joiner
          ? joiner.userId
          : (await tx.user.create({ data: { email: invitation.email, ...joiner }, select: { id: true } })).id;
      const member = await tx.membership.findUnique({
        where: { userId_teamId: { userId, teamId: invitation.teamId } },
        select: { id: true },
      });
      if (member) throw new AppError("INVALID_INPUT", "You are already a member of this team. Sign in instead.");
      const membership = await tx.membership.create({
        data: { userId, teamId: invitation.teamId, role: invitation.role },
        select: { id: true },
      });
      await recordAudit(tx, {
        teamId: invitation.teamId,
        actorId: userId,
        action: "invitation.accept",
        entityType: "Membership",
        entityId: membership.id,
        payload: { email: invitation.email, role: invitation.role, invitationId: invitation.id, newAccount: !existing },
      });
      return { email: invitation.email, teamId: invitation.teamId };
    });
  });
