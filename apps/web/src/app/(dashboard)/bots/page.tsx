import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { BotsTable } from "./bots-table";

export const metadata: Metadata = { title: "Bots" };

export default async function BotsPage() {
  // Layouts do not re-run on client navigation, so each page checks the session too.
  if (!(await getSessionUser())) redirect("/signin");
  await getQueryClient().prefetchQuery(trpc.bots.list.queryOptions());
  return (
    <HydrateClient>
      <div className="flex items-baseline justify-between gap-4">
        <h1 className="text-lg font-semibold text-neutral-100">Bots</h1>
      </div>
      <p className="mt-1 text-neutral-400">One bot quotes one symbol on one exchange account.</p>
      <div className="mt-4">
        <BotsTable />
      </div>
    </HydrateClient>
  );
}
