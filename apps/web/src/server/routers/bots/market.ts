import type { Prisma } from "@bandkeeper/db/client";

// Orders resting on the exchange (docs/kpis.md: open from acknowledgement until cancel acknowledgement).
export const OPEN_ORDER_STATUSES = ["NEW", "PARTIALLY_FILLED", "PENDING_CANCEL"] as const;

/** A market snapshot's prices as exact decimal strings. */
export function snapshotPrices(snapshot: {
  referencePrice: Prisma.Decimal | null;
  bestBid: Prisma.Decimal | null;
  bestAsk: Prisma.Decimal | null;
}): { referencePrice: string | null; bestBid: string | null; bestAsk: string | null } {
  return {
    referencePrice: snapshot.referencePrice?.toFixed() ?? null,
    bestBid: snapshot.bestBid?.toFixed() ?? null,
    bestAsk: snapshot.bestAsk?.toFixed() ?? null,
  };
}

/** (price - reference) / reference; null without a reference. */
export function quoteDistance(price: Prisma.Decimal, reference: Prisma.Decimal | null): number | null {
  if (!reference || reference.isZero()) return null;
  return price.minus(reference).div(reference).toNumber();
}
