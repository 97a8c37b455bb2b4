import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { OverviewBoard } from "./overview-board";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  if (!(await getSessionUser())) redirect("/signin");
  await getQueryClient().prefetchQuery(trpc.bots.overview.queryOptions());
  return (
    <HydrateClient>
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-lg font-semibold text-neutral-100">Overview</h1>
        <p className="text-xs text-neutral-500">Live: updates every second. Distances are from the reference price.</p>
      </div>
      <div className="mt-3">
        <OverviewBoard />
      </div>
    </HydrateClient>
  );
}
