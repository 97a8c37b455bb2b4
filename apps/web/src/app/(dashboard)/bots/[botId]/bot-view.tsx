"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { StateBadge } from "~/components/state-badge";
import { ACTUAL_STATE_TONE, DESIRED_STATE_TONE, isAsDesired } from "~/lib/bot-state";
import { formatAge, formatDateTime, formatDistance, formatPrice, formatTime, priceDecimals } from "~/lib/format";
import { isAllowed } from "~/server/permissions";
import type { BotDetail } from "~/server/routers/bots/detail";
import { useTRPC } from "~/trpc/react";
import { BotControls } from "./bot-controls";
import { BotEvents } from "./bot-events";
import { KpiCharts } from "./kpi-charts";
import { KpiExport } from "./kpi-export";
import { LiveMarketChart } from "./live-market-chart";

const head = "px-2 py-1 text-left text-[11px] font-medium uppercase tracking-wide text-neutral-500";
const cell = "px-2 py-1 font-mono";

function Section({ title, children, id }: { title: string; children: React.ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="min-w-0">
      <h2 id={id} className="mb-1.5 text-sm font-semibold text-neutral-200">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Empty({ children }: { children: React.ReactNode }) {
  return <p className="rounded border border-dashed border-neutral-800 px-3 py-4 text-center text-xs text-neutral-500">{children}</p>;
}

function OpenOrders({ orders }: { orders: BotDetail["openOrders"] }) {
  if (orders.length === 0) return <Empty>No open orders.</Empty>;
  return (
    <div className="overflow-x-auto rounded border border-neutral-800">
      <table className="w-full text-xs">
        <caption className="sr-only">Open orders</caption>
        <thead className="bg-neutral-900/60">
          <tr>
            <th scope="col" className={head}>Side</th>
            <th scope="col" className={`${head} text-right`}>Price</th>
            <th scope="col" className={`${head} text-right`}>From ref.</th>
            <th scope="col" className={`${head} text-right`}>Qty</th>
            <th scope="col" className={`${head} hidden sm:table-cell`}>Status</th>
            <th scope="col" className={`${head} hidden sm:table-cell`}>Placed</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-800/60">
          {orders.map((order) => (
            <tr key={order.id}>
              <td className={`${cell} ${order.side === "BUY" ? "text-sky-300" : "text-orange-300"}`}>{order.side}</td>
              <td className={`${cell} text-right text-neutral-100`}>{formatPrice(order.price)}</td>
              <td className={`${cell} text-right text-neutral-400`}>{formatDistance(order.distance)}</td>
              <td className={`${cell} text-right text-neutral-300`}>{order.quantity}</td>
              <td className={`${cell} hidden text-neutral-400 sm:table-cell`}>{order.status}</td>
              <td className={`${cell} hidden text-neutral-500 sm:table-cell`}>{formatTime(order.placedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Fills({ fills }: { fills: BotDetail["fills"] }) {
  if (fills.length === 0) return <Empty>No fills: the bot has stayed passive.</Empty>;
  return (
    <div className="max-h-72 overflow-auto rounded border border-neutral-800">
      <table className="w-full text-xs">
        <caption className="sr-only">Recent fills</caption>
        <thead className="sticky top-0 bg-neutral-900">
          <tr>
            <th scope="col" className={head}>Time (UTC)</th>
            <th scope="col" className={head}>Side</th>
            <th scope="col" className={`${head} text-right`}>Price</th>
            <th scope="col" className={`${head} text-right`}>Qty</th>
            <th scope="col" className={`${head} hidden text-right sm:table-cell`}>Quote</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-800/60">
          {fills.map((fill) => (
            <tr key={fill.id}>
              <td className={`${cell} text-neutral-400`}>{formatDateTime(fill.time)}</td>
              <td className={`${cell} ${fill.side === "BUY" ? "text-sky-300" : "text-orange-300"}`}>{fill.side}</td>
              <td className={`${cell} text-right`}>{formatPrice(fill.price)}</td>
              <td className={`${cell} text-right`}>{fill.quantity}</td>
              <td className={`${cell} hidden text-right text-neutral-400 sm:table-cell`}>{formatPrice(fill.quoteQty)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function BotView({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const detail = useQuery({
    ...trpc.bots.detail.queryOptions({ botId }),
    refetchInterval: 1_000,
    // A bot that is not there will not appear on a retry; other failures may pass.
    retry: (failures, error) => error.data?.code !== "NOT_FOUND" && failures < 3,
  });
  const team = useQuery(trpc.teams.current.queryOptions());

  if (detail.isPending) return <p className="text-neutral-500">Loading the bot…</p>;
  if (detail.data === undefined) {
    const notFound = detail.error?.data?.code === "NOT_FOUND";
    return (
      <div role="alert" className="rounded-md border border-neutral-800 px-6 py-10 text-center">
        <p className="font-medium text-neutral-200">{notFound ? "Bot not found" : "Could not load the bot"}</p>
        <p className="mt-1 text-neutral-500">
          {notFound ? "There is no such bot in this team." : (detail.error?.message ?? "No answer from the server.")}
        </p>
        <Link href="/bots" className="mt-3 inline-block text-emerald-400 hover:underline">
          All bots
        </Link>
      </div>
    );
  }
  const { bot, market, openOrders, fills, serverTime } = detail.data;
  const canOperate = team.data ? isAllowed(team.data.role, "OPERATE_BOT") : false;
  const heartbeatAge = bot.heartbeatAt ? serverTime.getTime() - bot.heartbeatAt.getTime() : null;

  return (
    <div className="space-y-5">
      <header className="space-y-2">
        <nav aria-label="Breadcrumb" className="text-xs text-neutral-500">
          <Link href="/bots" className="hover:underline">
            Bots
          </Link>{" "}
          / {bot.symbol}
        </nav>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <h1 className="font-mono text-xl font-semibold text-neutral-50">{bot.symbol}</h1>
          <span className="text-neutral-400">{bot.account.name}</span>
          <StateBadge state={bot.actualState} tone={ACTUAL_STATE_TONE[bot.actualState]} />
          <span className="text-xs text-neutral-500">
            wanted <StateBadge state={bot.desiredState} tone={DESIRED_STATE_TONE[bot.desiredState]} />
          </span>
          {!isAsDesired(bot.desiredState, bot.actualState) && <span className="text-xs text-amber-400">converging</span>}
          <div className="ml-auto">{canOperate && <BotControls botId={bot.id} desiredState={bot.desiredState} />}</div>
        </div>
        {bot.stateReason && <p className="text-sm text-neutral-400">{bot.stateReason}</p>}
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-3 lg:grid-cols-6">
          <div>
            <dt className="text-neutral-500">Reference</dt>
            <dd className="font-mono text-neutral-100" data-testid="reference-price">{formatPrice(market?.referencePrice, priceDecimals(market?.bestBid ?? null))}</dd>
          </div>
          <div>
            <dt className="text-neutral-500">Market bid / ask</dt>
            <dd className="font-mono text-neutral-300">
              {formatPrice(market?.bestBid)} / {formatPrice(market?.bestAsk)}
            </dd>
          </div>
          <div>
            <dt className="text-neutral-500">Open orders</dt>
            <dd className="font-mono text-neutral-300">{openOrders.length}</dd>
          </div>
          <div>
            <dt className="text-neutral-500">Engine heartbeat</dt>
            <dd className={`font-mono ${heartbeatAge !== null && heartbeatAge > 5_000 ? "text-amber-300" : "text-neutral-300"}`}>
              {/* An engine lets go of a bot it stopped: no heartbeat is what a stopped bot should have. */}
              {heartbeatAge !== null ? `${formatAge(heartbeatAge)} ago` : bot.desiredState === "STOPPED" ? "stopped" : "no engine"}
            </dd>
          </div>
          {/* 5B's slot: the config in force, its history and change proposals live under /bots/[botId]/config. */}
          <div>
            <dt className="text-neutral-500">Config in force</dt>
            <dd className="font-mono text-neutral-300">
              {bot.config ? `v${bot.config.version}` : "none"}{" "}
              <Link href={`/bots/${bot.id}/config`} className="font-sans text-emerald-400 hover:underline">
                history and changes
              </Link>
            </dd>
          </div>
          <div>
            <dt className="text-neutral-500">Band</dt>
            <dd className="font-mono text-neutral-300">
              {bot.config?.band ? `${(bot.config.band.minSpread * 100).toFixed(2)}–${(bot.config.band.maxSpread * 100).toFixed(2)}%` : "—"}
            </dd>
          </div>
        </dl>
      </header>

      <LiveMarketChart detail={detail.data} />

      <div className="grid gap-5 lg:grid-cols-2">
        <Section title="Open orders" id="orders-heading">
          <OpenOrders orders={openOrders} />
        </Section>
        <Section title="Bot events" id="events-heading">
          <BotEvents botId={bot.id} />
        </Section>
      </div>

      <KpiCharts botId={bot.id} />

      <div className="grid gap-5 lg:grid-cols-2">
        <Section title="Recent fills" id="fills-heading">
          <Fills fills={fills} />
        </Section>
        <Section title="Export KPIs" id="export-heading">
          <KpiExport botId={bot.id} />
        </Section>
      </div>
    </div>
  );
}
