import { z } from "zod";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";
import { botSummaryFields, botSummarySelect, toBotSummary } from "./bot-summary";
import { OPEN_ORDER_STATUSES, quoteDistance, snapshotPrices } from "./market";

export const botIdInput = z.object({ botId: z.string().min(1, "is required").max(64, "is too long") });

const RECENT_FILLS = 50;

export const botDetailOutput = z.object({
  serverTime: z.date(),
  bot: z.object({
    ...botSummaryFields,
    config: z
      .object({
        version: z.number().int(),
        appliedAt: z.date().nullable(),
        // The quoting band, for the chart (fractions of the reference price).
        band: z.object({ minSpread: z.number(), maxSpread: z.number() }).nullable(),
      })
      .nullable(),
    heartbeatAt: z.date().nullable(),
  }),
  market: z
    .object({
      referencePrice: z.string().nullable(),
      bestBid: z.string().nullable(),
      bestAsk: z.string().nullable(),
      marketTime: z.date().nullable(),
      updatedAt: z.date(),
    })
    .nullable(),
  openOrders: z.array(
    z.object({
      id: z.string(),
      clientOrderId: z.string(),
      side: z.enum(["BUY", "SELL"]),
      price: z.string(),
      quantity: z.string(),
      executedQty: z.string(),
      status: z.string(),
      placedAt: z.date(),
      distance: z.number().nullable(),
    }),
  ),
  fills: z.array(
    z.object({
      id: z.string(),
      side: z.enum(["BUY", "SELL"]),
      price: z.string(),
      quantity: z.string(),
      quoteQty: z.string(),
      isMaker: z.boolean(),
      time: z.date(),
    }),
  ),
});

export type BotDetail = z.infer<typeof botDetailOutput>;

const bandSchema = z.object({ band: z.object({ minSpread: z.number(), maxSpread: z.number() }) });

export const botDetail = teamProcedure("VIEW_TEAM")
  .input(botIdInput)
  .output(botDetailOutput)
  .query(async ({ ctx, input }) => {
    const now = new Date();
    const bot = await ctx.db.bot.findFirst({
      where: { id: input.botId, teamId: ctx.team.id },
      select: {
        ...botSummarySelect,
        currentConfigVersion: { select: { version: true, appliedAt: true, config: true } },
        lease: { select: { heartbeatAt: true } },
        marketSnapshot: { select: { referencePrice: true, bestBid: true, bestAsk: true, marketTime: true, updatedAt: true } },
      },
    });
    if (!bot) throw new AppError("NOT_FOUND", "No such bot in this team.");
    const [orders, fills] = await Promise.all([
      ctx.db.order.findMany({
        where: { botId: bot.id, status: { in: [...OPEN_ORDER_STATUSES] } },
        orderBy: [{ side: "asc" }, { price: "desc" }],
        select: { id: true, clientOrderId: true, side: true, price: true, quantity: true, executedQty: true, status: true, placedAt: true },
      }),
      ctx.db.fill.findMany({
        where: { botId: bot.id },
        orderBy: { time: "desc" },
        take: RECENT_FILLS,
        select: { id: true, side: true, price: true, quantity: true, quoteQty: true, isMaker: true, time: true },
      }),
    ]);
    const reference = bot.marketSnapshot?.referencePrice ?? null;
    const config = bot.currentConfigVersion;
    const band = config ? bandSchema.safeParse(config.config) : null;
    return {
      serverTime: now,
      bot: {
        ...toBotSummary(bot),
        config: config && {
          version: config.version,
          appliedAt: config.appliedAt,
          band: band?.success ? band.data.band : null,
        },
        heartbeatAt: bot.lease?.heartbeatAt ?? null,
      },
      market: bot.marketSnapshot && {
        ...snapshotPrices(bot.marketSnapshot),
        marketTime: bot.marketSnapshot.marketTime,
        updatedAt: bot.marketSnapshot.updatedAt,
      },
      openOrders: orders.map((order) => ({
        ...order,
        price: order.price.toFixed(),
        quantity: order.quantity.toFixed(),
        executedQty: order.executedQty.toFixed(),
        distance: quoteDistance(order.price, reference),
      })),
      fills: fills.map((fill) => ({
        ...fill,
        price: fill.price.toFixed(),
        quantity: fill.quantity.toFixed(),
        quoteQty: fill.quoteQty.toFixed(),
      })),
    };
  });
