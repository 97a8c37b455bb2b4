// The tRPC context of an HTTP request, and the check every mutation passes first: it must come from the
// dashboard's own pages (security-headers.ts).
import type { FetchCreateContextFnOptions } from "@trpc/server/adapters/fetch";
import { env } from "~/env";
import type { Database } from "./db";
import { AppError } from "./errors";
import { crossSiteProblem, dashboardHosts } from "./security-headers";
import { clientAddress } from "./sign-in/sessions";
import type { Context, SessionUser } from "./trpc";

export function requestContext(db: () => Database, user: () => Promise<SessionUser | null>) {
  return async ({ req }: FetchCreateContextFnOptions): Promise<Context> => {
    if (req.method === "POST") {
      const problem = crossSiteProblem(req.headers, dashboardHosts(env().NEXTAUTH_URL));
      if (problem !== null) throw new AppError("CROSS_SITE", `Refused: ${problem}.`);
    }
    return { db: db(), user: await user(), address: clientAddress(req.headers) };
  };
}
