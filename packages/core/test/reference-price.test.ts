import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "../src/money";
import { ReferencePriceEngine, type ReferencePriceSettings } from "../src/pricing";
import { book, trade } from "./support/market";

const settings = (overrides: Partial<ReferencePriceSettings> = {}): ReferencePriceSettings => ({
  method: "HYBRID",
  trades: 100,
  twapWeight: 0.6,
  staleAfterMs: 5_000,
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
    ["no book", [], [], 0, "NO_DATA"],
    ["a stale book", [book("99", "101", 0)], [trade("100", "1", 0)], 5_001, "STALE_BOOK"],
    ["a crossed book", [book("101", "100", 0)], [trade("100", "1", 0)], 1, "CROSSED_BOOK"],
    ["no trades", [book("99", "101", 0)], [], 1, "NO_DATA"],
    ["stale trades", [book("99", "101", 0), book("99", "101", 60_002)], [trade("100", "1", 0)], 60_002, "STALE_TRADES"],
  ])("reports %s", (_name, books, trades, now, state) => {
    const engine = new ReferencePriceEngine(settings());
    for (const b of books) engine.onBookTop(b);
    for (const t of trades) engine.onTrade(t);
    expect(engine.reference(now)).toMatchObject({ ok: false, state });
  });

  it("ignores a trade far from a fresh book mid", () => {
    const engine = new ReferencePriceEngine(settings({ method: "VWAP" }));
    engine.onBookTop(book("99.9", "100.1", 0));
    expect(engine.onTrade(trade("100", "1", 1))).toBe(true);
    expect(engine.onTrade(trade("120", "50", 2))).toBe(false);
    expect(engine.ignoredTrades).toBe(1);
    expect(priceOf(engine, 3)).toBe("100");
  });

  it("accepts any trade while the book is stale, since there is nothing to compare with", () => {
    const engine = new ReferencePriceEngine(settings({ method: "VWAP" }));
    engine.onBookTop(book("99.9", "100.1", 0));
    expect(engine.onTrade(trade("120", "1", 10_000))).toBe(true);
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
