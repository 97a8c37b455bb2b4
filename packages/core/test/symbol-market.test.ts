import { describe, expect, it } from "vitest";
import {
  Bot,
  ManualClock,
  QuotePolicy,
  SequentialIdGenerator,
  SymbolMarket,
  defaultBotConfig,
  marketViewSettings,
  parseBotConfig,
  privateViews,
  type BotConfig,
  type DecisionViews,
  type MarketViewSettings,
} from "../src";
import { btcusdt } from "./support/instruments";
import { book, trade } from "./support/market";

const instrument = btcusdt();
const settings = marketViewSettings(defaultBotConfig);
const T0 = 1_700_000_000_000;

describe("SymbolMarket", () => {
  it("applies an event once however many bots deliver it", () => {
    const once = new SymbolMarket(settings);
    const twice = new SymbolMarket(settings);
    const top = book("60000.00", "60000.10", T0);
    once.onBookTop(top);
    twice.onBookTop(top);
    for (const [i, price] of ["60000.05", "60001.00", "59999.50"].entries()) {
      const t = trade(price, "0.5", T0 + 100 * (i + 1));
      once.onTrade(t);
      twice.onTrade(t);
      twice.onTrade(t);
    }
    const [a, b] = [once.snapshot(T0 + 500), twice.snapshot(T0 + 500)];
    expect(a.reference.ok && b.reference.ok).toBe(true);
    if (a.reference.ok && b.reference.ok) expect(b.reference.price.eq(a.reference.price)).toBe(true);
    expect(b.volatility).toBe(a.volatility);
  });

  it("tells whether a book top moved the best prices, the same answer for every bot that delivers it", () => {
    const market = new SymbolMarket(settings);
    const first = book("60000.00", "60000.10", T0);
    expect(market.onBookTop(first)).toBe(true);
    const quantitiesOnly = book("60000.00", "60000.10", T0 + 1, "5", "7");
    expect(market.onBookTop(quantitiesOnly)).toBe(false);
    expect(market.onBookTop(quantitiesOnly)).toBe(false);
    const moved = book("60000.01", "60000.10", T0 + 2);
    expect(market.onBookTop(moved)).toBe(true);
    expect(market.onBookTop(moved)).toBe(true);
    // A stale top delivered late (a bot catching up on buffered events) changes nothing.
    expect(market.onBookTop(first)).toBe(false);
    expect(market.book).toBe(moved);
  });

  it("computes a snapshot once per event and time", () => {
    const market = new SymbolMarket(settings);
    market.onBookTop(book("60000.00", "60000.10", T0));
    market.onTrade(trade("60000.05", "1", T0));
    const snapshot = market.snapshot(T0 + 10);
    expect(market.snapshot(T0 + 10)).toBe(snapshot);
    expect(market.snapshot(T0 + 11)).not.toBe(snapshot);
    const later = market.snapshot(T0 + 11);
    market.onTrade(trade("60000.06", "1", T0 + 11));
    expect(market.snapshot(T0 + 11)).not.toBe(later);
  });
});

describe("QuotePolicy memo", () => {
  it("hands back the same quotes for the same inputs, and recomputes when the restrictions differ", () => {
    const policy = new QuotePolicy(instrument, defaultBotConfig);
    const market = new SymbolMarket(settings);
    market.onBookTop(book("60000.00", "60000.10", T0));
    market.onTrade(trade("60000.05", "1", T0));
    const { reference, volatility, sweep } = market.snapshot(T0);
    const inputs = { reference, book: market.book, volatility, sweep };
    const quotes = policy.desiredQuotes({ ...inputs, restrictions: { blocked: {}, extraWiden: 0 } });
    expect(policy.desiredQuotes({ ...inputs, restrictions: {} })).toBe(quotes);
    const blocked = policy.desiredQuotes({ ...inputs, restrictions: { blocked: { BUY: { state: "RISK_PAUSED", reason: "test" } } } });
    expect(blocked).not.toBe(quotes);
    expect(blocked.bid.quoted).toBe(false);
    expect(blocked.ask).toEqual(quotes.ask);
  });
});

