import { Prisma } from "@bandkeeper/db/client";
import { z } from "zod";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";
import { botIdInput } from "./detail";
import { MARKET_HISTORY_RANGES, MARKET_HISTORY_SETTINGS } from "./market-ranges";

// The market the engine's recorder saw (BotMarketSample, one row per bot and second, kept 24 h by default; its
// minute tier BotMarketMinute, 30 days), for the bot page's market chart: each point is the last sample of its
// step (market-ranges.ts), so a day is a few hundred points before it leaves Postgres.
const TIERS = {
  seconds: { table: Prisma.raw(`"BotMarketSample"`), time: Prisma.raw(`"time"`) },
  minutes: { table: Prisma.raw(`"BotMarketMinute"`), time: Prisma.raw(`"minute"`) },
} as const;

export const marketHistoryInput = botIdInput.extend({ range: z.enum(MARKET_HISTORY_RANGES) });

const price = z.string().nullable();

export const marketHistoryOutput = z.object({
  range: z.enum(MARKET_HISTORY_RANGES),
  from: z.date(),
  to: z.date(),
  // Each point is the last sample of a step this long.
  stepMs: z.number().int(),
  samples: z.array(
    z.object({
      time: z.date(),
      referencePrice: price,
      // The band in prices: bids belong in [bidBandLow, bidBandHigh], asks in [askBandLow, askBandHigh].
      bidBandLow: price,
      bidBandHigh: price,
      askBandLow: price,
      askBandHigh: price,
      bestBid: price,
      bestAsk: price,
      // The best price of our working orders per side.
      ourBid: price,
      ourAsk: price,
    }),
  ),
});

export type MarketHistory = z.infer<typeof marketHistoryOutput>;

type Decimal = Prisma.Decimal | null;
interface SampleRow {
  time: Date;
  referencePrice: Decimal;
  bidBandLow: Decimal;
  bidBandHigh: Decimal;
  askBandLow: Decimal;
  askBandHigh: Decimal;
  bestBid: Decimal;
  bestAsk: Decimal;
  ourBid: Decimal;
  ourAsk: Decimal;
}

const PRICE_COLUMNS = ["referencePrice", "bidBandLow", "bidBandHigh", "askBandLow", "askBandHigh", "bestBid", "bestAsk", "ourBid", "ourAsk"] as const;

export const botMarketHistory = teamProcedure("VIEW_TEAM")
  .input(marketHistoryInput)
  .output(marketHistoryOutput)
  .query(async ({ ctx, input }) => {
    const bot = await ctx.db.bot.findFirst({ where: { id: input.botId, teamId: ctx.team.id }, select: { id: true } });
    if (!bot) throw new AppError("NOT_FOUND", "No such bot in this team.");
    const { lengthMs, stepMs, tier } = MARKET_HISTORY_SETTINGS[input.range];
    const { table, time } = TIERS[tier];
    const to = new Date();
    const from = new Date(to.getTime() - lengthMs);
    const step = Prisma.raw(`'${stepMs / 1_000} seconds'::interval`);
    // The last sample of each step, read along the (bot, time) primary key.
    const rows = await ctx.db.$queryRaw<SampleRow[]>`
      SELECT DISTINCT ON (date_bin(${step}, ${time}, TIMESTAMP '2000-01-01')) ${time} AS time, "referencePrice",
        "bidBandLow", "bidBandHigh", "askBandLow", "askBandHigh", "bestBid", "bestAsk", "ourBid", "ourAsk"
      FROM ${table}
      WHERE "botId" = ${bot.id} AND ${time} > ${from} AND ${time} <= ${to}
      ORDER BY date_bin(${step}, ${time}, TIMESTAMP '2000-01-01'), ${time} DESC`;
    return {
      range: input.range,
      from,
      to,
      stepMs,
      samples: rows.map((row) => ({
        time: row.time,
        ...(Object.fromEntries(PRICE_COLUMNS.map((column) => [column, row[column]?.toFixed() ?? null])) as Record<(typeof PRICE_COLUMNS)[number], string | null>),
      })),
    };
  });
