import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Database } from "./db";
import { AppError } from "./errors";
import { isAllowed, needsTwoFactor, type TeamAction, type TeamRole } from "./permissions";

// What a signed-in request knows about its user; built from the session token.
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  // The team the user is working in; null when they belong to none.
  teamId: string | null;
  // The signed-in browser's UserSession (sign-in/sessions.ts); absent for callers that are not a browser session.
  sessionId?: string;
}

export interface Context {
  db: Database;
  user: SessionUser | null;
  // The client's address as the server saw it (password throttling); absent outside HTTP requests.
  address?: string | null;
}

export interface FieldError {
  path: string;
  message: string;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const fieldErrors: FieldError[] | null =
      error.cause instanceof ZodError
        ? error.cause.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }))
        : null;
    const known = error instanceof AppError || error.code !== "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      // Internal failures keep their detail in the server log, not in the browser.
      message: known ? shape.message : "Something went wrong on our side.",
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode: error instanceof AppError ? error.appCode : fieldErrors ? "INVALID_INPUT" : null,
        fieldErrors,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new AppError("UNAUTHENTICATED");
  return next({ ctx: { user: ctx.user } });
});

export interface TeamScope {
  id: string;
  name: string;
  role: TeamRole;
}

// A procedure acting inside the user's current team; the team id it adds to the context must be part of
// every query's `where`, so rows of another team are simply not found.
export function teamProcedure(action: TeamAction) {
  return protectedProcedure.use(async ({ ctx, next }) => {
    const teamId = ctx.user.teamId;
    if (!teamId) throw new AppError("NO_TEAM");
    const membership = await ctx.db.membership.findUnique({
      where: { userId_teamId: { userId: ctx.user.id, teamId } },
      select: {
        role: true,
        team: { select: { id: true, name: true, requireTwoFactor: true } },
        user: { select: { totpEnabledAt: true } },
      },
    });
    if (!membership) throw new AppError("NOT_TEAM_MEMBER");
    if (!isAllowed(membership.role, action)) throw new AppError("PERMISSION_DENIED");
    if (membership.team.requireTwoFactor && needsTwoFactor(action) && !membership.user.totpEnabledAt) {
      throw new AppError(
        "TWO_FACTOR_REQUIRED",
        `${membership.team.name} requires two-factor sign-in to approve changes or manage accounts, channels and members. Set it up under Profile, Two-factor sign-in, then try again.`,
      );
    }
    const team: TeamScope = { id: membership.team.id, name: membership.team.name, role: membership.role };
    return next({ ctx: { team } });
  });
}
