"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { StateBadge } from "~/components/state-badge";
import { ACTUAL_STATE_TONE } from "~/lib/bot-state";
import { useTRPC } from "~/trpc/react";
import { EmptyState, Notice, buttonClass } from "~/components/forms";
import { ChangesList } from "../../../changes/_components/changes-list";
import { ConfigSummary } from "../../../changes/_components/config-summary";
import { formatUtc, linkClass, retryUnlessRefused } from "../../../changes/_lib/ui";

const headCell = "px-2 py-1.5 text-left text-xs font-medium uppercase tracking-wide text-neutral-500";
const bodyCell = "px-2 py-1.5 align-top";

// A superseded version the engine never ran was never applied; only the version in force may still be.
function AppliedAt({ at, inForce }: { at: Date | null; inForce: boolean }) {
  if (at) {
    return (
      <time dateTime={at.toISOString()} className="text-neutral-300">
        {formatUtc(at)}
      </time>
    );
  }
  return inForce ? <span className="text-amber-300">not applied yet</span> : <span className="text-neutral-500">never applied</span>;
}

// A bot's configuration: the version in force and when it took effect, the pending request, and every version.
export function BotConfigView({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const config = useQuery({
    ...trpc.changes.botConfig.queryOptions({ botId }),
    retry: retryUnlessRefused,
    // Watch closely while something is about to change: a pending request, or a version the engine has not applied.
    refetchInterval: (query) => (query.state.data?.pending || (query.state.data?.current && !query.state.data.current.appliedAt) ? 2_000 : 10_000),
  });

  if (config.isPending) return <p className="text-neutral-500">Loading the config…</p>;
  if (config.isError) {
    return (
      <Notice tone="error">
        {config.error.data?.code === "NOT_FOUND" ? "No such bot in this team." : `Could not load the config: ${config.error.message}`}
      </Notice>
    );
  }
  const { bot, current, history, pending, canPropose } = config.data;

  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-lg font-semibold text-neutral-100">
          <span className="font-mono">{bot.symbol}</span> config
        </h1>
        <StateBadge state={bot.actualState} tone={ACTUAL_STATE_TONE[bot.actualState]} />
        <span className="text-neutral-400">{bot.account.name}</span>
        <div className="ml-auto">
          {canPropose && !pending && (
            <Link href={`/bots/${bot.id}/config/propose`} className={buttonClass.primary}>
              Propose a change
            </Link>
          )}
        </div>
      </header>

      {pending && (
        <Notice tone="warning">
          A change request by {pending.proposer.name} is pending since {formatUtc(pending.createdAt)}.{" "}
          <Link href={`/changes/${pending.id}`} className="underline">
            Open it
          </Link>
        </Notice>
      )}

      <section aria-labelledby="in-force-heading" className="rounded border border-neutral-800 p-3">
        <h2 id="in-force-heading" className="text-xs font-medium uppercase tracking-wide text-neutral-400">
          In force
        </h2>
        {current ? (
          <>
            <p className="mt-1 text-neutral-300" data-testid="version-in-force">
              <span className="font-mono text-base font-semibold text-neutral-50">v{current.version}</span> · approved{" "}
              {formatUtc(current.createdAt)} · applied <AppliedAt at={current.appliedAt} inForce />
              {current.changeRequest && (
                <>
                  {" · "}
                  <Link href={`/changes/${current.changeRequest.id}`} className={linkClass}>
                    its request
                  </Link>
                </>
              )}
            </p>
            {!current.appliedAt && bot.actualState === "STOPPED" && (
              <p className="mt-1 text-xs text-neutral-500">The engine applies a version when it runs the bot.</p>
            )}
            <div className="mt-3">
              <ConfigSummary config={current.config} />
            </div>
          </>
        ) : (
          <p className="mt-1 text-neutral-400">No approved config yet: the engine runs this bot on the defaults.</p>
        )}
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading" className="mb-1 text-xs font-medium uppercase tracking-wide text-neutral-400">
          History
        </h2>
        {history.length === 0 ? (
          <EmptyState title="No versions yet" />
        ) : (
          <div className="overflow-x-auto rounded-md border border-neutral-800">
            <table className="w-full border-collapse" data-testid="config-history">
              <caption className="sr-only">Config versions of {bot.symbol}, newest first</caption>
              <thead className="border-b border-neutral-800 bg-neutral-900/60">
                <tr>
                  <th scope="col" className={headCell}>
                    Version
                  </th>
                  <th scope="col" className={headCell}>
                    Took effect
                  </th>
                  <th scope="col" className={`${headCell} hidden sm:table-cell`}>
                    Approved
                  </th>
                  <th scope="col" className={`${headCell} hidden md:table-cell`}>
                    Why
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-neutral-800/70">
                {history.map((version) => (
                  <tr key={version.version}>
                    <th scope="row" className={`${bodyCell} text-left font-mono font-normal`}>
                      {version.changeRequest ? (
                        <Link href={`/changes/${version.changeRequest.id}`} className={linkClass}>
                          v{version.version}
                        </Link>
                      ) : (
                        <span className="text-neutral-200">v{version.version}</span>
                      )}
                      {version.version === current?.version && <span className="ml-2 text-xs text-emerald-400">in force</span>}
                    </th>
                    <td className={bodyCell}>
                      <AppliedAt at={version.appliedAt} inForce={version.version === current?.version} />
                    </td>
                    <td className={`${bodyCell} hidden sm:table-cell`}>
                      <span className="text-neutral-300">{formatUtc(version.createdAt)}</span>
                      <span className="block text-xs text-neutral-500">
                        {version.proposer ? `proposed by ${version.proposer.name}` : "initial"}
                        {version.changeRequest?.reviewer && `, approved by ${version.changeRequest.reviewer.name}`}
                      </span>
                    </td>
                    <td className={`${bodyCell} hidden max-w-md text-neutral-400 md:table-cell`}>{version.changeRequest?.reason ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="decided-heading">
        <h2 id="decided-heading" className="mb-1 text-xs font-medium uppercase tracking-wide text-neutral-400">
          Decided requests
        </h2>
        <ChangesList view="DECIDED" botId={bot.id} />
      </section>
    </div>
  );
}
