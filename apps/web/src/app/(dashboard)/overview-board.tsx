"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { KpiTargetsTable } from "~/components/kpi-targets-table";
import { StateBadge } from "~/components/state-badge";
import { ACTUAL_STATE_TONE, isAsDesired } from "~/lib/bot-state";
import { engineHealth, HEARTBEAT_STALE_MS, type EngineJournalHealth } from "~/lib/engine-health";
import { formatAge, formatDistance, formatPrice, priceDecimals } from "~/lib/format";
import type { OverviewBot } from "~/server/routers/bots/overview";
import { useTRPC } from "~/trpc/react";

function Stat({ label, value, tone, detail }: { label: string; value: number | string; tone?: string | undefined; detail?: ReactNode }) {
  return (
    <div className="rounded-md border border-neutral-800 bg-neutral-900/40 px-3 py-2">
      <dt className="text-xs uppercase tracking-wide text-neutral-500">{label}</dt>
      <dd className={`mt-0.5 font-mono text-xl font-semibold ${tone ?? "text-neutral-100"}`}>{value}</dd>
      {detail && <dd className="mt-0.5 text-xs text-neutral-400">{detail}</dd>}
    </div>
  );
}

/** The engine tile: its heartbeat, and whether its journal is writing what this page shows. */
function EngineStat({ heartbeatAt, journal, serverTime, wanted }: { heartbeatAt: Date | null; journal: EngineJournalHealth | null; serverTime: Date; wanted: boolean }) {
  const health = engineHealth(heartbeatAt, journal, serverTime);
  switch (health.kind) {
    case "none":
      // No engine while bots should run is what an operator must see.
      return <Stat label="Engine heartbeat" value="none" tone={wanted ? "text-amber-300" : undefined} />;
    case "stale":
      return <Stat label="Engine heartbeat" value={formatAge(health.ageMs)} tone="text-amber-300" detail="stale" />;
    case "journal-behind":
      return (
        <Stat
          label="Engine heartbeat"
          value={`journal ${formatAge(health.behindMs)} behind`}
          tone="text-red-300"
          detail={
            <span role="status">
              {health.pending} records not written; bot states and orders here are out of date
              {health.lastError && <span className="block truncate text-red-300/80" title={health.lastError}>{health.lastError}</span>}
            </span>
          }
        />
      );
    case "healthy":
      return (
        <Stat
          label="Engine heartbeat"
          value={formatAge(health.ageMs)}
          detail={
            health.setAside > 0 && (
              <span className="text-amber-300">
                {health.setAside} records refused by the database, kept aside (see the bots&apos; journal_record_failed events)
              </span>
            )
          }
        />
      );
  }
}

function Heartbeat({ heartbeatAt, serverTime, stopped }: { heartbeatAt: Date | null; serverTime: Date; stopped: boolean }) {
  // An engine lets go of a bot it stopped: no heartbeat is what a stopped bot should have.
  if (!heartbeatAt) return <span className="text-neutral-500">{stopped ? "stopped" : "no engine"}</span>;
  const age = serverTime.getTime() - heartbeatAt.getTime();
  const stale = age > HEARTBEAT_STALE_MS;
  return (
    <span className={stale ? "text-amber-300" : "text-neutral-400"} title={`engine heartbeat ${heartbeatAt.toISOString()}`}>
      <span aria-hidden>{stale ? "⚠ " : "♥ "}</span>
      <span className="sr-only">engine heartbeat </span>
      {formatAge(age)}
      {stale && <span className="sr-only"> (stale)</span>}
    </span>
  );
}

function Quote({ label, quote }: { label: string; quote: OverviewBot["bid"] }) {
  return (
    <div>
      <dt className="text-neutral-500">{label}</dt>
      <dd className="font-mono text-neutral-200">
        {quote ? (
          <>
            {formatPrice(quote.price)} <span className="text-neutral-500">{formatDistance(quote.distance)}</span>
          </>
        ) : (
          <span className="text-amber-300">none</span>
        )}
      </dd>
    </div>
  );
}

