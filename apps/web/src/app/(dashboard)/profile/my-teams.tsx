"use client";

import { useQuery } from "@tanstack/react-query";
import { Notice, tableClass } from "~/components/forms";
import { useTRPC } from "~/trpc/react";

export function MyTeams() {
  const trpc = useTRPC();
  const teams = useQuery(trpc.teams.mine.queryOptions());
  return (
    <section aria-labelledby="teams-heading" className="max-w-md space-y-3">
      <h2 id="teams-heading" className="font-semibold text-neutral-100">
        Your teams
      </h2>
      {teams.isPending ? (
        <p className="text-neutral-500">Loading…</p>
      ) : teams.isError ? (
        <Notice tone="error">Could not load your teams: {teams.error.message}</Notice>
      ) : (
        <div className={tableClass.wrapper}>
          <table className="w-full border-collapse">
            <caption className="sr-only">Teams you belong to</caption>
            <tbody className={tableClass.body}>
              {teams.data.map((team) => (
                <tr key={team.id}>
                  <th scope="row" className={`${tableClass.cell} text-left font-normal text-neutral-200`}>
                    {team.name}
                    {team.current && <span className="ml-1.5 text-xs text-emerald-400">current</span>}
                  </th>
                  <td className={`${tableClass.cell} text-right font-mono text-xs text-neutral-400`}>{team.role}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {teams.data && teams.data.length > 1 && (
        <p className="text-xs text-neutral-500">Switch teams with the team menu at the top of the page.</p>
      )}
    </section>
  );
}
