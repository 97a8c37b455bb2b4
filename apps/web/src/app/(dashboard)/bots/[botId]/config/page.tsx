import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { linkClass } from "../../../changes/_lib/ui";
import { BotConfigView } from "./config-view";

export const metadata: Metadata = { title: "Bot config" };

export default async function BotConfigPage({ params }: { params: Promise<{ botId: string }> }) {
  if (!(await getSessionUser())) redirect("/signin");
  const { botId } = await params;
  const queryClient = getQueryClient();
  const [config] = await Promise.allSettled([queryClient.fetchQuery(trpc.changes.botConfig.queryOptions({ botId }))]);
  if (config.status === "rejected" && config.reason instanceof TRPCError && config.reason.code === "NOT_FOUND") notFound();
  const symbol = config.status === "fulfilled" ? config.value.bot.symbol : null;
  return (
    <HydrateClient>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm text-neutral-600">
        <Link href="/bots" className={linkClass}>
          Bots
        </Link>
        <span aria-hidden>/</span>
        <Link href={`/bots/${botId}`} className={linkClass}>
          {symbol ?? "Bot"}
        </Link>
        <span aria-hidden>/</span>
        <span>Config</span>
      </nav>
      <BotConfigView botId={botId} />
    </HydrateClient>
  );
}