function BotCard({ bot, serverTime }: { bot: OverviewBot; serverTime: Date }) {
  const label = `${bot.symbol} on ${bot.account.name}`;
  const running = bot.desiredState === "RUNNING";
  return (
    <article aria-label={label} className="rounded-md border border-neutral-800 bg-neutral-900/30">
      <header className="flex flex-wrap items-center gap-x-2 gap-y-1 border-b border-neutral-800/70 px-3 py-2">
        <Link
          href={`/bots/${bot.id}`}
          className="font-mono font-semibold text-neutral-50 hover:underline focus-visible:underline"
        >
          {bot.symbol}
        </Link>
        <span className="text-xs text-neutral-500">{bot.account.name}</span>
        <StateBadge state={bot.actualState} tone={ACTUAL_STATE_TONE[bot.actualState]} />
        {!isAsDesired(bot.desiredState, bot.actualState) && (
          <span className="text-xs text-amber-400">wanted {bot.desiredState.toLowerCase()}</span>
        )}
        <span className="ml-auto text-xs">
          <Heartbeat heartbeatAt={bot.heartbeatAt} serverTime={serverTime} stopped={bot.desiredState === "STOPPED"} />
        </span>
        {bot.stateReason && <p className="basis-full text-xs text-neutral-400">{bot.stateReason}</p>}
      </header>
      <dl className="grid grid-cols-2 gap-x-3 gap-y-1 px-3 py-2 text-xs sm:grid-cols-4">
        <div>
          <dt className="text-neutral-500">Reference</dt>
          <dd className="font-mono text-neutral-100" data-testid="reference-price">
            {formatPrice(bot.market?.referencePrice, priceDecimals(bot.market?.bestBid ?? null))}
          </dd>
        </div>
        <div>
          <dt className="text-neutral-500">Market bid / ask</dt>
          <dd className="font-mono text-neutral-300">
            {formatPrice(bot.market?.bestBid)} / {formatPrice(bot.market?.bestAsk)}
          </dd>
        </div>
        {running || bot.bid || bot.ask ? (
          <>
            <Quote label="Our bid" quote={bot.bid} />
            <Quote label="Our ask" quote={bot.ask} />
          </>
        ) : (
          <div className="col-span-2 text-neutral-500">Not quoting ({bot.desiredState.toLowerCase()})</div>
        )}
      </dl>
      <div className="border-t border-neutral-800/70 px-3 py-2">
        <KpiTargetsTable
          caption={`KPIs of ${label}`}
          columns={[
            { label: "1 h", summary: bot.kpis.hour },
            { label: "24 h", summary: bot.kpis.day },
          ]}
        />
      </div>
    </article>
  );
}

export function OverviewBoard() {
  const trpc = useTRPC();
  // The engine writes snapshots every second: polling at the same pace keeps the board within two seconds.
  const overview = useQuery({ ...trpc.bots.overview.queryOptions(), refetchInterval: 1_000 });

  if (overview.isPending) return <p className="text-neutral-500">Loading the overview…</p>;
  if (overview.data === undefined) {
    return (
      <p role="alert" className="rounded-md border border-red-500/40 bg-red-500/10 px-3 py-2 text-red-300">
        Could not load the overview: {overview.error?.message ?? "no answer"}
      </p>
    );
  }
  const { bots, serverTime, engineHeartbeatAt, engineJournal } = overview.data;
  if (bots.length === 0) {
    return (
      <div className="rounded-md border border-dashed border-neutral-800 px-6 py-12 text-center">
        <p className="font-medium text-neutral-200">No bots yet</p>
        <p className="mt-1 text-neutral-500">A bot pairs an exchange account with a symbol to keep quoted.</p>
      </div>
    );
  }
  const quoting = bots.filter((bot) => bot.actualState === "QUOTING" || bot.actualState === "DEGRADED").length;
  const faulted = bots.filter((bot) => bot.actualState === "FAULTED").length;
  const diverging = bots.filter((bot) => !isAsDesired(bot.desiredState, bot.actualState)).length;
  const wanted = bots.some((bot) => bot.desiredState !== "STOPPED");
  return (
    <>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5">
        <Stat label="Bots" value={bots.length} />
        <Stat label="Quoting" value={quoting} tone={quoting > 0 ? "text-emerald-300" : undefined} />
        <Stat label="Not as desired" value={diverging} tone={diverging > 0 ? "text-amber-300" : undefined} />
        <Stat label="Faulted" value={faulted} tone={faulted > 0 ? "text-red-300" : undefined} />
        <EngineStat heartbeatAt={engineHeartbeatAt} journal={engineJournal} serverTime={serverTime} wanted={wanted} />
      </dl>
      {overview.isError && (
        <p role="status" className="mt-2 text-xs text-amber-300">
          Live updates failing: {overview.error.message}. Showing the last data received.
        </p>
      )}
      <div className="mt-3 grid gap-3 xl:grid-cols-2">
        {bots.map((bot) => (
          <BotCard key={bot.id} bot={bot} serverTime={serverTime} />
        ))}
      </div>
    </>
  );
}
