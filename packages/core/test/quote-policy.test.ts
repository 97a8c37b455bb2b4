import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal, dec } from "../src/money";
import { NO_SWEEP, QuotePolicy, type QuoteInputs, type SideQuote } from "../src/quoting";
import { btcusdt } from "./support/instruments";
import { book } from "./support/market";
import { config, referenceAt } from "./support/quoting";

const inputs = (overrides: Partial<QuoteInputs> = {}): QuoteInputs => ({
  reference: referenceAt("65000"),
  book: book("64999.99", "65000.01", 0),
  volatility: 0,
  sweep: NO_SWEEP,
  ...overrides,
});

function prices(q: SideQuote): string[] | string {
  return q.quoted ? q.levels.map((l) => l.price.toFixed(2)) : q.state;
}

describe("QuotePolicy prices", () => {
  // R = 65000, default band 0.2%..0.4%, target 0.8 x 0.4% = 0.32%, inner band edge 0.38%.
  it.each([
    ["the target by default", {}, {}, ["64792.00"], ["65208.00"]],
    ["wider with volatility", { volatility: 0.0002 }, {}, ["64779.00"], ["65221.00"]],
    // Widening stops half the drift threshold (0.0003) inside the inner edge (0.0038): at 0.35%.
    ["wider with volatility up to the widening cap", { volatility: 0.0004 }, {}, ["64772.50"], ["65227.50"]],
    ["no wider than the widening cap", { volatility: 0.01 }, {}, ["64772.50"], ["65227.50"]],
    ["wider on the side a sweep heads to, up to the inner edge", { sweep: { threatenedSide: "BUY" as const, move: -0.0012, aggressorShare: 0.9 } }, {}, ["64753.00"], ["65208.00"]],
    ["wider when risk asks", { restrictions: { extraWiden: 0.0002 } }, {}, ["64779.00"], ["65221.00"]],
    ["one tick behind a touch it would improve", { book: book("64760.00", "65240.00", 0) }, {}, ["64759.99"], ["65240.01"]],
    ["never crossing a book that moved through the target", { book: book("64789.00", "64790.00", 0) }, {}, ["64788.99"], ["65208.00"]],
    ["spread over levels", {}, { ordersPerSide: 2, levelSpacing: 0.0002 }, ["64792.00", "64779.00"], ["65208.00", "65221.00"]],
    // Thin markets: thinness x the room up to the widening cap (0.35% - 0.32% = 0.03%).
    ["at the target on a liquid tape", { activity: { printsPerMinute: 600, meanPrintNotional: 600 } }, {}, ["64792.00"], ["65208.00"]],
    ["at the cap on a pair printing twice a minute", { activity: { printsPerMinute: 2, meanPrintNotional: 500 } }, {}, ["64772.50"], ["65227.50"]],
    // (30 - 18) / 24 = 1/2: 0.335%.
    ["halfway on a pair printing 18 a minute", { activity: { printsPerMinute: 18, meanPrintNotional: 500 } }, {}, ["64782.25"], ["65217.75"]],
    // Mean print 10 500 = one order: (1 - 1/4) / (3/4) = 1.
    ["at the cap when prints are as big as the order", { activity: { printsPerMinute: 600, meanPrintNotional: 10_500 } }, {}, ["64772.50"], ["65227.50"]],
    // A response guard of 0.015% moves the target that much toward the band's middle (0.30%), never past it.
    ["nearer the middle with a response guard", { guard: 0.00015 }, {}, ["64801.75"], ["65198.25"]],
    ["at the middle with a large response guard", { guard: 0.01 }, {}, ["64805.00"], ["65195.00"]],
    // A guard of 0.05% narrows the planner's inner band to 0.27%..0.33%: widening stops a quarter drift threshold
    // inside it (0.315%), a sweep at its edge (0.33%), so no quote is placed where it would be replaced at once.
    ["no wider than the guarded inner band with a response guard", { guard: 0.0005, volatility: 0.01 }, {}, ["64795.25"], ["65204.75"]],
    ["a sweep's widening up to the guarded edge", { guard: 0.0005, sweep: { threatenedSide: "BUY" as const, move: -0.0012, aggressorShare: 0.9 } }, {}, ["64785.50"], ["65195.00"]],
    // Half-spread 65 / 65000 = 0.1%, half of minSpread: 1/2.
    ["halfway with a book half as wide as the band", { book: book("64935.00", "65065.00", 0), activity: { printsPerMinute: 600, meanPrintNotional: 600 } }, {}, ["64782.25"], ["65217.75"]],
  ])("quotes %s", (_name, given, configOverrides, bid, ask) => {
    const policy = new QuotePolicy(btcusdt(), config(configOverrides));
    const quotes = policy.desiredQuotes(inputs(given));
    expect(prices(quotes.bid)).toEqual(bid);
    expect(prices(quotes.ask)).toEqual(ask);
  });

  it("stays at the band price, flagged, when moving behind the touch would leave the inner band", () => {
    // Behind the touch would be 64751.99, 0.38155% from R: beyond the 0.38% inner edge.
    const quotes = new QuotePolicy(btcusdt(), config()).desiredQuotes(inputs({ book: book("64752.00", "65248.00", 0) }));
    expect(quotes.bid).toMatchObject({ quoted: true, atTouch: true });
    expect(prices(quotes.bid)).toEqual(["64792.00"]);
    expect(prices(quotes.ask)).toEqual(["65208.00"]);
  });

  it("stays at the band price, flagged, when the band lies inside the book's spread", () => {
    const quotes = new QuotePolicy(btcusdt(), config()).desiredQuotes(inputs({ book: book("64000.00", "66000.00", 0) }));
    expect(quotes.bid).toMatchObject({ quoted: true, atTouch: true });
    expect(prices(quotes.bid)).toEqual(["64792.00"]);
  });

  it("sizes at minNotional plus the margin, rounded up to the step", () => {
    const quotes = new QuotePolicy(btcusdt(), config()).desiredQuotes(inputs());
    // 10500 / 64792 = 0.1620570... -> 0.16206; 10500 / 65208 = 0.1610231... -> 0.16103
    expect(quotes.bid.quoted && quotes.bid.levels[0]?.qty.toFixed()).toBe("0.16206");
    expect(quotes.ask.quoted && quotes.ask.levels[0]?.qty.toFixed()).toBe("0.16103");
  });

  it.each([
    ["100", ["64800.00"], ["65200.00"]],
    ["1000", "BAND_UNREACHABLE", "BAND_UNREACHABLE"],
  ])("repairs rounding past the band with tick %s, or gives up", (tickSize, bid, ask) => {
    const coarse = btcusdt([{ filterType: "PRICE_FILTER", minPrice: "0", maxPrice: "0", tickSize }]);
    const quotes = new QuotePolicy(coarse, config()).desiredQuotes(inputs({ book: book("64000", "66000", 0) }));
    expect(prices(quotes.bid)).toEqual(bid);
    expect(prices(quotes.ask)).toEqual(ask);
  });

  it("keeps every quoted price inside the band and on the tick grid", () => {
    const instrument = btcusdt();
    for (const volatility of [0, 0.0001, 0.0005, 0.002, 1]) {
      for (const ref of ["0.5", "3.1415", "65000", "99999.99"]) {
        const quotes = new QuotePolicy(instrument, config()).desiredQuotes(inputs({ reference: referenceAt(ref), book: null, volatility }));
        for (const q of [quotes.bid, quotes.ask]) {
          if (!q.quoted) continue;
          for (const level of q.levels) {
            expect(level.distance.gte(0.002) && level.distance.lte(0.004), `${ref} ${volatility} ${level.price.toFixed()}`).toBe(true);
            expect(level.price.mod(instrument.tickSize).isZero()).toBe(true);
          }
        }
      }
    }
  });
});

