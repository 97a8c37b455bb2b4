import { z } from "zod";
import { teamProcedure } from "../../trpc";

export const botsListOutput = z.array(
  z.object({
    id: z.string(),
    symbol: z.string(),
    account: z.object({ id: z.string(), name: z.string(), venue: z.string(), environment: z.string() }),
    desiredState: z.string(),
    actualState: z.string(),
    stateReason: z.string().nullable(),
  }),
);

export type BotListItem = z.infer<typeof botsListOutput>[number];

export const listBots = teamProcedure("VIEW_TEAM")
  .output(botsListOutput)
  .query(({ ctx }) =>
    ctx.db.bot.findMany({
      where: { teamId: ctx.team.id },
      orderBy: [{ symbol: "asc" }, { id: "asc" }],
      select: {
        id: true,
        symbol: true,
        desiredState: true,
        actualState: true,
        stateReason: true,
        account: { select: { id: true, name: true, venue: true, environment: true } },
      },
    }),
  );
