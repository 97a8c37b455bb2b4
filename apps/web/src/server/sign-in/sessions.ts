// Sessions that can be ended. The JWT in the browser names a UserSession row; a request counts as signed in only
// while that row is not ended, has not expired, and began at the user's current sessionVersion. Bumping the
// version (a password change, "sign out everywhere", removal from every team) ends every session at once.
import type { Prisma } from "@bandkeeper/db/client";
import type { Database } from "../db";

export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
// lastSeenAt is written at most this often, so reads of a busy page do not each write a row.
const SEEN_RESOLUTION_MS = 60_000;

type Writer = Pick<Database, "userSession" | "user"> | Prisma.TransactionClient;

export interface SessionOrigin {
  userAgent: string | null;
  address: string | null;
}

export async function startSession(db: Writer, userId: string, origin: SessionOrigin, now: Date): Promise<string> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } });
  const session = await db.userSession.create({
    data: {
      userId,
      sessionVersion: user.sessionVersion,
      userAgent: origin.userAgent?.slice(0, 300) ?? null,
      ip: origin.address,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
    },
    select: { id: true },
  });
  return session.id;
}

/** Whether the session still lets its user in; notes that it was seen. */
export async function isSessionLive(db: Database, sessionId: string, userId: string, now: Date): Promise<boolean> {
  const session = await db.userSession.findUnique({
    where: { id: sessionId },
    select: { userId: true, sessionVersion: true, endedAt: true, expiresAt: true, lastSeenAt: true, user: { select: { sessionVersion: true } } },
  });
  if (!session || session.userId !== userId || session.endedAt || session.expiresAt <= now) return false;
  if (session.sessionVersion !== session.user.sessionVersion) return false;
  if (now.getTime() - session.lastSeenAt.getTime() > SEEN_RESOLUTION_MS) {
    await db.userSession.update({ where: { id: sessionId }, data: { lastSeenAt: now } });
  }
  return true;
}

export async function endSession(db: Writer, sessionId: string, now: Date): Promise<void> {
  await db.userSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: now } });
}

/**
 * Ends every session of the user, except `keepSessionId` when given (the browser that changed the password stays
 * signed in).
 */
export async function endAllSessions(db: Writer, userId: string, now: Date, keepSessionId?: string): Promise<void> {
  const { sessionVersion } = await db.user.update({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  await db.userSession.updateMany({
    where: { userId, endedAt: null, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
    data: { endedAt: now },
  });
  if (keepSessionId) await db.userSession.updateMany({ where: { id: keepSessionId, userId }, data: { sessionVersion } });
}

/** The client's address as the dashboard's server saw it: the last hop Next.js recorded. */
export function clientAddress(headers: { get(name: string): string | null } | Record<string, unknown> | undefined): string | null {
  if (!headers) return null;
  const read = (name: string): string | null => {
    if (typeof (headers as { get?: unknown }).get === "function") return (headers as { get(name: string): string | null }).get(name);
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === "string" ? value : Array.isArray(value) && typeof value[0] === "string" ? value[0] : null;
  };
  const forwarded = read("x-forwarded-for");
  const last = forwarded?.split(",").map((part) => part.trim()).filter(Boolean).at(-1);
  return (last ?? read("x-real-ip") ?? null)?.slice(0, 64) ?? null;
}
