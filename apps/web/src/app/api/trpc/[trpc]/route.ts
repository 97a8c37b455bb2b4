import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getSessionUser } from "~/server/auth";
import { db } from "~/server/db";
import { requestContext } from "~/server/request-context";
import { appRouter } from "~/server/routers";

const createContext = requestContext(db, getSessionUser);

function handler(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext,
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed`, error);
    },
  });
}

export { handler as GET, handler as POST };
