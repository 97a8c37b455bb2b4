import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { isAllowed } from "~/server/permissions";
import { HydrateClient, getQueryClient, serverCaller, trpc } from "~/trpc/server";
import { buttonClass } from "~/components/forms";
import { ChangesList, type ChangesView } from "./_components/changes-list";

export const metadata: Metadata = { title: "Change requests" };

const TABS: readonly { view: ChangesView; label: string; href: string }[] = [
  { view: "PENDING", label: "Pending", href: "/changes" },
  { view: "DECIDED", label: "History", href: "/changes?view=history" },
];

export default async function ChangesPage({ searchParams }: { searchParams: Promise<{ view?: string }> }) {
  if (!(await getSessionUser())) redirect("/signin");
  const view: ChangesView = (await searchParams).view === "history" ? "DECIDED" : "PENDING";
  const team = await (await serverCaller()).teams.current();
  await getQueryClient().prefetchInfiniteQuery(trpc.changes.list.infiniteQueryOptions({ view, limit: 50 }, { getNextPageParam: (page) => page.nextCursor }));

  return (
    <HydrateClient>
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold text-neutral-100">Change requests</h1>
        {isAllowed(team.role, "PROPOSE_CHANGE") && (
          <Link href="/changes/new-bot" className={buttonClass.primary}>
            Propose a new bot
          </Link>
        )}
      </div>
      <p className="mt-1 text-neutral-400">
        Every parameter change and every new bot is proposed by one member and approved by another with the OWNER or
        ADMIN role. To change a bot, open its config.
      </p>
      <nav aria-label="Change request views" className="mt-4 flex gap-1 border-b border-neutral-800">
        {TABS.map((tab) => (
          <Link
            key={tab.view}
            href={tab.href}
            aria-current={tab.view === view ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-1.5 ${
              tab.view === view ? "border-emerald-500 text-neutral-50" : "border-transparent text-neutral-400 hover:text-neutral-100"
            }`}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      <div className="mt-3">
        <ChangesList view={view} />
      </div>
    </HydrateClient>
  );
}
