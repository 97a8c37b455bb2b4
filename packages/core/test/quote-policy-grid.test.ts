// The quote policy places a level on the tick grid (integer ticks, the band as tick intervals around R) and
// keeps its decimal path for a band or book off the grid. Property: on random instruments, references with up to
// 20 significant digits, distances, books (on the grid, crossed, far away or absent) and bands, both paths give
// the same price, the same touch flag and the same refusal, word for word.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal, buildInstrument, type Instrument } from "../src/money";
import { defaultBotConfig, type BotConfig } from "../src/config";
import { QuotePolicy } from "../src/quoting";
import { BandTicks } from "../src/quoting/band-ticks";
import type { BookTop } from "../src/pricing";
import type { Side } from "../src/side";

function instrument(tickSize: string): Instrument {
  return buildInstrument({
    symbol: "TESTUSDT",
    status: "TRADING",
    baseAsset: "TEST",
    quoteAsset: "USDT",
    filters: [
      { filterType: "PRICE_FILTER", minPrice: "0", maxPrice: "0", tickSize },
      { filterType: "LOT_SIZE", minQty: "0", maxQty: "0", stepSize: "0.001" },
      { filterType: "NOTIONAL", minNotional: "5" },
    ],
  });
}

const caseArb = fc.record({
  tickSize: fc.constantFrom("0.01", "0.1", "1", "0.00000001", "0.0005", "0.25", "5"),
  // R = mantissa x 10^-scale: up to 20 significant digits, from about 10^-4 to 10^6 ticks' worth of prices.
  referenceMantissa: fc.bigInt({ min: 10n ** 3n, max: 10n ** 20n - 1n }),
  referenceScale: fc.integer({ min: 0, max: 22 }),
  distance: fc.double({ min: 0, max: 0.02, noNaN: true }),
  side: fc.constantFrom<Side>("BUY", "SELL"),
  // The book as offsets from R in ticks: near, crossed, far, or none.
  book: fc.option(fc.record({ bid: fc.integer({ min: -400, max: 50 }), ask: fc.integer({ min: -50, max: 400 }) }), { nil: null }),
  minSpread: fc.constantFrom(0.001, 0.002, 0.0005),
  maxSpread: fc.constantFrom(0.004, 0.003, 0.01),
});

function referenceOf(mantissa: bigint, scale: number): Decimal {
  const text = mantissa.toString().padStart(scale + 1, "0");
  return new Decimal(scale === 0 ? text : `${text.slice(0, text.length - scale)}.${text.slice(text.length - scale)}`);
}

describe("QuotePolicy's levels on the tick grid", () => {
  it("equal the decimal path's for any reference, distance, book and band", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const inst = instrument(c.tickSize);
        const reference = referenceOf(c.referenceMantissa, c.referenceScale);
        fc.pre(reference.div(inst.tickSize).lt(1e14) && reference.div(inst.tickSize).gt(50));
        const config: BotConfig = { ...defaultBotConfig, band: { minSpread: c.minSpread, maxSpread: c.maxSpread } };
        const policy = new QuotePolicy(inst, config);
        const band = policy["bandAround"](reference);
        const center = reference.toNearest(inst.tickSize, Decimal.ROUND_FLOOR);
        const book: BookTop | null = c.book
          ? {
              bidPrice: center.plus(inst.tickSize.times(c.book.bid)),
              askPrice: center.plus(inst.tickSize.times(c.book.ask)),
              bidQty: new Decimal(1),
              askQty: new Decimal(1),
              time: 0,
            }
          : null;
        const onGrid = policy["levelPrice"](c.side, band, c.distance, book);
        const inDecimals = policy["levelPriceInDecimals"](c.side, band, c.distance, book);
        if (band.ticks) expect(onGrid.ok && onGrid.ticks !== null).toBe(onGrid.ok);
        expect(onGrid.ok).toBe(inDecimals.ok);
        if (onGrid.ok && inDecimals.ok) {
          expect(onGrid.price.toFixed()).toBe(inDecimals.price.toFixed());
          expect(onGrid.atTouch).toBe(inDecimals.atTouch);
        } else if (!onGrid.ok && !inDecimals.ok) {
          expect(onGrid.reason).toBe(inDecimals.reason);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

const Exact = Decimal.clone({ precision: 64 });

describe("the band's tick bounds", () => {
  it("equal the exact ones, also for references that put a bound right at a tick", () => {
    const boundsArb = fc.record({
      tickSize: fc.constantFrom("0.01", "0.1", "0.00000001", "0.0005", "5"),
      ticks: fc.integer({ min: 100, max: 5_000_000_000 }),
      fraction: fc.constantFrom(0.002, 0.004, 0.0038, 0.001, 0.5, 0),
      // Most references are built so that R x (1 - f) or R x (1 + f) lands on a tick, as close as 20 digits allow.
      shape: fc.constantFrom("at-bound-below", "at-bound-above", "random"),
      jitter: fc.integer({ min: -3, max: 3 }),
    });
    fc.assert(
      fc.property(boundsArb, (c) => {
        const inst = instrument(c.tickSize);
        const onGrid = new Decimal(c.tickSize).times(c.ticks);
        const factor = c.shape === "at-bound-below" ? 1 - c.fraction : c.shape === "at-bound-above" ? 1 + c.fraction : 1.000123;
        const base = new Decimal(onGrid).div(factor);
        const ulp = new Decimal(10).pow(base.e - 19);
        const reference = base.plus(ulp.times(c.jitter));
        const f = { nearest: c.fraction, farthest: c.fraction, innerFarthest: c.fraction };
        const offset = reference.times(c.fraction);
        const offsets = () => ({ nearest: offset, farthest: offset, innerFarthest: offset });
        const ticks = BandTicks.around(inst.grid, reference, f, offsets);
        if (ticks === null) return;
        const exactTicks = (value: Decimal, rounding: "down" | "up") => inst.grid.ticks(new Decimal(value), rounding);
        const r = new Exact(reference);
        expect(ticks["nearBelow"]).toBe(exactTicks(r.minus(offset), "down"));
        expect(ticks["nearAbove"]).toBe(exactTicks(r.plus(offset), "up"));
        expect(ticks.farLow).toBe(exactTicks(r.minus(offset), "up"));
        expect(ticks.farHigh).toBe(exactTicks(r.plus(offset), "down"));
      }),
      { numRuns: 2000 },
    );
  });
});
