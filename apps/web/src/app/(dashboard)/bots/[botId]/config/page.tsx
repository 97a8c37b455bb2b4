import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { linkClass } from "../../../changes/_lib/ui";
import { BotConfigView } from "./config-view";

export const metadata: Metadata = { title: "Bot config" };

export default async function BotConfigPage({ params }: { params: Promise<{ botId: string }> }) {
  if (!(await getSessionUser())) redirect("/signin");
  const { botId } = await params;
  await getQueryClient().prefetchQuery(trpc.changes.botConfig.queryOptions({ botId }));
  return (
    <HydrateClient>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm text-neutral-600">
        <Link href="/bots" className={linkClass}>
          Bots
        </Link>
        <span aria-hidden>/</span>
        <Link href={`/bots/${botId}`} className={linkClass}>
          Bot
        </Link>
      </nav>
      <BotConfigView botId={botId} />
    </HydrateClient>
  );
}
