import { TRPCError } from "@trpc/server";

// Application error codes the API documents to clients, each with its transport status.
export const APP_ERROR_CODES = {
  UNAUTHENTICATED: { trpc: "UNAUTHORIZED", message: "Sign in to continue." },
  NO_TEAM: { trpc: "FORBIDDEN", message: "You are not a member of any team." },
  NOT_TEAM_MEMBER: { trpc: "FORBIDDEN", message: "You are not a member of this team." },
  PERMISSION_DENIED: { trpc: "FORBIDDEN", message: "Your role does not allow this action." },
  NOT_FOUND: { trpc: "NOT_FOUND", message: "Not found." },
  INVALID_INPUT: { trpc: "BAD_REQUEST", message: "The request is invalid." },
  // The exchange did not answer (down, unreachable, timed out); nothing was changed.
  VENUE_UNREACHABLE: { trpc: "BAD_GATEWAY", message: "The exchange did not answer. Try again in a moment." },
  // Someone changed the same thing first (a pending request on the bot, a newer config version).
  CONFLICT: { trpc: "CONFLICT", message: "This was changed by someone else meanwhile; reload and try again." },
  OWN_REQUEST: { trpc: "FORBIDDEN", message: "Nobody approves or rejects their own request." },
  // The SMTP server did not take an email (an invitation); what was created stays.
  MAIL_FAILED: { trpc: "BAD_GATEWAY", message: "The email could not be sent." },
  // A four-eyes rule the approval would break (cooling-off after joining, inviter and invitee, a risky change).
  FOUR_EYES: { trpc: "FORBIDDEN", message: "This approval needs another member." },
  // The team requires two-factor sign-in for this role, and the user has not set it up.
  TWO_FACTOR_REQUIRED: { trpc: "FORBIDDEN", message: "Your team requires two-factor sign-in for your role: set it up on your profile first." },
  // Too many wrong passwords for the account or the address: wait, or the key is locked for a while.
  THROTTLED: { trpc: "TOO_MANY_REQUESTS", message: "Too many wrong passwords. Wait a little before the next try." },
  // A mutation sent by another site's page (its Origin), or to a host the dashboard does not answer as.
  CROSS_SITE: { trpc: "FORBIDDEN", message: "This request did not come from the dashboard's own pages." },
} as const satisfies Record<string, { trpc: TRPCError["code"]; message: string }>;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export class AppError extends TRPCError {
  readonly appCode: AppErrorCode;

  constructor(appCode: AppErrorCode, message?: string) {
    const definition = APP_ERROR_CODES[appCode];
    super({ code: definition.trpc, message: message ?? definition.message });
    this.appCode = appCode;
  }
}
