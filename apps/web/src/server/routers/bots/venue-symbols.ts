import { z } from "zod";
import { AppError } from "../../errors";
import { readVenueSymbols } from "../../exchange";
import { teamProcedure } from "../../trpc";

export const venueSymbolOutput = z.object({
  symbol: z.string(),
  baseAsset: z.string(),
  quoteAsset: z.string(),
  // The venue's filters as decimal strings; maxNotional null when the venue sets none.
  tickSize: z.string(),
  stepSize: z.string(),
  minQty: z.string(),
  maxQty: z.string(),
  minNotional: z.string(),
  maxNotional: z.string().nullable(),
});

export type VenueSymbolItem = z.infer<typeof venueSymbolOutput>;

/** The symbols a new bot on this account can quote: what its venue lists as trading, with their filters. */
export const venueSymbols = teamProcedure("PROPOSE_CHANGE")
  .input(z.object({ exchangeAccountId: z.string().min(1) }))
  .output(z.array(venueSymbolOutput))
  .query(async ({ ctx, input }) => {
    const account = await ctx.db.exchangeAccount.findFirst({
      where: { id: input.exchangeAccountId, teamId: ctx.team.id },
      select: { venue: true, environment: true, baseUrl: true },
    });
    if (!account) throw new AppError("NOT_FOUND", "No such exchange account.");
    const instruments = await readVenueSymbols(account);
    return instruments
      .map((instrument) => ({
        symbol: instrument.symbol,
        baseAsset: instrument.baseAsset,
        quoteAsset: instrument.quoteAsset,
        tickSize: instrument.tickSize.toFixed(),
        stepSize: instrument.stepSize.toFixed(),
        minQty: instrument.minQty.toFixed(),
        maxQty: instrument.maxQty.toFixed(),
        minNotional: instrument.minNotional.toFixed(),
        maxNotional: instrument.maxNotional === null || instrument.maxNotional.isZero() ? null : instrument.maxNotional.toFixed(),
      }))
      .sort((a, b) => a.symbol.localeCompare(b.symbol));
  });
