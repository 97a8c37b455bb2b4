"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { EmptyState, Field, buttonClass, inputClass, tableClass } from "~/components/forms";
import { StateBadge } from "~/components/state-badge";
import { ACTUAL_STATE_TONE, BOT_ACTUAL_STATES, DESIRED_STATE_TONE, isAsDesired } from "~/lib/bot-state";
import type { BotListItem } from "~/server/routers/bots/list";
import { useTRPC } from "~/trpc/react";
import {
  type BotFilterValues,
  FIRST_DIRECTION,
  NO_BOT_FILTERS,
  type SortKey,
  accountsOf,
  botFiltersFromSearch,
  botFiltersToSearch,
  filterAndSortBots,
  isFiltered,
} from "./bot-filters";

const sinceFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "short",
  timeStyle: "medium",
  timeZone: "UTC",
});

// "binance · testnet"; the simulator is its own environment, so it is named once.
function accountVenue(account: { venue: string; environment: string }): string {
  const venue = account.venue.toLowerCase();
  const environment = account.environment.toLowerCase();
  return venue === environment ? venue : `${venue} · ${environment}`;
}

const SORT_LABELS: Record<SortKey, string> = {
  symbol: "Symbol",
  account: "Account",
  desired: "Desired state",
  state: "Actual state (trouble first when ascending)",
  changed: "Last state change",
  config: "Config version",
};

export function BotsTable() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  // Bot states change under the engine's hands; a short poll keeps the table current until push arrives.
  const bots = useQuery({ ...trpc.bots.list.queryOptions(), refetchInterval: 5_000 });
  // The filters are this state, mirrored into the URL (as the audit log's are).
  const [filters, setFilters] = useState(() => botFiltersFromSearch(new URLSearchParams(search.toString())));

  function apply(next: BotFilterValues) {
    setFilters(next);
    router.replace(`${pathname}${botFiltersToSearch(next)}`, { scroll: false });
  }

  if (bots.isPending) return <p className="text-neutral-500">Loading bots…</p>;
  if (bots.isError) {
    return (
      <p role="alert" className="rounded-md border border-red-500/40 bg-red-500/10 px-3 py-2 text-red-300">
        Could not load bots: {bots.error.message}
      </p>
    );
  }
  if (bots.data.length === 0) {
    return (
      <EmptyState title="No bots yet">
        This team has no bots. A bot pairs an exchange account with a symbol to keep quoted.
      </EmptyState>
    );
  }

  const shown = filterAndSortBots(bots.data, filters);
  return (
    <div className="space-y-3">
      <BotFilters filters={filters} accounts={accountsOf(bots.data)} onChange={apply} />
      <p className="text-xs text-neutral-500" role="status">
        {shown.length === bots.data.length ? `${bots.data.length} bots` : `${shown.length} of ${bots.data.length} bots`}
      </p>
      {shown.length === 0 ? (
        <EmptyState title="No bot matches">Search for another symbol or account, or clear the filters.</EmptyState>
      ) : (
        <BotRows bots={shown} filters={filters} onSort={apply} />
      )}
    </div>
  );
}

