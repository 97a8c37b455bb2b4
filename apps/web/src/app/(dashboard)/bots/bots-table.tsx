"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { StateBadge } from "~/components/state-badge";
import { ACTUAL_STATE_TONE, DESIRED_STATE_TONE, isAsDesired } from "~/lib/bot-state";
import { useTRPC } from "~/trpc/react";

const headCell = "px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-neutral-500";
const bodyCell = "px-3 py-1.5 align-top";

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

export function BotsTable() {
  const trpc = useTRPC();
  // Bot states change under the engine's hands; a short poll keeps the table current until push arrives.
  const bots = useQuery({ ...trpc.bots.list.queryOptions(), refetchInterval: 5_000 });

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
      <div className="rounded-md border border-dashed border-neutral-800 px-6 py-12 text-center">
        <p className="font-medium text-neutral-200">No bots yet</p>
        <p className="mt-1 text-neutral-500">
          This team has no bots. A bot pairs an exchange account with a symbol to keep quoted.
        </p>
      </div>
    );
  }

  return (
    <div className="overflow-x-auto rounded-md border border-neutral-800">
      <table className="w-full border-collapse sm:min-w-[40rem]">
        <caption className="sr-only">Bots of this team</caption>
        <thead className="border-b border-neutral-800 bg-neutral-900/60">
          <tr>
            <th scope="col" className={headCell}>
              Symbol
            </th>
            <th scope="col" className={`${headCell} hidden sm:table-cell`}>
              Account
            </th>
            <th scope="col" className={headCell}>
              Desired
            </th>
            <th scope="col" className={headCell}>
              Actual
            </th>
            <th scope="col" className={`${headCell} hidden text-right sm:table-cell`}>
              Config
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-800/70">
          {bots.data.map((bot) => (
            <tr key={bot.id} className="hover:bg-neutral-900/50">
              <th scope="row" className={`${bodyCell} text-left font-normal`}>
                <Link href={`/bots/${bot.id}`} className="font-mono font-semibold text-neutral-100 hover:underline">
                  {bot.symbol}
                </Link>
                {/* On phones the account column is hidden; its name moves under the symbol. */}
                <span className="block text-xs text-neutral-500 sm:hidden">{bot.account.name}</span>
              </th>
              <td className={`${bodyCell} hidden sm:table-cell`}>
                <span className="text-neutral-200">{bot.account.name}</span>
                <span className="ml-2 text-xs text-neutral-500">{accountVenue(bot.account)}</span>
              </td>
              <td className={bodyCell}>
                <StateBadge state={bot.desiredState} tone={DESIRED_STATE_TONE[bot.desiredState]} />
              </td>
              <td className={bodyCell}>
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
              <td className={`${bodyCell} hidden text-right font-mono text-neutral-300 sm:table-cell`}>
                {bot.configVersion === null ? <span className="text-neutral-600">none</span> : `v${bot.configVersion}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
