import { decryptSecret } from "@bandkeeper/db/crypto";
import QRCode from "qrcode";
import { z } from "zod";
import { recordAuditInUserTeams } from "../../audit";
import { AppError } from "../../errors";
import { encryptionKey } from "../../exchange";
import { fieldError } from "../../field-error";
import { TWO_FACTOR_ACTIONS, isAllowed } from "../../permissions";
import { checkPassword } from "../../sign-in/password-check";
import { endAllSessions } from "../../sign-in/sessions";
import { acceptedTimeStep, checkSecondFactor, newTotpSecret, replaceRecoveryCodes, sealTotpSecret, totpUri } from "../../sign-in/two-factor";
import { protectedProcedure, router, type Context, type SessionUser } from "../../trpc";

const codeInput = z.string().trim().min(1, "Enter the code from your authenticator app.").max(40);

// Does any of the user's teams refuse them something without a second factor?
async function teamsRequiringIt(ctx: Context & { user: SessionUser }): Promise<string[]> {
  const memberships = await ctx.db.membership.findMany({
    where: { userId: ctx.user.id, team: { requireTwoFactor: true } },
    select: { role: true, team: { select: { name: true } } },
  });
  return memberships
    .filter((membership) => TWO_FACTOR_ACTIONS.some((action) => isAllowed(membership.role, action)))
    .map((membership) => membership.team.name);
}

async function passwordOrRefuse(ctx: Context & { user: SessionUser }, password: string, now: Date): Promise<void> {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { id: true, email: true, passwordHash: true } });
  const check = await checkPassword(ctx.db, { check: "two-factor-change", email: user.email, password, user, address: ctx.address ?? null, now });
  if (!check.ok) {
    if (check.throttled) throw new AppError("THROTTLED", check.message);
    throw fieldError("password", "This is not your current password.");
  }
}

const status = protectedProcedure
  .output(
    z.object({
      enabled: z.boolean(),
      enabledAt: z.date().nullable(),
      recoveryCodesLeft: z.number().int(),
      // Teams that require it for the user's role there.
      requiredBy: z.array(z.string()),
    }),
  )
  .query(async ({ ctx }) => {
    const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { totpEnabledAt: true } });
    const recoveryCodesLeft = await ctx.db.recoveryCode.count({ where: { userId: ctx.user.id, usedAt: null } });
    return { enabled: user.totpEnabledAt !== null, enabledAt: user.totpEnabledAt, recoveryCodesLeft: user.totpEnabledAt ? recoveryCodesLeft : 0, requiredBy: await teamsRequiringIt(ctx) };
  });

// Step one: a new secret for the authenticator app, kept (encrypted) until a code from the app proves it.
const begin = protectedProcedure
  .input(z.object({ password: z.string().min(1, "Enter your password.") }))
  // The otpauth:// URI, also as a QR code (an SVG data URL) for the app to scan.
  .output(z.object({ secret: z.string(), uri: z.string(), qrCode: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const now = new Date();
    const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { email: true, totpEnabledAt: true } });
    if (user.totpEnabledAt) throw new AppError("INVALID_INPUT", "Two-factor sign-in is on already. Turn it off first to move it to another authenticator.");
    await passwordOrRefuse(ctx, input.password, now);
    const secret = newTotpSecret();
    await ctx.db.user.update({
      where: { id: ctx.user.id },
      data: { totpSecretCiphertext: sealTotpSecret(secret, encryptionKey("Two-factor secrets")), totpLastTimeStep: null },
    });
    const uri = totpUri(user.email, secret);
    const svg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
    return { secret, uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
  });

