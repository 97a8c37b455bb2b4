// Start-up seeding against the real simulator over real sockets: on a thin pair (a print every 8 s) a bot's first
// quotes go out from the REST recent trades and depth snapshot fetched while it starts, not at the next print or
// the next book change.
import { describe, expect, it } from "vitest";
import { until } from "./harness";
import { THIN_SYMBOL, thinFleet } from "./thin-fleet";
import { ThinMarket } from "./thin-market";

const TRADE_EVERY_MS = 8_000;

/** ms from the fleet's start to both sides resting on the simulator, and the public prints and book changes meanwhile. */
async function measureStart(market: ThinMarket): Promise<{ ms: number; prints: number }> {
  const rig = await thinFleet(market, { botId: "seeded-bot" });
  try {
    // Start just after the opening prints, so waiting for the next one would take most of TRADE_EVERY_MS.
    await until(() => (market.printed >= 3 ? true : undefined), 5_000, "the opening prints");
    const printsAtStart = market.printed;
    const startedAt = performance.now();
    await rig.fleet.start();
    await until(() => (rig.twoSided() ? true : undefined), 3 * TRADE_EVERY_MS, "both sides resting");
    return { ms: performance.now() - startedAt, prints: market.printed - printsAtStart };
  } finally {
    await rig.close();
  }
}

describe("start-up seeding", () => {
  it("quotes both sides right after start on a still book, from the seeded depth snapshot and trades", async () => {
    const { ms, prints } = await measureStart(new ThinMarket({ symbol: THIN_SYMBOL, tradeEveryMs: TRADE_EVERY_MS }));
    console.log(`still book: start to both orders acknowledged ${ms.toFixed(0)} ms (public prints meanwhile: ${prints})`);
    // No print and no book change happened meanwhile: the quotes came from the seed.
    expect(prints).toBe(0);
    expect(ms).toBeLessThan(2_000);
  }, 60_000);

  it("does not wait for the next book change on a book that changes every 2 s", async () => {
    const { ms, prints } = await measureStart(new ThinMarket({ symbol: THIN_SYMBOL, tradeEveryMs: TRADE_EVERY_MS, bookChangeEveryMs: 2_000 }));
    console.log(`book changing every 2 s: start to both orders acknowledged ${ms.toFixed(0)} ms (public prints meanwhile: ${prints})`);
    expect(prints).toBe(0);
    expect(ms).toBeLessThan(2_000);
  }, 60_000);
});
