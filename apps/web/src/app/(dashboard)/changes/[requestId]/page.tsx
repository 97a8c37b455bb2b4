import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { ChangeDetail } from "../_components/change-detail";
import { linkClass } from "../_lib/ui";

export const metadata: Metadata = { title: "Change request" };

export default async function ChangeRequestPage({ params }: { params: Promise<{ requestId: string }> }) {
  if (!(await getSessionUser())) redirect("/signin");
  const { requestId } = await params;
  await getQueryClient().prefetchQuery(trpc.changes.get.queryOptions({ id: requestId }));
  return (
    <HydrateClient>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/changes" className={linkClass}>
          Change requests
        </Link>
      </nav>
      <ChangeDetail id={requestId} />
    </HydrateClient>
  );
}
