// What every bot view starts with: which bot, on which account, and its desired and actual state.
import type { Prisma } from "@bandkeeper/db/client";
import { z } from "zod";
import { BOT_ACTUAL_STATES, BOT_DESIRED_STATES } from "~/lib/bot-state";

export const botSummaryFields = {
  id: z.string(),
  symbol: z.string(),
  account: z.object({ id: z.string(), name: z.string(), venue: z.string(), environment: z.string() }),
  desiredState: z.enum(BOT_DESIRED_STATES),
  actualState: z.enum(BOT_ACTUAL_STATES),
  stateReason: z.string().nullable(),
  stateChangedAt: z.date(),
};

export const botSummarySelect = {
  id: true,
  symbol: true,
  desiredState: true,
  actualState: true,
  stateReason: true,
  stateChangedAt: true,
  exchangeAccount: { select: { id: true, name: true, venue: true, environment: true } },
} as const satisfies Prisma.BotSelect;

export function toBotSummary(bot: Prisma.BotGetPayload<{ select: typeof botSummarySelect }>) {
  return {
    id: bot.id,
    symbol: bot.symbol,
    account: bot.exchangeAccount,
    desiredState: bot.desiredState,
    actualState: bot.actualState,
    stateReason: bot.stateReason,
    stateChangedAt: bot.stateChangedAt,
  };
}
