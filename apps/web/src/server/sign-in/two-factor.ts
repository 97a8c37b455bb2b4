// Two-factor sign-in: TOTP (RFC 6238, otplib) with single-use recovery codes. The secret is stored encrypted with
// the server's BANDKEEPER_ENCRYPTION_KEY, like exchange keys; recovery codes only as SHA-256 hashes.
import { createHash, randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret } from "@bandkeeper/db/crypto";
import type { Prisma } from "@bandkeeper/db/client";
import { generateSecret, generateURI, verify } from "otplib";
import type { Database } from "../db";

export const TOTP_ISSUER = "Bandkeeper";
export const RECOVERY_CODE_COUNT = 10;
// A code from the step before or after the current one still counts: phones' clocks drift.
const TOLERANCE_SECONDS = 30;

type Writer = Pick<Database, "user" | "recoveryCode"> | Prisma.TransactionClient;

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(email: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: email, secret });
}

export function sealTotpSecret(secret: string, key: Buffer): string {
  return encryptSecret(secret, key);
}

/** The time step the code belongs to when it is right for the secret and later than `after`; null otherwise. */
export async function acceptedTimeStep(secret: string, code: string, now: Date, after: number | null): Promise<number | null> {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(after === null ? {} : { afterTimeStep: after }),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

/** Ten fresh codes (the old ones stop working); the plain codes are shown once and never stored. */
export async function replaceRecoveryCodes(db: Writer, userId: string, now: Date): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.recoveryCode.deleteMany({ where: { userId } });
  await db.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code), createdAt: now })) });
  return codes;
}

// 10 characters from an alphabet without look-alikes, shown as xxxxx-xxxxx: about 50 bits each.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(code.trim().toLowerCase().replace(/[^a-z0-9]/g, "")).digest("hex");
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(code.trim());
}

export type SecondFactorResult = { ok: true; used: "totp" | "recovery-code" } | { ok: false; message: string };

/**
 * Checks a sign-in's second factor: a current TOTP code (each accepted once) or an unused recovery code (used up).
 * Both writes are conditional, so one code cannot sign in twice even when sent twice at once.
 */
export async function checkSecondFactor(
  db: Database,
  user: { id: string; totpSecretCiphertext: string; totpLastTimeStep: number | null },
  code: string,
  key: Buffer,
  now: Date,
): Promise<SecondFactorResult> {
  if (looksLikeRecoveryCode(code)) {
    const used = await db.recoveryCode.updateMany({
      where: { userId: user.id, codeHash: hashRecoveryCode(code), usedAt: null },
      data: { usedAt: now },
    });
    return used.count === 1 ? { ok: true, used: "recovery-code" } : { ok: false, message: "This recovery code is not valid or was used already." };
  }
  const secret = decryptSecret(user.totpSecretCiphertext, key);
  const step = await acceptedTimeStep(secret, code, now, user.totpLastTimeStep);
  if (step === null) return { ok: false, message: "This code is not right (or was used already). Enter the current code from your authenticator app." };
  const claimed = await db.user.updateMany({
    where: { id: user.id, OR: [{ totpLastTimeStep: null }, { totpLastTimeStep: { lt: step } }] },
    data: { totpLastTimeStep: step },
  });
  return claimed.count === 1 ? { ok: true, used: "totp" } : { ok: false, message: "This code was used already. Wait for the next one." };
}
