import { hashPassword } from "@bandkeeper/db/passwords";
import { lineText } from "@bandkeeper/core/text";
import { z } from "zod";
import { newPasswordSchema } from "~/lib/passwords";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { fieldError } from "../../field-error";
import { checkPassword } from "../../sign-in/password-check";
import { noticeToTeam } from "../../team-notices";
import { publicProcedure } from "../../trpc";
import { findOpenInvitation } from "./open";

export const acceptInvitationInput = z.object({
  token: z.string().min(1).max(200),
  // The address the invitee says they are: it must be the invited one.
  email: z.string().trim().toLowerCase().pipe(z.email("Enter the email address the invitation was sent to.")).optional(),
  // For a new account: the name and password to create it with. For an existing one: its current password.
  name: lineText({ max: { length: 100, message: "At most 100 characters." } }).optional(),
  password: z.string().min(1, "Enter a password."),
});

// Joins the invitation's team: creates the user when the email has no account yet, or adds a membership to the
// existing account after checking its password (throttled like a sign-in). An invitation is bound to the address it
// was sent to: accepting as anyone else is refused. The team's channels hear of the new member. The caller then
// signs in with the same email and password.
export const acceptInvitation = publicProcedure
  .input(acceptInvitationInput)
  .output(z.object({ email: z.string(), teamId: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const now = new Date();
    const invitation = await findOpenInvitation(ctx.db, input.token, now);
    if (input.email !== undefined && input.email !== invitation.email) {
      throw fieldError("email", `This invitation is for ${invitation.email}; it cannot be accepted as ${input.email}.`);
    }
    const existing = await ctx.db.user.findUnique({
      where: { email: invitation.email },
      select: { id: true, passwordHash: true },
    });
    // Who joins: the existing account, or a new one. Hashing is slow: done before the transaction opens.
    let joiner: { userId: string } | { name: string; passwordHash: string };
    if (existing) {
      const check = await checkPassword(ctx.db, {
        check: "invitation",
        email: invitation.email,
        password: input.password,
        user: existing,
        address: ctx.address ?? null,
        now,
      });
      if (!check.ok) {
        if (check.throttled) throw new AppError("THROTTLED", check.message);
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
      const user =
        "userId" in joiner
          ? await tx.user.findUniqueOrThrow({ where: { id: joiner.userId }, select: { id: true, name: true } })
          : await tx.user.create({ data: { email: invitation.email, ...joiner }, select: { id: true, name: true } });
      const member = await tx.membership.findUnique({
        where: { userId_teamId: { userId: user.id, teamId: invitation.teamId } },
        select: { id: true },
      });
      if (member) throw new AppError("INVALID_INPUT", "You are already a member of this team. Sign in instead.");
      const membership = await tx.membership.create({
        data: { userId: user.id, teamId: invitation.teamId, role: invitation.role, invitationId: invitation.id, createdAt: now },
        select: { id: true },
      });
      await recordAudit(tx, {
        teamId: invitation.teamId,
        actorId: user.id,
        action: "invitation.accept",
        entityType: "Membership",
        entityId: membership.id,
        payload: { email: invitation.email, role: invitation.role, invitationId: invitation.id, newAccount: !existing },
      });
      await noticeToTeam(
        tx,
        invitation.teamId,
        `${user.name} (${invitation.email}) joined ${invitation.team.name} as ${invitation.role}, invited by ${invitation.invitedBy.name}.`,
      );
      return { email: invitation.email, teamId: invitation.teamId };
    });
  });
