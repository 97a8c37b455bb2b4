import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { type ReactNode, cache } from "react";
import { getSessionUser } from "~/server/auth";
import { db } from "~/server/db";
import { appRouter, createCaller } from "~/server/routers";
import type { Context } from "~/server/trpc";
import { makeQueryClient } from "./query-client";

// One query cache and one context per server request, shared by every server component.
export const getQueryClient = cache(makeQueryClient);
const getContext = cache(async (): Promise<Context> => ({ db: db(), user: await getSessionUser() }));

export const trpc = createTRPCOptionsProxy({ router: appRouter, queryClient: getQueryClient, ctx: getContext });

// Direct procedure calls for server components that render data themselves.
export const serverCaller = cache(async () => createCaller(await getContext()));

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
