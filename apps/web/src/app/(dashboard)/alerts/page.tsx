import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { AlertsView } from "./alerts-view";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  if (!(await getSessionUser())) redirect("/signin");
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchInfiniteQuery(trpc.alerts.history.infiniteQueryOptions({}, { getNextPageParam: (page) => page.nextCursor })),
    queryClient.prefetchQuery(trpc.alerts.channels.queryOptions()),
    queryClient.prefetchQuery(trpc.alerts.rules.queryOptions()),
    queryClient.prefetchQuery(trpc.teams.current.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <h1 className="text-lg font-semibold text-neutral-100">Alerts</h1>
      <p className="mt-1 text-neutral-400">
        Rules watch the bots&apos; KPIs and states; a breach sends one notice to each of its rule&apos;s channels, and one more when it
        ends. Every delivery attempt is kept here.
      </p>
      <div className="mt-4">
        <AlertsView />
      </div>
    </HydrateClient>
  );
}
