// A bot's timeline, optionally of one kind only, with the kinds its history holds (for the filter's choices).
import { z } from "zod";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";
import { BOT_ACTUAL_STATES } from "~/lib/bot-state";
import { botIdInput } from "./detail";

const DEFAULT_LIMIT = 50;

export const botEventsInput = botIdInput.extend({
  // An event type as the engine writes it ("state", "order_reopened", "operator_emergency_stop", ...).
  type: z
    .string()
    .max(64, "is too long")
    .regex(/^[a-z][a-z0-9_]*$/, "must be an event kind such as state or order_reopened")
    .optional(),
  limit: z.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(DEFAULT_LIMIT),
});

export const botEventsOutput = z.object({
  // Every kind in the bot's history with how many it holds, most frequent first.
  kinds: z.array(z.object({ type: z.string(), count: z.number().int() })),
  // The newest events (of the kind asked for), newest first.
  events: z.array(
    z.object({
      id: z.string(),
      time: z.date(),
      type: z.string(),
      fromState: z.enum(BOT_ACTUAL_STATES).nullable(),
      toState: z.enum(BOT_ACTUAL_STATES).nullable(),
      reason: z.string().nullable(),
    }),
  ),
});

export type BotEvents = z.infer<typeof botEventsOutput>;

export const botEvents = teamProcedure("VIEW_TEAM")
  .input(botEventsInput)
  .output(botEventsOutput)
  .query(async ({ ctx, input }) => {
    const bot = await ctx.db.bot.findFirst({ where: { id: input.botId, teamId: ctx.team.id }, select: { id: true } });
    if (!bot) throw new AppError("NOT_FOUND", "No such bot in this team.");
    const [kinds, events] = await Promise.all([
      ctx.db.botEvent.groupBy({ by: ["type"], where: { botId: bot.id }, _count: { _all: true } }),
      ctx.db.botEvent.findMany({
        where: { botId: bot.id, ...(input.type ? { type: input.type } : {}) },
        orderBy: [{ time: "desc" }, { id: "desc" }],
        take: input.limit,
        select: { id: true, time: true, type: true, fromState: true, toState: true, reason: true },
      }),
    ]);
    return {
      kinds: kinds
        .map((kind) => ({ type: kind.type, count: kind._count._all }))
        .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
      events,
    };
  });
