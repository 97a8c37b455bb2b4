// A proposal against the symbol's own limits, as the account's venue lists them (exchangeInfo): the bot's order,
// minNotional x (1 + notionalMargin), must stay under NOTIONAL's maxNotional and, at the book's mid price, under
// LOT_SIZE's maxQty. core's schema already bounds every amount; these are the venue's tighter bounds.
import type { BotConfig } from "@bandkeeper/core/config";
import { Decimal } from "@bandkeeper/core/money";
import { type VenueColumns, type VenueSymbol, readVenueSymbol } from "../../exchange";
import { fieldError, fieldErrors } from "../../field-error";

export function venueLimitIssues(config: BotConfig, listing: Extract<VenueSymbol, { listed: true }>): { path: string; message: string }[] {
  const { instrument, midPrice } = listing;
  const order = new Decimal(config.minNotional).times(1 + config.notionalMargin);
  const issues: { path: string; message: string }[] = [];
  const amount = `an order of ${order.toFixed()} ${instrument.quoteAsset}`;
  if (instrument.maxNotional !== null && instrument.maxNotional.gt(0) && order.gt(instrument.maxNotional)) {
    issues.push({ path: "config.minNotional", message: `${amount} is above ${instrument.symbol}'s maxNotional of ${instrument.maxNotional.toFixed()}` });
  }
  if (midPrice !== null && instrument.maxQty.gt(0)) {
    const quantity = order.div(midPrice);
    if (quantity.gt(instrument.maxQty)) {
      issues.push({
        path: "config.minNotional",
        message: `${amount} is ${quantity.toSignificantDigits(8).toFixed()} ${instrument.baseAsset} at the current price, above ${instrument.symbol}'s maxQty of ${instrument.maxQty.toFixed()}`,
      });
    }
  }
  return issues;
}

/** A new bot: the venue must list the symbol, and the config fit its limits. Throws a field error otherwise. */
export async function checkNewBotSymbol(account: VenueColumns & { name: string }, symbol: string, config: BotConfig): Promise<void> {
  const listing = await readVenueSymbol(account, symbol);
  if (!listing.listed) throw fieldError("symbol", `${account.name}'s exchange does not list ${symbol}`);
  const issues = venueLimitIssues(config, listing);
  if (issues.length > 0) throw fieldErrors(issues);
}

/** A config change: checked against the symbol's limits when the venue answers; without an answer, core's bounds hold. */
export async function checkConfigAgainstVenue(account: VenueColumns, symbol: string, config: BotConfig): Promise<void> {
  // A short wait: a venue that does not answer must not hold up a proposal for long.
  const listing = await readVenueSymbol(account, symbol, 3_000).catch(() => null);
  if (listing === null || !listing.listed) return;
  const issues = venueLimitIssues(config, listing);
  if (issues.length > 0) throw fieldErrors(issues);
}
