import { defaultBotConfig, marketViewSettings, parseBotConfig, buildInstrument, type BotConfig } from "@bandkeeper/core";
import { resolveSymbols } from "@bandkeeper/exchange-sim";
import { describe, expect, it } from "vitest";
import { SharedDecisionViews } from "../src/exchange/decision-views";

const info = resolveSymbols(["BTCUSDT"])![0]!;
const instrument = buildInstrument({ symbol: info.symbol, status: info.status, baseAsset: info.baseAsset, quoteAsset: info.quoteAsset, filters: info.filters });

function config(input: unknown): BotConfig {
  const result = parseBotConfig(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

describe("SharedDecisionViews", () => {
  it("hands bots with equal settings one market view per symbol, and one quote policy per config", () => {
    const views = new SharedDecisionViews();
    // Equal settings arriving as different objects (each bot parses its own config row) still share.
    const [a, b] = [config({}), config({})];
    expect(a).not.toBe(b);
    expect(views.market("BTCUSDT", marketViewSettings(a))).toBe(views.market("BTCUSDT", marketViewSettings(b)));
    expect(views.quotePolicy(instrument, a)).toBe(views.quotePolicy(instrument, b));
    expect(views.quotePolicy(instrument, a)).toBe(views.quotePolicy(instrument, defaultBotConfig));
  });

  it("keeps symbols, market settings and configs apart", () => {
    const views = new SharedDecisionViews();
    const settings = marketViewSettings(defaultBotConfig);
    expect(views.market("BTCUSDT", settings)).not.toBe(views.market("ETHUSDT", settings));
    const vwap = config({ reference: { method: "VWAP" } });
    expect(views.market("BTCUSDT", marketViewSettings(vwap))).not.toBe(views.market("BTCUSDT", settings));
    // A band change keeps the market view (the reference does not depend on it) but not the quote policy.
    const wide = config({ band: { minSpread: 0.0025, maxSpread: 0.005 } });
    expect(views.market("BTCUSDT", marketViewSettings(wide))).toBe(views.market("BTCUSDT", settings));
    expect(views.quotePolicy(instrument, wide)).not.toBe(views.quotePolicy(instrument, defaultBotConfig));
    expect(views.size).toEqual({ markets: 3, policies: 2 });
  });
});
