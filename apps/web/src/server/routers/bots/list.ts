import { z } from "zod";
import { teamProcedure } from "../../trpc";
import { botSummaryFields, botSummarySelect, toBotSummary } from "./bot-summary";

export const botsListOutput = z.array(
  z.object({
    ...botSummaryFields,
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
      select: { ...botSummarySelect, currentConfigVersion: { select: { version: true } } },
    });
    return bots.map((bot) => ({ ...toBotSummary(bot), configVersion: bot.currentConfigVersion?.version ?? null }));
  });