describe("QuotePolicy named states", () => {
  it.each([
    [
      "a dead feed (risk blocks both sides)",
      { restrictions: { blocked: { BUY: { state: "STALE_MARKET_DATA" as const, reason: "feed down" }, SELL: { state: "STALE_MARKET_DATA" as const, reason: "feed down" } } } },
      "STALE_MARKET_DATA",
      "STALE_MARKET_DATA",
    ],
    ["no data", { reference: { ok: false as const, state: "NO_DATA" as const, reason: "no trades", time: 0 } }, "NO_REFERENCE", "NO_REFERENCE"],
    ["a crossed book", { reference: { ok: false as const, state: "CROSSED_BOOK" as const, reason: "crossed", time: 0 } }, "CROSSED_BOOK", "CROSSED_BOOK"],
    [
      "a side blocked by risk",
      { restrictions: { blocked: { BUY: { state: "INSUFFICIENT_BALANCE" as const, reason: "free USDT 100 < 10500" } } } },
      "INSUFFICIENT_BALANCE",
      ["65208.00"],
    ],
    ["a market far from the reference", { book: book("64700.00", "64701.00", 0) }, "BAND_UNREACHABLE", ["65208.00"]],
  ])("reports %s", (_name, given, bid, ask) => {
    const quotes = new QuotePolicy(btcusdt(), config()).desiredQuotes(inputs(given));
    expect(prices(quotes.bid)).toEqual(bid);
    expect(prices(quotes.ask)).toEqual(ask);
  });

  it("reports a halted symbol", () => {
    const quotes = new QuotePolicy(btcusdt([], "HALT"), config()).desiredQuotes(inputs());
    expect(quotes.bid).toMatchObject({ quoted: false, state: "SYMBOL_NOT_TRADING" });
  });

  it("pulls the threatened side only when the sweep passes pullSideMove", () => {
    const c = config({ fillAvoidance: { ...config().fillAvoidance, pullSideMove: 0.004 } });
    const policy = new QuotePolicy(btcusdt(), c);
    const mild = policy.desiredQuotes(inputs({ sweep: { threatenedSide: "SELL", move: 0.002, aggressorShare: 1 } }));
    const violent = policy.desiredQuotes(inputs({ sweep: { threatenedSide: "SELL", move: 0.0045, aggressorShare: 1 } }));
    expect(mild.ask).toMatchObject({ quoted: true, widened: true });
    expect(violent.ask).toMatchObject({ quoted: false, state: "SWEEP_PULLED" });
    expect(violent.bid).toMatchObject({ quoted: true });
  });

  it("reports the filter a quote fails", () => {
    const tiny = btcusdt([{ filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "0.1", stepSize: "0.00001" }]);
    const quotes = new QuotePolicy(tiny, config()).desiredQuotes(inputs());
    expect(quotes.bid).toMatchObject({ quoted: false, state: "FILTER_REJECTED", reason: expect.stringMatching(/^LOT_SIZE/) as unknown });
  });

  it("exposes the reference it used", () => {
    expect(new QuotePolicy(btcusdt(), config()).desiredQuotes(inputs()).reference?.eq(dec("65000"))).toBe(true);
  });
});