function config(input: unknown): BotConfig {
  const result = parseBotConfig(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

/** Shares by settings within the test, as the engine's SharedDecisionViews does. */
function sharedViews(): DecisionViews {
  const markets = new Map<string, SymbolMarket>();
  const policies = new Map<string, QuotePolicy>();
  return {
    market(symbol: string, viewSettings: MarketViewSettings) {
      const key = `${symbol}|${JSON.stringify(viewSettings)}`;
      const market = markets.get(key) ?? new SymbolMarket(viewSettings);
      markets.set(key, market);
      return market;
    },
    quotePolicy(forInstrument, config) {
      const key = JSON.stringify([forInstrument, config]);
      const policy = policies.get(key) ?? new QuotePolicy(forInstrument, config);
      policies.set(key, policy);
      return policy;
    },
  };
}

/** A seeded random walk of trades and book tops around 60,000, with a few sweeps. */
function* randomMarket(seed: number, steps: number) {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  let mid = 60_000;
  for (let i = 0; i < steps; i++) {
    const time = T0 + i * 50;
    mid += (random() - 0.5) * (random() < 0.05 ? 120 : 8);
    const bid = Math.round(mid * 100 - 1) / 100;
    if (random() < 0.5) yield { kind: "book" as const, top: book(bid.toFixed(2), (bid + 0.01).toFixed(2), time, (random() * 3).toFixed(3), (random() * 3).toFixed(3)) };
    else yield { kind: "trade" as const, trade: trade((bid + (random() < 0.5 ? 0 : 0.01)).toFixed(2), (random() * 0.2 + 0.001).toFixed(5), time, random() < 0.5) };
  }
}

function runFleet(views: DecisionViews, configs: readonly BotConfig[], changeAt: number, changed: BotConfig) {
  const clock = new ManualClock(T0);
  const transcript: string[] = [];
  const replies: (() => void)[] = [];
  const bots = configs.map((config, i) => {
    const bot: Bot = new Bot(
      { botId: `bot-${i}`, symbol: "BTCUSDT" },
      {
        clock,
        ids: new SequentialIdGenerator(`b${i}-`),
        execution: {
          place: (r) => {
            transcript.push(`${i} place ${r.side} ${r.price.toFixed()} ${r.qty.toFixed()}`);
            replies.push(() => bot.onPlaceAcknowledged(r.clientOrderId, r.clientOrderId));
          },
          cancel: (_symbol, id) => {
            transcript.push(`${i} cancel ${id}`);
            replies.push(() => bot.onCancelAcknowledged(id));
          },
          query: (_symbol, id) => transcript.push(`${i} query ${id}`),
          fills: (_symbol, id) => transcript.push(`${i} fills ${id}`),
        },
        balances: { balances: () => null },
        budget: { tryConsume: () => true },
        sink: {
          order: () => undefined,
          fill: () => undefined,
          state: (from, to, reason) => transcript.push(`${i} state ${from}->${to} ${reason}`),
          event: () => undefined,
          log: () => undefined,
        },
        views,
      },
      config,
      instrument,
    );
    bot.start([]);
    return bot;
  });
  let step = 0;
  for (const event of randomMarket(7, 1_500)) {
    clock.set(event.kind === "book" ? event.top.time : event.trade.time);
    if (step++ === changeAt) bots[1]?.applyConfig(changed);
    for (const bot of bots) {
      if (event.kind === "book") bot.onBookTop(event.top);
      else bot.onTrade(event.trade);
    }
    if (step % 3 === 0) for (const bot of bots) bot.tick();
    for (const reply of replies.splice(0)) reply();
  }
  return { transcript, kpis: bots.map((bot) => bot.takeKpis()) };
}

describe("bots sharing market views", () => {
  it("make exactly the decisions they make with views of their own", () => {
    const wide = config({ band: { minSpread: 0.0025, maxSpread: 0.005 } });
    const slowReference = config({ reference: { method: "VWAP", trades: 20 } });
    // Bots 0, 1 and 3 start alike; bot 1 moves to another market view midway; bot 2 reads another one throughout.
    const configs = [defaultBotConfig, config({}), wide, defaultBotConfig];
    const alone = runFleet(privateViews, configs, 700, slowReference);
    const shared = runFleet(sharedViews(), configs, 700, slowReference);
    expect(alone.transcript.filter((line) => line.includes("place")).length).toBeGreaterThan(20);
    expect(shared.transcript).toEqual(alone.transcript);
    expect(shared.kpis).toEqual(alone.kpis);
  });
});
