import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "../src/money";
import { ReferencePriceEngine, type ReferencePriceSettings } from "../src/pricing";
import { book, trade } from "./support/market";

const settings = (overrides: Partial<ReferencePriceSettings> = {}): ReferencePriceSettings => ({
  method: "HYBRID",
  trades: 100,
  twapWeight: 0.6,
  // Long enough that the trades of these examples keep their full weight (the weight rounds to 1).
  tradeHalfLifeMs: 1e9,
  tradeStaleAfterMs: 60_000,
  outlierThreshold: 0.01,
  ...overrides,
});

function priceOf(engine: ReferencePriceEngine, now: number): string {
  const r = engine.reference(now);
  if (!r.ok) throw new Error(`${r.state}: ${r.reason}`);
  return r.price.toFixed();
}

describe("ReferencePriceEngine methods", () => {
  // Trades: 100 x 1 at t=0, 102 x 3 at t=1000, now = 2000 (102 stood 1000 ms, 100 stood 1000 ms).
  // VWAP = (100 + 306) / 4 = 101.5; TWAP = (100x1000 + 102x1000) / 2000 = 101;
  // HYBRID = 0.6 x 101 + 0.4 x 101.5 = 101.2. Book 100.9 x 3 / 101.1 x 1: mid 101, microprice
  // (100.9 x 1 + 101.1 x 3) / 4 = 101.05.
  it.each([
    ["MID", "101"],
    ["MICROPRICE", "101.05"],
    ["TWAP", "101"],
    ["VWAP", "101.5"],
    ["HYBRID", "101.2"],
  ] as const)("%s = %s", (method, expected) => {
    const engine = new ReferencePriceEngine(settings({ method }));
    engine.onBookTop(book("100.9", "101.1", 0, "3", "1"));
    engine.onTrade(trade("100", "1", 0));
    engine.onTrade(trade("102", "3", 1_000));
    engine.onBookTop(book("100.9", "101.1", 1_999, "3", "1"));
    expect(priceOf(engine, 2_000)).toBe(expected);
  });

  it("keeps only the last N trades", () => {
    const engine = new ReferencePriceEngine(settings({ method: "VWAP", trades: 2 }));
    engine.onBookTop(book("100", "101", 0));
    engine.onTrade(trade("100", "1", 0));
    engine.onTrade(trade("101", "1", 10));
    engine.onTrade(trade("100.5", "3", 20));
    // (101 + 301.5) / 4
    expect(priceOf(engine, 20)).toBe("100.625");
    expect(engine.tradeCount).toBe(2);
  });

  it("measures the TWAP over the window, carrying the price that stood at its start", () => {
    const engine = new ReferencePriceEngine(settings({ method: "TWAP", windowMs: 1_000 }));
    engine.onBookTop(book("99", "101", 0));
    engine.onTrade(trade("100", "1", 0));
    engine.onTrade(trade("100.4", "1", 1_500));
    engine.onBookTop(book("99", "101", 1_900));
    // At 2000 the window is [1000, 2000]: 100 stood 1000..1500, 100.4 stood 1500..2000 -> 100.2.
    expect(priceOf(engine, 2_000)).toBe("100.2");
    expect(engine.tradeCount).toBe(1);
  });

  it("returns the last price when no time has passed", () => {
    const engine = new ReferencePriceEngine(settings({ method: "TWAP" }));
    engine.onBookTop(book("99", "101", 5));
    engine.onTrade(trade("100", "1", 5));
    expect(priceOf(engine, 5)).toBe("100");
  });
});

describe("ReferencePriceEngine guards", () => {
  it.each([
    ["no book", [], [trade("100", "1", 0)], 0, "NO_DATA"],
    ["a crossed book", [book("101", "100", 0)], [trade("100", "1", 0)], 1, "CROSSED_BOOK"],
  ])("reports %s", (_name, books, trades, now, state) => {
    const engine = new ReferencePriceEngine(settings());
    for (const b of books) engine.onBookTop(b);
    for (const t of trades) engine.onTrade(t);
    expect(engine.reference(now)).toMatchObject({ ok: false, state });
  });

  it("keeps a quiet market's reference however old its book is (staleness is the feed's to judge)", () => {
    const engine = new ReferencePriceEngine(settings({ method: "MID" }));
    engine.onBookTop(book("99", "101", 0));
    expect(priceOf(engine, 6 * 3_600_000)).toBe("100");
  });

  it("ignores a trade far from the book's mid", () => {
    const engine = new ReferencePriceEngine(settings({ method: "VWAP" }));
    engine.onBookTop(book("99.9", "100.1", 0));
    expect(engine.onTrade(trade("100", "1", 1))).toBe(true);
    expect(engine.onTrade(trade("120", "50", 2))).toBe(false);
    expect(engine.ignoredTrades).toBe(1);
    expect(priceOf(engine, 3)).toBe("100");
  });

  it("accepts any trade before there is a book to compare with", () => {
    const engine = new ReferencePriceEngine(settings({ method: "VWAP" }));
    expect(engine.onTrade(trade("120", "1", 10_000))).toBe(true);
  });
});

