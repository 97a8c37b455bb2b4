import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getSessionUser } from "~/server/auth";
import { db } from "~/server/db";
import { appRouter } from "~/server/routers";

function handler(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => ({ db: db(), user: await getSessionUser() }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed`, error);
    },
  });
}

export { handler as GET, handler as POST };
