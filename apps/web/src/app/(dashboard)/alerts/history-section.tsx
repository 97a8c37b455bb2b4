"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { EmptyState, Notice, buttonClass, problemOf } from "~/components/forms";
import { StateBadge } from "~/components/state-badge";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { DeliveryAttempts } from "./deliveries";

export function HistorySection({ canAcknowledge }: { canAcknowledge: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState<"OPEN" | "RESOLVED" | undefined>(undefined);
  const input = state ? { state } : {};
  // Deliveries move on while the page is open: retries, recoveries.
  const history = useInfiniteQuery({
    ...trpc.alerts.history.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor }),
    refetchInterval: 3_000,
  });
  const events = history.data?.pages.flatMap((page) => page.events) ?? [];
  const [problem, setProblem] = useState<string | null>(null);
  const acknowledge = useMutation(
    trpc.alerts.acknowledge.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.alerts.history.queryKey() }),
      onError: (error) => setProblem(problemOf(error).message),
    }),
  );

  return (
    <section aria-labelledby="alert-history" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="alert-history" className="font-semibold text-neutral-100">
          Alert history
        </h2>
        <label className="text-xs text-neutral-400">
          Show{" "}
          <select
            value={state ?? ""}
            onChange={(event) => setState((event.target.value || undefined) as typeof state)}
            className="rounded border border-neutral-700 bg-neutral-900 px-2 py-1 text-neutral-100"
          >
            <option value="">all</option>
            <option value="OPEN">open</option>
            <option value="RESOLVED">resolved</option>
          </select>
        </label>
      </div>
      {problem && <Notice tone="error">{problem}</Notice>}
      {history.isPending ? (
        <p className="text-neutral-500">Loading alerts…</p>
      ) : history.isError ? (
        <Notice tone="error">Could not load the alerts: {history.error.message}</Notice>
      ) : events.length === 0 ? (
        <EmptyState title="No alerts">Breaches of the rules below show here, with every notice sent for them.</EmptyState>
      ) : (
        <ul className="space-y-2">
          {events.map((event) => (
            <li key={event.id} className="rounded-md border border-neutral-800 p-3" data-testid="alert-event">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="space-y-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <StateBadge state={event.state} tone={event.state === "OPEN" ? "danger" : "good"} />
                    {event.escalatedAt && <StateBadge state="ESCALATED" tone="warning" />}
                    <span className="font-medium text-neutral-100">{event.rule.name}</span>
                    {event.bot && (
                      <Link href={`/bots/${event.bot.id}`} className="text-emerald-300 hover:underline">
                        {event.bot.symbol}
                      </Link>
                    )}
                  </div>
                  <p className="text-neutral-300">{event.message}</p>
                  {event.recovery && <p className="text-emerald-300/90">{event.recovery}</p>}
                  <p className="text-xs text-neutral-500">
                    Opened {formatDateTime(event.openedAt)}
                    {event.resolvedAt && ` · resolved ${formatDateTime(event.resolvedAt)}`}
                    {event.acknowledgedAt && ` · acknowledged by ${event.acknowledgedBy ?? "a former member"} ${formatDateTime(event.acknowledgedAt)}`}
                  </p>
                </div>
                {canAcknowledge && event.state === "OPEN" && !event.acknowledgedAt && (
                  <button
                    type="button"
                    disabled={acknowledge.isPending}
                    onClick={() => {
                      setProblem(null);
                      acknowledge.mutate({ eventId: event.id });
                    }}
                    className={buttonClass.secondary}
                  >
                    Acknowledge
                  </button>
                )}
              </div>
              {event.deliveries.length > 0 ? (
                <ul className="mt-2 space-y-1.5 border-t border-neutral-800 pt-2">
                  {event.deliveries.map((delivery) => (
                    <DeliveryAttempts key={delivery.id} delivery={delivery} />
                  ))}
                </ul>
              ) : (
                <p className="mt-2 text-xs text-neutral-500">No channel on this rule: nothing was sent.</p>
              )}
            </li>
          ))}
        </ul>
      )}
      {history.hasNextPage && (
        <button type="button" disabled={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()} className={buttonClass.secondary}>
          {history.isFetchingNextPage ? "Loading…" : "Older alerts"}
        </button>
      )}
    </section>
  );
}
