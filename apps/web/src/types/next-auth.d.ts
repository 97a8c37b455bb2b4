import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface User {
    teamId: string | null;
    // The UserSession row this sign-in started (server/sign-in/sessions.ts).
    sessionId?: string;
  }
  interface Session {
    user: { id: string; email: string; name: string };
    teamId: string | null;
    sessionId: string | null;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    teamId?: string | null;
    sessionId?: string;
  }
}
