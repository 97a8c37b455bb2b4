import { z } from "zod";
import { recordAuditInUserTeams } from "../../audit";
import { AppError } from "../../errors";
import { endAllSessions, endSession } from "../../sign-in/sessions";
import { protectedProcedure } from "../../trpc";

export const sessionsOutput = z.array(
  z.object({
    id: z.string(),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    createdAt: z.date(),
    lastSeenAt: z.date(),
    expiresAt: z.date(),
    current: z.boolean(),
  }),
);

// The browsers signed in as the user right now, the current one first.
export const listSessions = protectedProcedure.output(sessionsOutput).query(async ({ ctx }) => {
  const now = new Date();
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { sessionVersion: true } });
  const sessions = await ctx.db.userSession.findMany({
    where: { userId: ctx.user.id, endedAt: null, expiresAt: { gt: now }, sessionVersion: user.sessionVersion },
    orderBy: { lastSeenAt: "desc" },
    take: 50,
    select: { id: true, userAgent: true, ip: true, createdAt: true, lastSeenAt: true, expiresAt: true },
  });
  return sessions
    .map((session) => ({ ...session, current: session.id === ctx.user.sessionId }))
    .sort((a, b) => Number(b.current) - Number(a.current));
});

// Signs one of one's own browsers out.
export const endOneSession = protectedProcedure
  .input(z.object({ sessionId: z.string().min(1) }))
  .output(z.object({ id: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const session = await ctx.db.userSession.findFirst({ where: { id: input.sessionId, userId: ctx.user.id }, select: { id: true } });
    if (!session) throw new AppError("NOT_FOUND", "This session is not one of yours.");
    await endSession(ctx.db, session.id, new Date());
    return { id: session.id };
  });

// Every session of the user ends, this one included: the browser then signs out.
export const signOutEverywhere = protectedProcedure.output(z.object({ endedAt: z.date() })).mutation(({ ctx }) =>
  ctx.db.$transaction(async (tx) => {
    const now = new Date();
    await endAllSessions(tx, ctx.user.id, now);
    await recordAuditInUserTeams(tx, ctx.user.id, { actorId: ctx.user.id, action: "user.sessions_ended", payload: { reason: "signed out everywhere", keptThisSession: false } });
    return { endedAt: now };
  }),
);
