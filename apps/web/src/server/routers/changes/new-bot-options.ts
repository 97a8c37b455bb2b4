import { z } from "zod";
import { teamProcedure } from "../../trpc";

export const newBotOptionsOutput = z.object({
  // Active accounts a new bot can quote on, with the symbols they have bots for already.
  accounts: z.array(
    z.object({ id: z.string(), name: z.string(), venue: z.string(), environment: z.string(), symbols: z.array(z.string()) }),
  ),
});

export const newBotOptions = teamProcedure("PROPOSE_CHANGE")
  .output(newBotOptionsOutput)
  .query(async ({ ctx }) => {
    const accounts = await ctx.db.exchangeAccount.findMany({
      where: { teamId: ctx.team.id, status: "ACTIVE" },
      orderBy: { name: "asc" },
      select: { id: true, name: true, venue: true, environment: true, bots: { select: { symbol: true }, orderBy: { symbol: "asc" } } },
    });
    return { accounts: accounts.map(({ bots, ...account }) => ({ ...account, symbols: bots.map((bot) => bot.symbol) })) };
  });