function BotFilters({
  filters,
  accounts,
  onChange,
}: {
  filters: BotFilterValues;
  accounts: { id: string; name: string }[];
  onChange: (next: BotFilterValues) => void;
}) {
  const set = (name: "query" | "state" | "account") => (event: { target: { value: string } }) =>
    onChange({ ...filters, [name]: event.target.value });
  return (
    <form
      role="search"
      aria-label="Find bots"
      onSubmit={(event) => event.preventDefault()}
      className="grid grid-cols-2 gap-3 rounded-md border border-neutral-800 bg-neutral-900/40 p-3 md:grid-cols-[2fr_repeat(2,minmax(0,1fr))_minmax(0,1.4fr)_auto]"
    >
      <div className="col-span-2 md:col-span-1">
        <Field id="bots-query" label="Search">
          <input
            id="bots-query"
            type="search"
            value={filters.query}
            onChange={set("query")}
            placeholder="Symbol or account"
            className={inputClass}
          />
        </Field>
      </div>
      <Field id="bots-state" label="State">
        <select id="bots-state" value={filters.state} onChange={set("state")} className={inputClass}>
          <option value="">Any state</option>
          <option value="attention">Not as desired</option>
          {BOT_ACTUAL_STATES.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </select>
      </Field>
      <Field id="bots-account" label="Account">
        <select id="bots-account" value={filters.account} onChange={set("account")} className={inputClass}>
          <option value="">Any account</option>
          {accounts.map((account) => (
            <option key={account.id} value={account.id}>
              {account.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="bots-sort" label="Sort by">
        <select
          id="bots-sort"
          value={`${filters.sort}:${filters.direction}`}
          onChange={(event) => {
            const [sort, direction] = event.target.value.split(":") as [SortKey, "asc" | "desc"];
            onChange({ ...filters, sort, direction });
          }}
          className={inputClass}
        >
          {(Object.keys(SORT_LABELS) as SortKey[]).flatMap((key) =>
            (["asc", "desc"] as const).map((direction) => (
              <option key={`${key}:${direction}`} value={`${key}:${direction}`}>
                {SORT_LABELS[key]}, {direction === "asc" ? "ascending" : "descending"}
              </option>
            )),
          )}
        </select>
      </Field>
      <div className="flex items-end">
        <button
          type="button"
          disabled={!isFiltered(filters)}
          onClick={() => onChange({ ...NO_BOT_FILTERS, sort: filters.sort, direction: filters.direction })}
          className={buttonClass.secondary}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

// A column header that sorts the table by its column: a click sorts by it, a second click reverses the order.
function SortHeader({
  column,
  label,
  filters,
  onSort,
  className = "",
}: {
  column: SortKey;
  label: string;
  filters: BotFilterValues;
  onSort: (next: BotFilterValues) => void;
  className?: string;
}) {
  const active = filters.sort === column;
  const next = active ? (filters.direction === "asc" ? "desc" : "asc") : FIRST_DIRECTION[column];
  return (
    <th
      scope="col"
      aria-sort={active ? (filters.direction === "asc" ? "ascending" : "descending") : "none"}
      className={`${tableClass.headCell} ${className}`}
    >
      <button
        type="button"
        onClick={() => onSort({ ...filters, sort: column, direction: next })}
        className="inline-flex items-center gap-1 uppercase tracking-wide hover:text-neutral-200 focus:outline-none focus-visible:ring-2 focus-visible:ring-neutral-400"
      >
        {label}
        <span aria-hidden="true" className={active ? "text-neutral-300" : "text-neutral-700"}>
          {active && filters.direction === "desc" ? "↓" : "↑"}
        </span>
      </button>
    </th>
  );
}

function BotRows({ bots, filters, onSort }: { bots: BotListItem[]; filters: BotFilterValues; onSort: (next: BotFilterValues) => void }) {
  const header = { filters, onSort };
  return (
    <div className={tableClass.wrapper}>
      <table className="w-full border-collapse sm:min-w-[40rem]">
        <caption className="sr-only">Bots of this team</caption>
        <thead className={tableClass.head}>
          <tr>
            <SortHeader column="symbol" label="Symbol" {...header} />
            <SortHeader column="account" label="Account" className="hidden sm:table-cell" {...header} />
            <SortHeader column="desired" label="Desired" {...header} />
            <SortHeader column="state" label="Actual" {...header} />
            <SortHeader column="config" label="Config" className="hidden text-right sm:table-cell" {...header} />
          </tr>
        </thead>
        <tbody className={tableClass.body}>
          {bots.map((bot) => (
            <tr key={bot.id} className="hover:bg-neutral-900/50">
              <th scope="row" className={`${tableClass.cell} text-left font-normal`}>
                <Link href={`/bots/${bot.id}`} className="font-mono font-semibold text-neutral-100 hover:underline">
                  {bot.symbol}
                </Link>
                {/* On phones the account column is hidden; its name moves under the symbol. */}
                <span className="block text-xs text-neutral-500 sm:hidden">{bot.account.name}</span>
              </th>
              <td className={`${tableClass.cell} hidden sm:table-cell`}>
                <span className="text-neutral-200">{bot.account.name}</span>
                <span className="ml-2 text-xs text-neutral-500">{accountVenue(bot.account)}</span>
              </td>
              <td className={tableClass.cell}>
                <StateBadge state={bot.desiredState} tone={DESIRED_STATE_TONE[bot.desiredState]} />
              </td>
              <td className={tableClass.cell}>
                <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
                  <StateBadge state={bot.actualState} tone={ACTUAL_STATE_TONE[bot.actualState]} />
                  {!isAsDesired(bot.desiredState, bot.actualState) && (
                    <span className="text-xs text-amber-400">not as desired</span>
                  )}
                  {bot.stateReason && <span className="text-neutral-400">{bot.stateReason}</span>}
                </div>
                <time dateTime={bot.stateChangedAt.toISOString()} className="mt-0.5 block text-xs text-neutral-600">
                  since {sinceFormat.format(bot.stateChangedAt)} UTC
                </time>
              </td>
              <td className={`${tableClass.cell} hidden text-right font-mono text-neutral-300 sm:table-cell`}>
                {bot.configVersion === null ? <span className="text-neutral-600">none</span> : `v${bot.configVersion}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
