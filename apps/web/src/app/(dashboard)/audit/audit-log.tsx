"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { EmptyState, Field, Notice, buttonClass, inputClass, problemOf, tableClass } from "~/components/forms";
import { formatDateTime } from "~/lib/format";
import type { AuditEntryItem } from "~/server/routers/audit/list";
import { useTRPC } from "~/trpc/react";
import { type AuditFilterValues, NO_FILTERS, auditQueryInput, filtersFromSearch, filtersToSearch } from "./filters";

const PAGE_SIZE = 50;

// A payload in one line: "email=a@b.c · from=TRADER · to=ADMIN".
function payloadSummary(payload: unknown): string {
  if (payload === null || payload === undefined) return "";
  if (typeof payload !== "object" || Array.isArray(payload)) return JSON.stringify(payload);
  return Object.entries(payload as Record<string, unknown>)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");
}

export function AuditLog() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  // The filters are this state, mirrored into the URL; reading them back from the URL would lose a change made
  // before the previous one's navigation finished.
  const [filters, setFilters] = useState(() => filtersFromSearch(new URLSearchParams(search.toString())));
  // Cursors of the pages before the current one; empty on the first page.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);

  const options = useQuery(trpc.audit.filters.queryOptions());
  const page = useQuery({
    ...trpc.audit.list.queryOptions({ ...auditQueryInput(filters), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
    placeholderData: keepPreviousData,
  });

  function apply(next: AuditFilterValues) {
    setFilters(next);
    setCursors([]);
    router.replace(`${pathname}${filtersToSearch(next)}`, { scroll: false });
  }
  const set = (name: keyof AuditFilterValues) => (event: { target: { value: string } }) =>
    apply({ ...filters, [name]: event.target.value });

  const problem = page.isError ? problemOf(page.error) : null;
  const filtered = filtersToSearch(filters) !== "";

  return (
    <div className="space-y-3">
      <form
        aria-label="Filter the audit log"
        onSubmit={(event) => event.preventDefault()}
        className="grid grid-cols-2 gap-3 rounded-md border border-neutral-800 bg-neutral-900/40 p-3 md:grid-cols-[repeat(5,minmax(0,1fr))_auto]"
      >
        <Field id="audit-actor" label="Who">
          <select id="audit-actor" value={filters.actor} onChange={set("actor")} className={inputClass}>
            <option value="">Anyone</option>
            {options.data?.actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="audit-action" label="Action">
          <select id="audit-action" value={filters.action} onChange={set("action")} className={`${inputClass} font-mono`}>
            <option value="">Any action</option>
            {options.data?.actions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </Field>
        <Field id="audit-entity" label="Entity">
          <select id="audit-entity" value={filters.entity} onChange={set("entity")} className={inputClass}>
            <option value="">Any entity</option>
            {options.data?.entityTypes.map((entity) => (
              <option key={entity} value={entity}>
                {entity}
              </option>
            ))}
          </select>
        </Field>
        <Field id="audit-from" label="From (UTC)" error={problem?.fields.from}>
          <input id="audit-from" type="date" value={filters.from} onChange={set("from")} className={inputClass} />
        </Field>
        <Field id="audit-to" label="To (UTC)" error={problem?.fields.to}>
          <input id="audit-to" type="date" value={filters.to} onChange={set("to")} className={inputClass} />
        </Field>
        <div className="col-span-2 flex items-end md:col-span-1">
          <button type="button" disabled={!filtered} onClick={() => apply(NO_FILTERS)} className={buttonClass.secondary}>
            Clear
          </button>
        </div>
      </form>

      {page.isPending ? (
        <p className="text-neutral-500">Loading the audit log…</p>
      ) : page.isError ? (
        // Field problems (a range ending before it starts) show under their field above.
        problem && Object.keys(problem.fields).length === 0 && <Notice tone="error">Could not load the audit log: {problem.message}</Notice>
      ) : page.data.entries.length === 0 ? (
        <EmptyState title={filtered ? "Nothing matches these filters" : "Nothing recorded yet"}>
          {filtered ? "Widen the date range or clear a filter." : "Privileged actions appear here as people take them."}
        </EmptyState>
      ) : (
        <AuditTable entries={page.data.entries} stale={page.isPlaceholderData} />
      )}

      {page.data && (cursors.length > 0 || page.data.nextCursor) && (
        <nav aria-label="Audit log pages" className="flex items-center justify-between gap-2">
          <button
            type="button"
            disabled={cursors.length === 0}
            onClick={() => setCursors(cursors.slice(0, -1))}
            className={buttonClass.secondary}
          >
            ← Newer
          </button>
          <span className="text-xs text-neutral-500">Page {cursors.length + 1}</span>
          <button
            type="button"
            disabled={!page.data.nextCursor}
            onClick={() => page.data.nextCursor && setCursors([...cursors, page.data.nextCursor])}
            className={buttonClass.secondary}
          >
            Older →
          </button>
        </nav>
      )}
    </div>
  );
}

function AuditTable({ entries, stale }: { entries: readonly AuditEntryItem[]; stale: boolean }) {
  return (
    <div className={`${tableClass.wrapper} ${stale ? "opacity-60" : ""}`}>
      <table className="w-full border-collapse text-xs sm:min-w-[48rem]">
        <caption className="sr-only">Audit entries, newest first</caption>
        <thead className={tableClass.head}>
          <tr>
            <th scope="col" className={tableClass.headCell}>When (UTC)</th>
            <th scope="col" className={tableClass.headCell}>Who</th>
            <th scope="col" className={tableClass.headCell}>Action</th>
            <th scope="col" className={`${tableClass.headCell} hidden md:table-cell`}>Entity</th>
            <th scope="col" className={`${tableClass.headCell} hidden lg:table-cell`}>Details</th>
          </tr>
        </thead>
        <tbody className={tableClass.body}>
          {entries.map((entry) => (
            <tr key={entry.id} className="hover:bg-neutral-900/50">
              <td className={`${tableClass.cell} whitespace-nowrap font-mono text-neutral-400`}>
                <time dateTime={entry.createdAt.toISOString()}>{formatDateTime(entry.createdAt)}</time>
              </td>
              <td className={tableClass.cell}>
                {entry.actor ? (
                  <span className="text-neutral-200" title={entry.actor.email}>
                    {entry.actor.name}
                  </span>
                ) : (
                  <span className="text-neutral-500">system</span>
                )}
              </td>
              <td className={tableClass.cell}>
                <span className="font-mono text-neutral-100">{entry.action}</span>
                {entry.changeRequestId && (
                  <Link
                    href={`/changes/${entry.changeRequestId}`}
                    className="ml-2 text-emerald-400 hover:text-emerald-300 hover:underline"
                  >
                    change request
                  </Link>
                )}
                <span className="mt-0.5 block break-all text-neutral-500 lg:hidden">{payloadSummary(entry.payload)}</span>
              </td>
              <td className={`${tableClass.cell} hidden md:table-cell`}>
                <span className="text-neutral-300">{entry.entityType}</span>
                {entry.entityId && <span className="block font-mono text-neutral-600">{entry.entityId}</span>}
              </td>
              <td className={`${tableClass.cell} hidden max-w-md break-all text-neutral-400 lg:table-cell`}>
                {payloadSummary(entry.payload)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