// Step two: the first code turns it on, gives the recovery codes (shown once) and ends the user's other sessions,
// which began without a second factor.
const confirm = protectedProcedure
  .input(z.object({ code: codeInput }))
  .output(z.object({ recoveryCodes: z.array(z.string()) }))
  .mutation(async ({ ctx, input }) => {
    const now = new Date();
    const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { totpSecretCiphertext: true, totpEnabledAt: true } });
    if (user.totpEnabledAt) throw new AppError("INVALID_INPUT", "Two-factor sign-in is on already.");
    if (!user.totpSecretCiphertext) throw new AppError("INVALID_INPUT", "Start the set-up first: it gives the secret for your authenticator app.");
    const step = await acceptedTimeStep(decryptSecret(user.totpSecretCiphertext, encryptionKey("Two-factor secrets")), input.code, now, null);
    if (step === null) throw fieldError("code", "This code is not right. Enter the 6-digit code your authenticator app shows now.");
    return ctx.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: ctx.user.id }, data: { totpEnabledAt: now, totpLastTimeStep: step } });
      const recoveryCodes = await replaceRecoveryCodes(tx, ctx.user.id, now);
      await endAllSessions(tx, ctx.user.id, now, ctx.user.sessionId);
      await recordAuditInUserTeams(tx, ctx.user.id, { actorId: ctx.user.id, action: "user.two_factor_enabled", payload: { email: ctx.user.email } });
      return { recoveryCodes };
    });
  });

// Needs the password and a code (or a recovery code): a stolen session alone cannot turn it off.
const disable = protectedProcedure
  .input(z.object({ password: z.string().min(1, "Enter your password."), code: codeInput }))
  .output(z.object({ disabledAt: z.date() }))
  .mutation(async ({ ctx, input }) => {
    const now = new Date();
    const user = await ctx.db.user.findUniqueOrThrow({
      where: { id: ctx.user.id },
      select: { id: true, totpSecretCiphertext: true, totpEnabledAt: true, totpLastTimeStep: true },
    });
    if (!user.totpEnabledAt || !user.totpSecretCiphertext) throw new AppError("INVALID_INPUT", "Two-factor sign-in is off already.");
    await passwordOrRefuse(ctx, input.password, now);
    const factor = await checkSecondFactor(ctx.db, { id: user.id, totpSecretCiphertext: user.totpSecretCiphertext, totpLastTimeStep: user.totpLastTimeStep }, input.code, encryptionKey("Two-factor secrets"), now);
    if (!factor.ok) throw fieldError("code", factor.message);
    return ctx.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: ctx.user.id }, data: { totpEnabledAt: null, totpSecretCiphertext: null, totpLastTimeStep: null } });
      await tx.recoveryCode.deleteMany({ where: { userId: ctx.user.id } });
      await recordAuditInUserTeams(tx, ctx.user.id, { actorId: ctx.user.id, action: "user.two_factor_disabled", payload: { email: ctx.user.email } });
      return { disabledAt: now };
    });
  });

// New recovery codes for a current authenticator code; the old ones stop working.
const regenerateRecoveryCodes = protectedProcedure
  .input(z.object({ code: codeInput }))
  .output(z.object({ recoveryCodes: z.array(z.string()) }))
  .mutation(async ({ ctx, input }) => {
    const now = new Date();
    const user = await ctx.db.user.findUniqueOrThrow({
      where: { id: ctx.user.id },
      select: { id: true, totpSecretCiphertext: true, totpEnabledAt: true, totpLastTimeStep: true },
    });
    if (!user.totpEnabledAt || !user.totpSecretCiphertext) throw new AppError("INVALID_INPUT", "Turn two-factor sign-in on first.");
    const factor = await checkSecondFactor(ctx.db, { id: user.id, totpSecretCiphertext: user.totpSecretCiphertext, totpLastTimeStep: user.totpLastTimeStep }, input.code, encryptionKey("Two-factor secrets"), now);
    if (!factor.ok || factor.used !== "totp") throw fieldError("code", factor.ok ? "Enter a code from your authenticator app, not a recovery code." : factor.message);
    return { recoveryCodes: await replaceRecoveryCodes(ctx.db, ctx.user.id, now) };
  });

export const twoFactorRouter = router({ status, begin, confirm, disable, regenerateRecoveryCodes });
