import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { ProposeConfigForm } from "../../../../changes/_components/propose-config-form";
import { linkClass } from "../../../../changes/_lib/ui";

export const metadata: Metadata = { title: "Propose a config change" };

export default async function ProposeConfigPage({ params }: { params: Promise<{ botId: string }> }) {
  if (!(await getSessionUser())) redirect("/signin");
  const { botId } = await params;
  await getQueryClient().prefetchQuery(trpc.changes.botConfig.queryOptions({ botId }));
  return (
    <HydrateClient>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href={`/bots/${botId}/config`} className={linkClass}>
          Bot config
        </Link>
      </nav>
      <h1 className="mb-3 text-lg font-semibold text-neutral-100">Propose a config change</h1>
      <ProposeConfigForm botId={botId} />
    </HydrateClient>
  );
}
