import { z } from "zod";
import { BOT_ACTUAL_STATES, BOT_DESIRED_STATES } from "~/lib/bot-state";
import { teamProcedure } from "../../trpc";

export const botsListOutput = z.array(
  z.object({
    id: z.string(),
    symbol: z.string(),
    account: z.object({ id: z.string(), name: z.string(), venue: z.string(), environment: z.string() }),
    desiredState: z.enum(BOT_DESIRED_STATES),
    actualState: z.enum(BOT_ACTUAL_STATES),
    stateReason: z.string().nullable(),
    stateChangedAt: z.date(),
    // The config version in force; null before the first approved config.
    configVersion: z.number().int().nullable(),
  }),
);

export type BotListItem = z.infer<typeof botsListOutput>[number];

export const listBots = teamProcedure("VIEW_TEAM")
  .output(botsListOutput)
  .query(async ({ ctx }) => {
    const bots = await ctx.db.bot.findMany({
      where: { teamId: ctx.team.id },
      orderBy: [{ symbol: "asc" }, { id: "asc" }],
      select: {
        id: true,
        symbol: true,
        desiredState: true,
        actualState: true,
        stateReason: true,
        stateChangedAt: true,
        exchangeAccount: { select: { id: true, name: true, venue: true, environment: true } },
        currentConfigVersion: { select: { version: true } },
      },
    });
    return bots.map(({ exchangeAccount, currentConfigVersion, ...bot }) => ({
      ...bot,
      account: exchangeAccount,
      configVersion: currentConfigVersion?.version ?? null,
    }));
  });
