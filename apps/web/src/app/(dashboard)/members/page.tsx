import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { InvitationsSection } from "./invitations-section";
import { MembersTable } from "./members-table";
import { TeamRulesSection } from "./team-rules-section";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  if (!(await getSessionUser())) redirect("/signin");
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.members.list.queryOptions()),
    queryClient.prefetchQuery(trpc.teams.current.queryOptions()),
    queryClient.prefetchQuery(trpc.teams.security.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <h1 className="text-lg font-semibold text-neutral-100">Members</h1>
      <p className="mt-1 text-neutral-400">
        Owners manage members and roles; owners and admins invite. Traders operate bots and propose changes; viewers
        watch.
      </p>
      <div className="mt-4 space-y-8">
        <MembersTable />
        <InvitationsSection />
        <TeamRulesSection />
      </div>
    </HydrateClient>
  );
}
