import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { AccountsView } from "./accounts-view";

export const metadata: Metadata = { title: "Exchange accounts" };

export default async function AccountsPage() {
  if (!(await getSessionUser())) redirect("/signin");
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.accounts.list.queryOptions()),
    queryClient.prefetchQuery(trpc.teams.current.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <h1 className="text-lg font-semibold text-neutral-100">Exchange accounts</h1>
      <p className="mt-1 text-neutral-400">
        The API keys bots trade with. Keys are checked with the exchange before they are saved, stored encrypted and
        shown only by fingerprint.
      </p>
      <div className="mt-4">
        <AccountsView />
      </div>
    </HydrateClient>
  );
}
