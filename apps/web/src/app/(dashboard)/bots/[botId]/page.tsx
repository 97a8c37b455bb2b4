import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { BotView } from "./bot-view";

export const metadata: Metadata = { title: "Bot" };

export default async function BotPage({ params }: { params: Promise<{ botId: string }> }) {
  if (!(await getSessionUser())) redirect("/signin");
  const { botId } = await params;
  const queryClient = getQueryClient();
  const [detail] = await Promise.allSettled([
    queryClient.fetchQuery(trpc.bots.detail.queryOptions({ botId })),
    queryClient.prefetchQuery(trpc.teams.current.queryOptions()),
  ]);
  // No such bot in this team (or another team's): a 404, not a page that says so with 200. Other failures are
  // the client's to show and retry.
  if (detail.status === "rejected" && detail.reason instanceof TRPCError && detail.reason.code === "NOT_FOUND") notFound();
  return (
    <HydrateClient>
      <BotView botId={botId} />
    </HydrateClient>
  );
}
