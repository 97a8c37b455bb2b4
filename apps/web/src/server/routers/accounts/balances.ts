import { z } from "zod";
import { AppError } from "../../errors";
import { readVenueAccount, storedCredentials } from "../../exchange";
import { teamProcedure } from "../../trpc";

export const accountBalancesOutput = z.object({
  fetchedAt: z.date(),
  canTrade: z.boolean(),
  // Assets with a non-zero balance, as the exchange reports them (decimal strings).
  balances: z.array(z.object({ asset: z.string(), free: z.string(), locked: z.string() })),
});

// Asked from the venue on demand: balances change with every fill, so none are stored.
export const accountBalances = teamProcedure("VIEW_TEAM")
  .input(z.object({ accountId: z.string().min(1) }))
  .output(accountBalancesOutput)
  .query(async ({ ctx, input }) => {
    const account = await ctx.db.exchangeAccount.findFirst({
      where: { id: input.accountId, teamId: ctx.team.id },
      select: { venue: true, environment: true, baseUrl: true, apiKeyCiphertext: true, apiSecretCiphertext: true, keyType: true },
    });
    if (!account) throw new AppError("NOT_FOUND", "This exchange account does not exist.");
    const venueAccount = await readVenueAccount(account, storedCredentials(account));
    return {
      fetchedAt: new Date(),
      canTrade: venueAccount.canTrade,
      balances: venueAccount.balances
        .filter((balance) => !balance.free.isZero() || !balance.locked.isZero())
        .map((balance) => ({ asset: balance.asset, free: balance.free.toFixed(), locked: balance.locked.toFixed() }))
        .sort((a, b) => a.asset.localeCompare(b.asset)),
    };
  });
