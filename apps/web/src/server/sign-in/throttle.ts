// Password guessing: every password check (sign-in, accepting an invitation, changing one's password) counts
// against the account and against the client's address, in Postgres so that every dashboard process shares the
// count. A few failures are free, then each try must wait twice as long as the one before, and past the limit the
// key is locked for a while. An attempt is counted before the password is checked (and given back when it was
// right), so parallel guesses cannot all slip through before the first failure is written.
import type { Database } from "../db";

export interface ThrottleRule {
  /** Failures answered without a wait. */
  freeFailures: number;
  /** Failures after which the key is locked. */
  lockAfter: number;
  lockMs: number;
  /** Failures older than this (counted from the first) are forgotten, unless the key is locked. */
  windowMs: number;
}

export const ACCOUNT_RULE: ThrottleRule = { freeFailures: 5, lockAfter: 10, lockMs: 15 * 60_000, windowMs: 15 * 60_000 };
// One address may serve many people (an office behind NAT), so it gets more room than one account.
export const ADDRESS_RULE: ThrottleRule = { freeFailures: 20, lockAfter: 50, lockMs: 15 * 60_000, windowMs: 15 * 60_000 };

export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

/** When the next attempt may be made, or null when it may be made now. */
export function nextAttemptAt(rule: ThrottleRule, state: ThrottleState | null, now: Date): Date | null {
  if (!state) return null;
  if (state.lockedUntil) return state.lockedUntil > now ? state.lockedUntil : null;
  if (state.failures < rule.freeFailures) return null;
  // 1 s after the first failure past the free ones, then 2, 4, 8, 16 s.
  const waitMs = 1000 * 2 ** (state.failures - rule.freeFailures);
  const allowedAt = new Date(state.lastFailureAt.getTime() + waitMs);
  return allowedAt > now ? allowedAt : null;
}

export interface ThrottleKey {
  key: string;
  rule: ThrottleRule;
}

export function throttleKeys(email: string, address: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [{ key: `account:${email.trim().toLowerCase()}`, rule: ACCOUNT_RULE }];
  if (address) keys.push({ key: `ip:${address}`, rule: ADDRESS_RULE });
  return keys;
}

export type Reservation =
  | { ok: true; keys: ThrottleKey[]; locked: boolean }
  | { ok: false; retryAt: Date; locked: boolean; message: string };

interface Row {
  failures: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

/**
 * Counts one attempt against each key, unless one of them must wait: then nothing is counted and the answer says
 * until when. `locked` tells that this attempt is the one that locked the account.
 */
export async function reservePasswordAttempt(db: Database, keys: ThrottleKey[], now: Date): Promise<Reservation> {
  // Now and then, the rows of keys quiet for a day go (guesses at made-up emails would otherwise pile up).
  if (Math.random() < 0.01) await forgetQuietKeys(db, now);
  return db.$transaction(async (tx) => {
    const rows = new Map<string, Row>();
    for (const { key, rule } of keys) {
      await tx.$executeRaw`INSERT INTO "AuthThrottle" ("key", "failures", "firstFailureAt", "lastFailureAt") VALUES (${key}, 0, ${now}, ${now}) ON CONFLICT ("key") DO NOTHING`;
      const [row] = await tx.$queryRaw<Row[]>`SELECT "failures", "firstFailureAt", "lastFailureAt", "lockedUntil" FROM "AuthThrottle" WHERE "key" = ${key} FOR UPDATE`;
      if (!row) throw new Error(`throttle row ${key} vanished`);
      rows.set(key, forgetExpired(rule, row, now));
    }
    for (const { key, rule } of keys) {
      const retryAt = nextAttemptAt(rule, rows.get(key) ?? null, now);
      if (retryAt) {
        const locked = rows.get(key)?.lockedUntil != null;
        return { ok: false, retryAt, locked, message: refusalMessage(key, retryAt, now, locked) };
      }
    }
    let locked = false;
    for (const { key, rule } of keys) {
      const row = rows.get(key) as Row;
      const failures = row.failures + 1;
      const lockedUntil = failures >= rule.lockAfter ? new Date(now.getTime() + rule.lockMs) : null;
      if (lockedUntil && key.startsWith("account:")) locked = true;
      await tx.authThrottle.update({
        where: { key },
        data: { failures, firstFailureAt: row.failures === 0 ? now : row.firstFailureAt, lastFailureAt: now, lockedUntil },
      });
    }
    return { ok: true, keys, locked };
  });
}

/** The password was right: the account starts afresh, and the address gets its attempt back. */
export async function releasePasswordAttempt(db: Database, keys: ThrottleKey[]): Promise<void> {
  for (const { key } of keys) {
    if (key.startsWith("account:")) await db.authThrottle.deleteMany({ where: { key } });
    else await db.authThrottle.updateMany({ where: { key, failures: { gt: 0 }, lockedUntil: null }, data: { failures: { decrement: 1 } } });
  }
}

export async function forgetQuietKeys(db: Database, now: Date): Promise<number> {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const { count } = await db.authThrottle.deleteMany({
    where: { lastFailureAt: { lt: dayAgo }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
  });
  return count;
}

function forgetExpired(rule: ThrottleRule, row: Row, now: Date): Row {
  const lockOver = row.lockedUntil !== null && row.lockedUntil <= now;
  const windowOver = row.lockedUntil === null && now.getTime() - row.firstFailureAt.getTime() > rule.windowMs;
  return lockOver || windowOver ? { failures: 0, firstFailureAt: now, lastFailureAt: now, lockedUntil: null } : row;
}

function refusalMessage(key: string, retryAt: Date, now: Date, locked: boolean): string {
  const seconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
  const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} second${seconds === 1 ? "" : "s"}`;
  const who = key.startsWith("account:") ? "this account" : "your network address";
  return locked
    ? `Too many wrong passwords for ${who}: locked for now. Try again in ${wait}.`
    : `Too many wrong passwords for ${who}. Wait ${wait} before the next try.`;
}
