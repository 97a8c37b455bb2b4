import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { isAllowed } from "~/server/permissions";
import { HydrateClient, getQueryClient, serverCaller, trpc } from "~/trpc/server";
import { Notice } from "~/components/forms";
import { NewBotForm } from "../_components/new-bot-form";
import { linkClass } from "../_lib/ui";

export const metadata: Metadata = { title: "Propose a new bot" };

export default async function NewBotPage() {
  if (!(await getSessionUser())) redirect("/signin");
  const team = await (await serverCaller()).teams.current();
  const mayPropose = isAllowed(team.role, "PROPOSE_CHANGE");
  if (mayPropose) await getQueryClient().prefetchQuery(trpc.changes.newBotOptions.queryOptions());
  return (
    <HydrateClient>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/changes" className={linkClass}>
          Change requests
        </Link>
      </nav>
      <h1 className="text-lg font-semibold text-neutral-100">Propose a new bot</h1>
      <p className="mb-4 mt-1 text-neutral-400">
        A bot quotes one symbol on one exchange account. Once another member approves, it is created with this config as
        its version 1.
      </p>
      {mayPropose ? <NewBotForm /> : <Notice tone="info">Your role can view change requests but not propose them.</Notice>}
    </HydrateClient>
  );
}
