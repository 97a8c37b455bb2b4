import { hashPassword } from "@bandkeeper/db/passwords";
import { z } from "zod";
import { newPasswordSchema } from "~/lib/passwords";
import { recordAuditInUserTeams } from "../../audit";
import { AppError } from "../../errors";
import { fieldError } from "../../field-error";
import { checkPassword } from "../../sign-in/password-check";
import { endAllSessions } from "../../sign-in/sessions";
import { protectedProcedure } from "../../trpc";

export const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password."),
    newPassword: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((input) => input.confirmPassword === input.newPassword, {
    path: ["confirmPassword"],
    message: "Does not match the new password.",
  })
  .refine((input) => input.newPassword !== input.currentPassword, {
    path: ["newPassword"],
    message: "Must differ from the current password.",
  });

// One's own password: not a team action, so any signed-in user. The current password is checked like a sign-in
// (throttled, failures audited); a new one ends every other session of the user.
export const changePassword = protectedProcedure
  .input(changePasswordInput)
  .output(z.object({ changedAt: z.date(), endedSessions: z.boolean() }))
  .mutation(async ({ ctx, input }) => {
    const now = new Date();
    const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { id: true, email: true, passwordHash: true } });
    const check = await checkPassword(ctx.db, {
      check: "password-change",
      email: user.email,
      password: input.currentPassword,
      user,
      address: ctx.address ?? null,
      now,
    });
    if (!check.ok) {
      if (check.throttled) throw new AppError("THROTTLED", check.message);
      throw fieldError("currentPassword", "This is not your current password.");
    }
    const passwordHash = await hashPassword(input.newPassword);
    return ctx.db.$transaction(async (tx) => {
      const updated = await tx.user.update({ where: { id: ctx.user.id }, data: { passwordHash }, select: { updatedAt: true } });
      await endAllSessions(tx, ctx.user.id, now, ctx.user.sessionId);
      await recordAuditInUserTeams(tx, ctx.user.id, { actorId: ctx.user.id, action: "user.sessions_ended", payload: { reason: "password changed", keptThisSession: true } });
      return { changedAt: updated.updatedAt, endedSessions: true };
    });
  });