describe("QuotePolicy properties", () => {
  it("every quote is on the grid, inside the band, off the opposite touch and at least minNotional", () => {
    const instrument = btcusdt();
    const policy = new QuotePolicy(instrument, config());
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 100_000_000 }),
        fc.integer({ min: -80, max: 80 }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 0.01, noNaN: true }),
        fc.constantFrom<"BUY" | "SELL" | null>("BUY", "SELL", null),
        (refCents, midOffsetBp, spreadTicks, volatility, threatenedSide) => {
          const reference = new Decimal(refCents).div(100);
          const bid = reference.times(1 + midOffsetBp / 10_000).toNearest(instrument.tickSize, Decimal.ROUND_FLOOR);
          const ask = bid.plus(instrument.tickSize.times(spreadTicks));
          const top = { bidPrice: bid, bidQty: dec("1"), askPrice: ask, askQty: dec("1"), time: 0 };
          const quotes = policy.desiredQuotes({
            reference: { ok: true, price: reference, method: "HYBRID", time: 0 },
            book: top,
            volatility,
            sweep: { threatenedSide, move: threatenedSide === "BUY" ? -0.002 : 0.002, aggressorShare: 1 },
          });
          for (const q of [quotes.bid, quotes.ask]) {
            if (!q.quoted) {
              expect(["BAND_UNREACHABLE", "FILTER_REJECTED"]).toContain(q.state);
              continue;
            }
            for (const level of q.levels) {
              expect(level.price.mod(instrument.tickSize).isZero()).toBe(true);
              expect(level.distance.gte(0.002) && level.distance.lte(0.004)).toBe(true);
              if (q.side === "BUY") expect(level.price.lt(ask)).toBe(true);
              else expect(level.price.gt(bid)).toBe(true);
              expect(level.price.times(level.qty).gte(10_000)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
