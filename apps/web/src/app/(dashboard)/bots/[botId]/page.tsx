import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { BotView } from "./bot-view";

export const metadata: Metadata = { title: "Bot" };

export default async function BotPage({ params }: { params: Promise<{ botId: string }> }) {
  if (!(await getSessionUser())) redirect("/signin");
  const { botId } = await params;
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.bots.detail.queryOptions({ botId })),
    queryClient.prefetchQuery(trpc.teams.current.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <BotView botId={botId} />
    </HydrateClient>
  );
}
