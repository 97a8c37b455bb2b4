// The one way the dashboard checks a password: throttled per account and per address (throttle.ts), every
// failure written to the audit log of each team the account belongs to.
import { hashPassword, verifyPassword } from "@bandkeeper/db/passwords";
import { recordAudit } from "../audit";
import type { Database } from "../db";
import { type ThrottleKey, releasePasswordAttempt, reservePasswordAttempt, throttleKeys } from "./throttle";

export const PASSWORD_CHECKS = ["sign-in", "invitation", "password-change", "two-factor-change"] as const;
export type PasswordCheckKind = (typeof PASSWORD_CHECKS)[number];

export interface PasswordCheckRequest {
  check: PasswordCheckKind;
  email: string;
  password: string;
  /** Null when no account has the email: the check still takes as long, and still counts. */
  user: { id: string; passwordHash: string } | null;
  /** The client's address, when known. */
  address: string | null;
  now: Date;
  /**
   * False keeps a right password's attempt counted until the caller releases it (the sign-in of an account with a
   * second factor: until the code is right too, so wrong codes add up like wrong passwords).
   */
  releaseOnSuccess?: boolean;
}

export type PasswordCheckResult = { ok: true; keys: ThrottleKey[] } | { ok: false; throttled: boolean; message: string };

// Compared against when the email is unknown, so a missing account answers as slowly as a wrong password.
let unknownUserHash: Promise<string> | undefined;

export async function checkPassword(db: Database, request: PasswordCheckRequest): Promise<PasswordCheckResult> {
  const keys = throttleKeys(request.email, request.address);
  const reservation = await reservePasswordAttempt(db, keys, request.now);
  if (!reservation.ok) return { ok: false, throttled: true, message: reservation.message };

  unknownUserHash ??= hashPassword("no account has this password");
  const right = await verifyPassword(request.password, request.user?.passwordHash ?? (await unknownUserHash));
  if (right && request.user) {
    if (request.releaseOnSuccess !== false) await releasePasswordAttempt(db, keys);
    return { ok: true, keys };
  }
  if (request.user) await auditFailure(db, request, request.user.id, reservation.locked);
  return {
    ok: false,
    throttled: false,
    message: reservation.locked
      ? "Wrong password. Too many wrong passwords for this account: it is locked for 15 minutes."
      : "Wrong password.",
  };
}

async function auditFailure(db: Database, request: PasswordCheckRequest, userId: string, locked: boolean): Promise<void> {
  const teams = await db.membership.findMany({ where: { userId }, select: { teamId: true } });
  await db.$transaction(async (tx) => {
    for (const { teamId } of teams) {
      await recordAudit(tx, {
        teamId,
        actorId: null,
        action: "user.password_failed",
        entityType: "User",
        entityId: userId,
        payload: { email: request.email, check: request.check, address: request.address, locked },
      });
    }
  });
}
