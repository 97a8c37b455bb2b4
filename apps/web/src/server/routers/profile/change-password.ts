import { hashPassword, verifyPassword } from "@bandkeeper/db/passwords";
import { z } from "zod";
import { newPasswordSchema } from "~/lib/passwords";
import { fieldError } from "../../field-error";
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

// One's own password: not a team action, so any signed-in user, and no team audit entry.
export const changePassword = protectedProcedure
  .input(changePasswordInput)
  .output(z.object({ changedAt: z.date() }))
  .mutation(async ({ ctx, input }) => {
    const user = await ctx.db.user.findUnique({ where: { id: ctx.user.id }, select: { passwordHash: true } });
    if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
      throw fieldError("currentPassword", "This is not your current password.");
    }
    const passwordHash = await hashPassword(input.newPassword);
    const updated = await ctx.db.user.update({
      where: { id: ctx.user.id },
      data: { passwordHash },
      select: { updatedAt: true },
    });
    return { changedAt: updated.updatedAt };
  });