describe("ReferencePriceEngine with sparse trades", () => {
  const sparse = (overrides: Partial<ReferencePriceSettings> = {}) =>
    new ReferencePriceEngine(settings({ method: "VWAP", tradeHalfLifeMs: 10_000, tradeStaleAfterMs: 300_000, outlierThreshold: 0.05, ...overrides }));

  it("is the book's mid with no trade at all, so the first quotes need none", () => {
    const engine = sparse();
    engine.onBookTop(book("99", "101", 0));
    expect(priceOf(engine, 0)).toBe("100");
  });

  // One trade at 102 at t=0, book mid 100. The window's age is (now - t_0) / 2; weight 2^(-age / 10 s) rounded to
  // 1/64. At t=0: age 0, weight 1 -> 102. At t=20 s: age 10 s, weight 1/2 -> 0.5 x 102 + 0.5 x 100 = 101. At t=40 s:
  // age 20 s, 1/4 = 16/64 -> 0.25 x 102 + 0.75 x 100 = 100.5. At t=80 s: age 40 s, 1/16 = 4/64 -> 100.125.
  it.each([
    [0, "102"],
    [20_000, "101"],
    [40_000, "100.5"],
    [80_000, "100.125"],
  ])("leans toward the book as the trades age: at %i ms R = %s", (now, expected) => {
    const engine = sparse();
    engine.onBookTop(book("99", "101", 0));
    engine.onTrade(trade("102", "1", 0));
    expect(priceOf(engine, now)).toBe(expected);
    expect(engine.tradeWeight(now)).toBe([1, 0.5, 0.25, 0.0625][[0, 20_000, 40_000, 80_000].indexOf(now)]);
  });

  it("gives trades no weight once the newest is older than tradeStaleAfterMs", () => {
    const engine = sparse({ tradeHalfLifeMs: 1e9, tradeStaleAfterMs: 60_000 });
    engine.onBookTop(book("99", "101", 0));
    engine.onTrade(trade("102", "1", 0));
    expect(priceOf(engine, 60_000)).toBe("102");
    expect(priceOf(engine, 60_001)).toBe("100");
  });

  it("rounds the weight so a slowly ageing window does not move R on every tick", () => {
    const engine = sparse();
    engine.onBookTop(book("99", "101", 0));
    engine.onTrade(trade("102", "1", 0));
    // age 10.0 s and 10.05 s: 2^-1 and 2^-1.005 both round to 32/64.
    expect(priceOf(engine, 20_000)).toBe(priceOf(engine, 20_100));
  });
});

/** Brute force over the same definition, for the property test. */
function naive(trades: { p: number; q: number; t: number }[], n: number, windowMs: number | undefined, now: number) {
  let kept = trades.slice(-n);
  let carry: number | null = null;
  if (windowMs !== undefined) {
    const start = now - windowMs;
    const inside = trades.filter((x) => x.t >= start);
    const outside = trades.filter((x) => x.t < start);
    const lastOutside = outside.at(-1);
    kept = inside.slice(-n);
    // The carry only applies when the count limit did not cut into the window.
    carry = kept.length === inside.length && lastOutside ? lastOutside.p : null;
  }
  const vwap = kept.reduce((s, x) => s.plus(new Decimal(x.p).times(x.q)), new Decimal(0)).div(kept.reduce((s, x) => s + x.q, 0));
  let num = new Decimal(0);
  kept.forEach((x, i) => {
    const until = kept[i + 1]?.t ?? now;
    num = num.plus(new Decimal(x.p).times(until - x.t));
  });
  let start = kept[0]!.t;
  if (carry !== null && windowMs !== undefined && now - windowMs < start) {
    num = num.plus(new Decimal(carry).times(start - (now - windowMs)));
    start = now - windowMs;
  }
  const twap = now === start ? new Decimal(kept.at(-1)!.p) : num.div(now - start);
  return { vwap, twap };
}

describe("ReferencePriceEngine incremental sums", () => {
  it("match a recomputation from scratch after any sequence", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ p: fc.integer({ min: 9_900, max: 10_100 }), q: fc.integer({ min: 1, max: 50 }), dt: fc.integer({ min: 0, max: 400 }) }), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 12 }),
        fc.option(fc.integer({ min: 100, max: 3_000 }), { nil: undefined }),
        (steps, n, windowMs) => {
          const engine = new ReferencePriceEngine(settings({ method: "HYBRID", trades: n, windowMs, outlierThreshold: 1 }));
          let t = 0;
          const fed: { p: number; q: number; t: number }[] = [];
          for (const s of steps) {
            t += s.dt;
            engine.onBookTop(book("9000", "11000", t));
            engine.onTrade(trade(String(s.p / 100), String(s.q), t));
            fed.push({ p: s.p / 100, q: s.q, t });
            const expected = naive(fed, n, windowMs, t);
            expect(engine.vwap(t)?.toSignificantDigits(15).toFixed()).toBe(expected.vwap.toSignificantDigits(15).toFixed());
            expect(engine.twap(t)?.toSignificantDigits(15).toFixed()).toBe(expected.twap.toSignificantDigits(15).toFixed());
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
