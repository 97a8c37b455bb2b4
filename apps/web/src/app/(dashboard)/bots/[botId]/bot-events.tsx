"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

// The kind in the page's URL (?events=order_reopened), so a filtered timeline can be shared and survives a reload.
const KIND_PARAM = "events";
const KIND = /^[a-z][a-z0-9_]*$/;

/** "state" events are the bot's state changes; the others read as their type in words ("order reopened"). */
export function eventKindLabel(type: string): string {
  return type === "state" ? "state change" : type.replaceAll("_", " ");
}

function EventList({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  // The filter is this state, mirrored into the URL; a value that is no event kind is no filter.
  const [kind, setKind] = useState(() => {
    const fromUrl = search.get(KIND_PARAM) ?? "";
    return KIND.test(fromUrl) ? fromUrl : "";
  });
  const events = useQuery({
    ...trpc.bots.events.queryOptions({ botId, ...(kind ? { type: kind } : {}) }),
    refetchInterval: 2_000,
    placeholderData: keepPreviousData,
  });

  function choose(next: string) {
    setKind(next);
    const params = new URLSearchParams(search.toString());
    if (next === "") params.delete(KIND_PARAM);
    else params.set(KIND_PARAM, next);
    const text = params.toString();
    router.replace(`${pathname}${text === "" ? "" : `?${text}`}`, { scroll: false });
  }

  const kinds = events.data?.kinds ?? [];
  const total = kinds.reduce((sum, entry) => sum + entry.count, 0);
  // The chosen kind stays a choice even while the bot has none of it, so the select shows what filters the list.
  const choices = kind !== "" && !kinds.some((entry) => entry.type === kind) ? [...kinds, { type: kind, count: 0 }] : kinds;

  return (
    <div className="space-y-1.5">
      <label className="flex items-center gap-2 text-xs text-neutral-400">
        Kind
        <select
          value={kind}
          onChange={(event) => choose(event.target.value)}
          className="rounded border border-neutral-700 bg-neutral-900 px-2 py-1 text-xs text-neutral-100"
        >
          <option value="">{events.data ? `All kinds (${total})` : "All kinds"}</option>
          {choices.map((entry) => (
            <option key={entry.type} value={entry.type}>
              {eventKindLabel(entry.type)} ({entry.count})
            </option>
          ))}
        </select>
      </label>
      {events.isPending ? (
        <p className="text-xs text-neutral-500">Loading events…</p>
      ) : events.isError ? (
        <p role="alert" className="text-xs text-red-300">
          Could not load the events: {events.error.message}
        </p>
      ) : events.data.events.length === 0 ? (
        <p className="rounded border border-dashed border-neutral-800 px-3 py-4 text-center text-xs text-neutral-500">
          {kind ? `No ${eventKindLabel(kind)} events.` : "No events yet."}
        </p>
      ) : (
        <ol
          aria-label={kind ? `Bot events: ${eventKindLabel(kind)}` : "Bot events"}
          className={`max-h-72 divide-y divide-neutral-800/60 overflow-auto rounded border border-neutral-800 text-xs ${events.isPlaceholderData ? "opacity-60" : ""}`}
        >
          {events.data.events.map((event) => (
            <li key={event.id} className="flex flex-wrap gap-x-2 px-2 py-1">
              <time dateTime={event.time.toISOString()} className="font-mono text-neutral-500">
                {formatDateTime(event.time)}
              </time>
              <span className="text-neutral-300">
                {event.toState ? `${event.fromState ?? "?"} → ${event.toState}` : eventKindLabel(event.type)}
              </span>
              {event.reason && <span className="text-neutral-400">{event.reason}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The bot's timeline, newest first, filterable by kind. */
export function BotEvents({ botId }: { botId: string }) {
  // The kind lives in the URL's search params, which a client component reads inside Suspense.
  return (
    <Suspense fallback={<p className="text-xs text-neutral-500">Loading events…</p>}>
      <EventList botId={botId} />
    </Suspense>
  );
}
