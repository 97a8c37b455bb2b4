import { hashPassword, verifyPassword } from "@bandkeeper/db/passwords";
import { type AuthOptions, getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { connection } from "next/server";
import { z } from "zod";
import { env } from "~/env";
import { secureCookies } from "./cookies";
import { db } from "./db";
import type { SessionUser } from "./trpc";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1),
});

// Compared against when the email is unknown, so a missing account answers as slowly as a wrong password.
let unknownUserHash: Promise<string> | undefined;

// Checks an email and password against the database; null means "invalid email or password", whichever it was.
export async function authenticate(
  database: ReturnType<typeof db>,
  credentials: unknown,
): Promise<SessionUser | null> {
  const parsed = credentialsSchema.safeParse(credentials);
  if (!parsed.success) return null;
  const user = await database.user.findUnique({
    where: { email: parsed.data.email },
    select: {
      id: true,
      email: true,
      name: true,
      passwordHash: true,
      // The first team joined is the current one at sign-in; the team switcher changes it.
      memberships: { orderBy: { createdAt: "asc" }, take: 1, select: { teamId: true } },
    },
  });
  if (!user) {
    unknownUserHash ??= hashPassword("no account has this password");
    await verifyPassword(parsed.data.password, await unknownUserHash);
    return null;
  }
  if (!(await verifyPassword(parsed.data.password, user.passwordHash))) return null;
  return { id: user.id, email: user.email, name: user.name, teamId: user.memberships[0]?.teamId ?? null };
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
        },
        authorize: (credentials) => authenticate(db(), credentials),
      }),
    ],
    callbacks: {
      async jwt({ token, user, trigger, session }) {
        if (user) {
          token.sub = user.id;
          token.teamId = user.teamId;
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
        return session;
      },
    },
  };
  return options;
}

export async function getSessionUser(): Promise<SessionUser | null> {
  // Sessions exist only at request time; this also keeps `next build` from prerendering signed-in pages.
  await connection();
  const session = await getServerSession(authOptions());
  if (!session?.user.id) return null;
  return { ...session.user, teamId: session.teamId };
}
