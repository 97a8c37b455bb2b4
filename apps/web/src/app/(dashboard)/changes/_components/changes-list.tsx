"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { StateBadge } from "~/components/state-badge";
import { useTRPC } from "~/trpc/react";
import { EmptyState, Notice, buttonClass } from "~/components/forms";
import { fieldLabel, formatConfigValue } from "../_lib/config-form";
import { KIND_LABEL, STATUS_TONE, formatUtc, linkClass } from "../_lib/ui";

export type ChangesView = "PENDING" | "DECIDED";

const headCell = "px-2 py-1.5 text-left text-xs font-medium uppercase tracking-wide text-neutral-500";
const bodyCell = "px-2 py-1.5 align-top";

function ChangeSummary({ changes }: { changes: readonly { path: string; old: unknown; new: unknown }[] }) {
  if (changes.length === 0) return <span className="text-neutral-500">defaults</span>;
  const [first, ...rest] = changes;
  return (
    <span>
      <span className="text-neutral-300">{fieldLabel(first!.path)}</span>{" "}
      <span className="font-mono text-xs text-neutral-400">
        {formatConfigValue(first!.path, first!.old)} → {formatConfigValue(first!.path, first!.new)}
      </span>
      {rest.length > 0 && <span className="text-neutral-500"> +{rest.length} more</span>}
    </span>
  );
}

// The review queue (oldest first) or the history of decided requests (newest first), optionally for one bot.
export function ChangesList({ view, botId }: { view: ChangesView; botId?: string }) {
  const trpc = useTRPC();
  const pending = view === "PENDING";
  const list = useInfiniteQuery(
    trpc.changes.list.infiniteQueryOptions(
      { view, botId, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor, refetchInterval: pending ? 5_000 : false },
    ),
  );

  if (list.isPending) return <p className="text-neutral-500">Loading requests…</p>;
  if (list.isError) return <Notice tone="error">Could not load change requests: {list.error.message}</Notice>;
  const items = list.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return pending ? (
      <EmptyState title="Nothing to review">No change request is waiting for a decision.</EmptyState>
    ) : (
      <EmptyState title="No decided requests yet">Approved, rejected and cancelled requests appear here.</EmptyState>
    );
  }

  return (
    <>
      <div className="overflow-x-auto rounded-md border border-neutral-800">
        <table className="w-full border-collapse" data-testid={pending ? "pending-changes" : "decided-changes"}>
          <caption className="sr-only">{pending ? "Pending change requests" : "Decided change requests"}</caption>
          <thead className="border-b border-neutral-800 bg-neutral-900/60">
            <tr>
              <th scope="col" className={headCell}>
                Request
              </th>
              <th scope="col" className={`${headCell} hidden md:table-cell`}>
                Changes
              </th>
              <th scope="col" className={`${headCell} hidden sm:table-cell`}>
                Proposed
              </th>
              <th scope="col" className={headCell}>
                {pending ? "Base" : "Decision"}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-neutral-800/70">
            {items.map((request) => (
              <tr key={request.id} className="hover:bg-neutral-900/50">
                <th scope="row" className={`${bodyCell} text-left font-normal`}>
                  <Link href={`/changes/${request.id}`} className={`font-mono font-semibold ${linkClass}`}>
                    {request.symbol}
                  </Link>
                  <span className="ml-2 rounded bg-neutral-800 px-1 py-0.5 text-[11px] uppercase text-neutral-400">
                    {KIND_LABEL[request.kind]}
                  </span>
                  <span className="block text-xs text-neutral-500">{request.account.name}</span>
                  {request.reason && <span className="block max-w-xs truncate text-xs text-neutral-400 md:hidden">{request.reason}</span>}
                </th>
                <td className={`${bodyCell} hidden md:table-cell`}>
                  <ChangeSummary changes={request.changes} />
                  {request.reason && <span className="block max-w-md truncate text-xs text-neutral-500">“{request.reason}”</span>}
                </td>
                <td className={`${bodyCell} hidden sm:table-cell`}>
                  <span className="text-neutral-200">{request.proposer.name}</span>
                  <time dateTime={request.createdAt.toISOString()} className="block text-xs text-neutral-500">
                    {formatUtc(request.createdAt)}
                  </time>
                </td>
                <td className={bodyCell}>
                  {pending ? (
                    <span className="font-mono text-neutral-300">
                      {request.kind === "CREATE_BOT" ? "new" : request.baseVersion === null ? "none" : `v${request.baseVersion}`}
                    </span>
                  ) : (
                    <>
                      <StateBadge state={request.status} tone={STATUS_TONE[request.status]} />
                      {request.resultingVersion && <span className="ml-2 font-mono text-neutral-300">v{request.resultingVersion.version}</span>}
                      <span className="block text-xs text-neutral-500">
                        {request.reviewer ? `by ${request.reviewer.name}` : request.status === "CANCELLED" ? "by its proposer" : ""}
                        {request.decidedAt && ` · ${formatUtc(request.decidedAt)}`}
                      </span>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.hasNextPage && (
        <div className="mt-3">
          <button type="button" className={buttonClass.secondary} disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {list.isFetchingNextPage ? "Loading…" : "Show older"}
          </button>
        </div>
      )}
    </>
  );
}
