"use client";

import { useQuery } from "@tanstack/react-query";
import { Notice, buttonClass } from "~/components/forms";
import { formatTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

// Balances are asked from the exchange when the panel opens, never stored.
export function BalancesPanel({ accountId }: { accountId: string }) {
  const trpc = useTRPC();
  const balances = useQuery({ ...trpc.accounts.balances.queryOptions({ accountId }), staleTime: 0, retry: false });

  if (balances.isPending) return <p className="text-neutral-500">Asking the exchange…</p>;
  if (balances.isError) {
    return (
      <div className="flex flex-wrap items-center gap-2">
        <Notice tone="error">Could not read the balances: {balances.error.message}</Notice>
        <button type="button" onClick={() => void balances.refetch()} className={buttonClass.secondary}>
          Retry
        </button>
      </div>
    );
  }
  const { data } = balances;
  return (
    <div>
      <div className="flex flex-wrap items-baseline gap-x-3 text-xs text-neutral-500">
        <span>As of {formatTime(data.fetchedAt)} UTC</span>
        {!data.canTrade && <span className="text-amber-300">The exchange says this key may not trade.</span>}
        <button type="button" onClick={() => void balances.refetch()} disabled={balances.isFetching} className={buttonClass.quiet}>
          {balances.isFetching ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      {data.balances.length === 0 ? (
        <p className="mt-1 text-neutral-400">No assets on this account.</p>
      ) : (
        <table className="mt-1 w-full max-w-lg border-collapse font-mono text-xs">
          <caption className="sr-only">Balances</caption>
          <thead>
            <tr className="text-neutral-500">
              <th scope="col" className="py-0.5 pr-4 text-left font-medium">Asset</th>
              <th scope="col" className="py-0.5 pr-4 text-right font-medium">Free</th>
              <th scope="col" className="py-0.5 text-right font-medium">Locked in orders</th>
            </tr>
          </thead>
          <tbody>
            {data.balances.map((balance) => (
              <tr key={balance.asset}>
                <th scope="row" className="py-0.5 pr-4 text-left font-semibold text-neutral-200">{balance.asset}</th>
                <td className="py-0.5 pr-4 text-right text-neutral-200">{balance.free}</td>
                <td className="py-0.5 text-right text-neutral-400">{balance.locked}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
