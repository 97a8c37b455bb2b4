import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface User {
    teamId: string | null;
  }
  interface Session {
    user: { id: string; email: string; name: string };
    teamId: string | null;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    teamId?: string | null;
  }
}
