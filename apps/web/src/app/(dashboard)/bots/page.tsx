import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { buttonClass } from "~/components/forms";
import { getSessionUser } from "~/server/auth";
import { isAllowed } from "~/server/permissions";
import { HydrateClient, getQueryClient, serverCaller, trpc } from "~/trpc/server";
import { BotsTable } from "./bots-table";

export const metadata: Metadata = { title: "Bots" };

export default async function BotsPage() {
  // Layouts do not re-run on client navigation, so each page checks the session too.
  if (!(await getSessionUser())) redirect("/signin");
  const [team] = await Promise.all([(await serverCaller()).teams.current(), getQueryClient().prefetchQuery(trpc.bots.list.queryOptions())]);
  return (
    <HydrateClient>
      <div className="flex items-baseline justify-between gap-4">
        <h1 className="text-lg font-semibold text-neutral-100">Bots</h1>
        {/* A new bot is a change request another member approves, like any change. */}
        {isAllowed(team.role, "PROPOSE_CHANGE") && (
          <Link href="/changes/new-bot" className={buttonClass.primary}>
            New bot
          </Link>
        )}
      </div>
      <p className="mt-1 text-neutral-400">One bot quotes one symbol on one exchange account.</p>
      <div className="mt-4">
        {/* The search and filters live in the URL's search params, which a client component reads inside Suspense. */}
        <Suspense fallback={<p className="text-neutral-500">Loading bots…</p>}>
          <BotsTable />
        </Suspense>
      </div>
    </HydrateClient>
  );
}
