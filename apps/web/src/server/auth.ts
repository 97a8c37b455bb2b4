import { type AuthOptions, getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { connection } from "next/server";
import { z } from "zod";
import { env } from "~/env";
import { secureCookies } from "./cookies";
import { db } from "./db";
import { encryptionKey } from "./exchange";
import { checkPassword } from "./sign-in/password-check";
import { clientAddress, endSession, isSessionLive, startSession } from "./sign-in/sessions";
import { releasePasswordAttempt } from "./sign-in/throttle";
import { checkSecondFactor } from "./sign-in/two-factor";
import type { SessionUser } from "./trpc";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1),
  // The second factor: a TOTP code or a recovery code; only asked for when the account has one.
  code: z.string().trim().max(40).optional(),
});

// Why a sign-in was refused when "invalid email or password" is not the answer. next-auth hands the error's
// message to the form as `error`: "<code>|<what to tell the person>".
export const SIGN_IN_REFUSALS = ["THROTTLED", "TWO_FACTOR_REQUIRED", "TWO_FACTOR_INVALID"] as const;
export type SignInRefusalCode = (typeof SIGN_IN_REFUSALS)[number];

export class SignInRefusal extends Error {
  constructor(
    readonly code: SignInRefusalCode,
    readonly reason: string,
  ) {
    super(`${code}|${reason}`);
    this.name = "SignInRefusal";
  }
}

export interface SignInOrigin {
  address: string | null;
  userAgent: string | null;
}

/**
 * Checks an email, password and (when the account has two-factor sign-in) a code, and starts a session. Null means
 * "invalid email or password", whichever it was; a SignInRefusal says it must wait or needs a (right) code.
 */
export async function authenticate(
  database: ReturnType<typeof db>,
  credentials: unknown,
  origin: SignInOrigin = { address: null, userAgent: null },
  now: Date = new Date(),
): Promise<SessionUser | null> {
  const parsed = credentialsSchema.safeParse(credentials);
  if (!parsed.success) return null;
  const { email, password, code } = parsed.data;
  const user = await database.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      name: true,
      passwordHash: true,
      totpSecretCiphertext: true,
      totpEnabledAt: true,
      totpLastTimeStep: true,
      // The first team joined is the current one at sign-in; the team switcher changes it.
      memberships: { orderBy: { createdAt: "asc" }, take: 1, select: { teamId: true } },
    },
  });
  const secondFactor = Boolean(user?.totpEnabledAt && user.totpSecretCiphertext);
  const check = await checkPassword(database, {
    check: "sign-in",
    email,
    password,
    user,
    address: origin.address,
    now,
    releaseOnSuccess: !secondFactor,
  });
  if (!check.ok) {
    if (check.throttled) throw new SignInRefusal("THROTTLED", check.message);
    return null;
  }
  if (!user) return null;
  if (secondFactor && user.totpSecretCiphertext) {
    // The attempt stays counted until the code is right too, so the six digits cannot be guessed either.
    if (!code) throw new SignInRefusal("TWO_FACTOR_REQUIRED", "Enter the 6-digit code from your authenticator app, or a recovery code.");
    const factor = await checkSecondFactor(
      database,
      { id: user.id, totpSecretCiphertext: user.totpSecretCiphertext, totpLastTimeStep: user.totpLastTimeStep },
      code,
      encryptionKey("Two-factor secrets"),
      now,
    );
    if (!factor.ok) throw new SignInRefusal("TWO_FACTOR_INVALID", factor.message);
    await releasePasswordAttempt(database, check.keys);
  }
  const sessionId = await startSession(database, user.id, origin, now);
  return { id: user.id, email: user.email, name: user.name, teamId: user.memberships[0]?.teamId ?? null, sessionId };
}

const teamSwitchSchema = z.object({ teamId: z.string().min(1) });

// The team a session update asks for, when the user is a member of it; null otherwise.
export async function switchableTeamId(
  database: ReturnType<typeof db>,
  userId: string,
  update: unknown,
): Promise<string | null> {
  const parsed = teamSwitchSchema.safeParse(update);
  if (!parsed.success) return null;
  const membership = await database.membership.findUnique({
    where: { userId_teamId: { userId, teamId: parsed.data.teamId } },
    select: { teamId: true },
  });
  return membership?.teamId ?? null;
}

let options: AuthOptions | undefined;

// Built on first use so that `next build` can import the auth route without secrets.
export function authOptions(): AuthOptions {
  options ??= {
    secret: env().NEXTAUTH_SECRET,
    useSecureCookies: secureCookies(),
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
          code: { label: "Code", type: "text" },
        },
        authorize: (credentials, request) =>
          authenticate(db(), credentials, {
            address: clientAddress(request.headers),
            userAgent: typeof request.headers?.["user-agent"] === "string" ? request.headers["user-agent"] : null,
          }),
      }),
    ],
    callbacks: {
      async jwt({ token, user, trigger, session }) {
        if (user) {
          token.sub = user.id;
          token.teamId = user.teamId;
          token.sessionId = user.sessionId;
        }
        // The team switcher: the browser asks, the membership decides; a team the user is not in is ignored.
        if (trigger === "update" && token.sub) {
          const teamId = await switchableTeamId(db(), token.sub, session);
          if (teamId) token.teamId = teamId;
        }
        return token;
      },
      session({ session, token }) {
        session.user = { id: token.sub ?? "", email: token.email ?? "", name: token.name ?? "" };
        session.teamId = token.teamId ?? null;
        session.sessionId = token.sessionId ?? null;
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (token.sessionId) await endSession(db(), token.sessionId, new Date());
      },
    },
  };
  return options;
}

export async function getSessionUser(): Promise<SessionUser | null> {
  // Sessions exist only at request time; this also keeps `next build` from prerendering signed-in pages.
  await connection();
  const session = await getServerSession(authOptions());
  return liveSessionUser(db(), session);
}

/** The user of a next-auth session, when its UserSession is still live (sign-in/sessions.ts); null otherwise. */
export async function liveSessionUser(
  database: ReturnType<typeof db>,
  session: { user: { id: string; email: string; name: string }; teamId: string | null; sessionId?: string | null } | null,
  now: Date = new Date(),
): Promise<SessionUser | null> {
  if (!session?.user.id || !session.sessionId) return null;
  if (!(await isSessionLive(database, session.sessionId, session.user.id, now))) return null;
  return { ...session.user, teamId: session.teamId, sessionId: session.sessionId };
}
