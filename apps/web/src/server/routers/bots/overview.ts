import { z } from "zod";
import { combineJournalHealth } from "~/lib/engine-health";
import { sumKpisByBot } from "../../kpis/queries";
import { kpiSummaryOutput, summaryOf } from "../../kpis/summary";
import { lastDay, lastHour } from "../../kpis/windows";
import { teamProcedure } from "../../trpc";
import { botSummaryFields, botSummarySelect, toBotSummary } from "./bot-summary";
import { OPEN_ORDER_STATUSES, quoteDistance, snapshotPrices } from "./market";

const quote = z
  .object({
    price: z.string(),
    // Signed distance from the reference price, as a fraction (-0.003: 0.3% below).
    distance: z.number().nullable(),
  })
  .nullable();

export const botsOverviewOutput = z.object({
  // The server's clock, so ages (heartbeat, snapshot) do not depend on the browser's.
  serverTime: z.date(),
  // The newest lease renewal among the team's bots: the engine is alive if this is seconds old.
  engineHeartbeatAt: z.date().nullable(),
  // The journals of the engines holding the team's bots: whether what this page shows is being written at all.
  engineJournal: z
    .object({
      pending: z.number().int(),
      behindMs: z.number(),
      lastError: z.string().nullable(),
      lastErrorAt: z.date().nullable(),
      setAside: z.number().int(),
    })
    .nullable(),
  bots: z.array(
    z.object({
      ...botSummaryFields,
      market: z
        .object({
          referencePrice: z.string().nullable(),
          bestBid: z.string().nullable(),
          bestAsk: z.string().nullable(),
          updatedAt: z.date(),
        })
        .nullable(),
      // Our best open bid and ask.
      bid: quote,
      ask: quote,
      openOrders: z.number().int(),
      // When the engine holding the bot's lease last renewed it; null when no engine holds it.
      heartbeatAt: z.date().nullable(),
      kpis: z.object({ hour: kpiSummaryOutput, day: kpiSummaryOutput }),
    }),
  ),
});

export type BotsOverview = z.infer<typeof botsOverviewOutput>;
export type OverviewBot = BotsOverview["bots"][number];

const ENGINE_JOURNAL_SELECT = {
  id: true,
  heartbeatAt: true,
  journalPending: true,
  journalCaughtUpAt: true,
  journalLastError: true,
  journalLastErrorAt: true,
  journalSetAside: true,
} as const;

export const botsOverview = teamProcedure("VIEW_TEAM")
  .output(botsOverviewOutput)
  .query(async ({ ctx }) => {
    const now = new Date();
    const bots = await ctx.db.bot.findMany({
      where: { teamId: ctx.team.id },
      orderBy: [{ symbol: "asc" }, { id: "asc" }],
      select: {
        ...botSummarySelect,
        marketSnapshot: { select: { referencePrice: true, bestBid: true, bestAsk: true, updatedAt: true } },
        lease: { select: { heartbeatAt: true, engineInstance: { select: ENGINE_JOURNAL_SELECT } } },
      },
    });
    const ids = bots.map((bot) => bot.id);
    const [hour, day, orders] = await Promise.all([
      sumKpisByBot(ctx.db, ids, lastHour(now)),
      sumKpisByBot(ctx.db, ids, lastDay(now)),
      ctx.db.order.findMany({
        where: { botId: { in: ids }, status: { in: [...OPEN_ORDER_STATUSES] } },
        select: { botId: true, side: true, price: true },
      }),
    ]);
    const heartbeats = bots.flatMap((bot) => (bot.lease ? [bot.lease.heartbeatAt.getTime()] : []));
    const engines = new Map(bots.flatMap((bot) => (bot.lease ? [[bot.lease.engineInstance.id, bot.lease.engineInstance] as const] : [])));
    return {
      serverTime: now,
      engineHeartbeatAt: heartbeats.length > 0 ? new Date(Math.max(...heartbeats)) : null,
      engineJournal: combineJournalHealth([...engines.values()]),
      bots: bots.map((bot) => {
        const own = orders.filter((order) => order.botId === bot.id);
        const reference = bot.marketSnapshot?.referencePrice ?? null;
        const best = (side: "BUY" | "SELL") => {
          const prices = own.filter((order) => order.side === side).map((order) => order.price);
          if (prices.length === 0) return null;
          const price = prices.reduce((a, b) => (side === "BUY" ? (b.gt(a) ? b : a) : b.lt(a) ? b : a));
          return { price: price.toFixed(), distance: quoteDistance(price, reference) };
        };
        return {
          ...toBotSummary(bot),
          market: bot.marketSnapshot && { ...snapshotPrices(bot.marketSnapshot), updatedAt: bot.marketSnapshot.updatedAt },
          bid: best("BUY"),
          ask: best("SELL"),
          openOrders: own.length,
          heartbeatAt: bot.lease?.heartbeatAt ?? null,
          kpis: { hour: summaryOf(hour.get(bot.id)), day: summaryOf(day.get(bot.id)) },
        };
      }),
    };
  });
