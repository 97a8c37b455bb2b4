// Property tests of the instrument's fixed-point grid against the decimal implementation it replaces on the hot
// path: on random instruments (tick and step sizes of every shape, bounds set or disabled) and random prices and
// quantities (on the grid or not, up to 20 significant digits, as the reference price has), rounding in ticks and
// steps, quantities for a notional and the filter checks give exactly what roundPrice, roundQuantity,
// quantityForNotional and validateOrder give in decimal.js.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  Decimal,
  buildInstrument,
  decimalToString,
  quantityForNotional,
  roundPrice,
  roundQuantity,
  validateOrder,
  validateOrderOnGrid,
  type Instrument,
} from "../src/money";

const RUNS = { numRuns: 400 };
const Precise = Decimal.clone({ precision: 60 });

/** The grid counts in safe integers: a value of 2^53 ticks or more is refused (RangeError), never rounded wrongly. */
function inSafeRange(value: Decimal, size: Decimal): boolean {
  return new Precise(value).abs().div(size).lt(Number.MAX_SAFE_INTEGER / 2);
}

function beyondSafeRange(value: Decimal, size: Decimal): boolean {
  return new Precise(value).abs().div(size).gt(2 ** 53);
}

/** mantissa x 10^-scale as plain text: a decimal with the given significant digits. */
function decimalText(mantissa: bigint, scale: number): string {
  const negative = mantissa < 0n;
  const digits = (negative ? -mantissa : mantissa).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

const sizeArb = fc
  .record({ mantissa: fc.constantFrom(1n, 2n, 5n, 25n, 1n, 1n, 10n, 3n, 125n), scale: fc.integer({ min: 0, max: 10 }) })
  .map(({ mantissa, scale }) => decimalText(mantissa, scale));

/** A positive decimal of at most `digits` significant digits between 10^-12 and about 10^6. */
const amountArb = (digits: number) =>
  fc
    .record({ mantissa: fc.bigInt({ min: 1n, max: 10n ** BigInt(digits) - 1n }), scale: fc.integer({ min: 0, max: 12 }) })
    .map(({ mantissa, scale }) => decimalText(mantissa, Math.max(scale, mantissa.toString().length - 6)));

const boundArb = fc.oneof(fc.constant("0"), amountArb(6));

const instrumentArb: fc.Arbitrary<Instrument> = fc
  .record({
    tickSize: sizeArb,
    stepSize: sizeArb,
    minPrice: boundArb,
    maxPrice: boundArb,
    minQty: boundArb,
    maxQty: boundArb,
    minNotional: boundArb,
    maxNotional: fc.option(amountArb(7), { nil: undefined }),
  })
  .map((f) =>
    buildInstrument({
      symbol: "TESTUSDT",
      status: "TRADING",
      baseAsset: "TEST",
      quoteAsset: "USDT",
      filters: [
        { filterType: "PRICE_FILTER", minPrice: f.minPrice, maxPrice: f.maxPrice, tickSize: f.tickSize },
        { filterType: "LOT_SIZE", minQty: f.minQty, maxQty: f.maxQty, stepSize: f.stepSize },
        { filterType: "NOTIONAL", minNotional: f.minNotional, ...(f.maxNotional ? { maxNotional: f.maxNotional } : {}) },
      ],
    }),
  );

/** Any price a caller may round: up to 20 significant digits (a reference price's), sometimes negative. */
const anyValueArb = fc.oneof(
  amountArb(20).map((t) => new Decimal(t)),
  amountArb(8).map((t) => new Decimal(t)),
  amountArb(8).map((t) => new Decimal(t).neg()),
  fc.constant(new Decimal(0)),
);

/** A count of grid units, small or large (prices of a few ticks up to billions of ticks). */
const countArb = fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 2_000_000_000 }));

describe("the instrument's grid against decimal.js", () => {
  it("rounds prices to ticks as roundPrice does: bids down, asks up", () => {
    fc.assert(
      fc.property(instrumentArb, anyValueArb, (instrument, price) => {
        const { grid } = instrument;
        if (beyondSafeRange(price, instrument.tickSize)) expect(() => grid.ticks(price, "down")).toThrow(RangeError);
        fc.pre(inSafeRange(price, instrument.tickSize));
        expect(grid.price(grid.ticks(price, "down")).toFixed()).toBe(roundPrice(instrument, "BUY", price).toFixed());
        expect(grid.price(grid.ticks(price, "up")).toFixed()).toBe(roundPrice(instrument, "SELL", price).toFixed());
      }),
      RUNS,
    );
  });

  it("rounds quantities down to the step as roundQuantity does", () => {
    fc.assert(
      fc.property(instrumentArb, anyValueArb, (instrument, qty) => {
        const { grid } = instrument;
        if (beyondSafeRange(qty, instrument.stepSize)) expect(() => grid.steps(qty, "down")).toThrow(RangeError);
        fc.pre(inSafeRange(qty, instrument.stepSize));
        expect(grid.quantity(grid.steps(qty, "down")).toFixed()).toBe(roundQuantity(instrument, qty).toFixed());
        expect(grid.quantity(grid.steps(qty, "up")).toFixed()).toBe(qty.toNearest(instrument.stepSize, Decimal.ROUND_CEIL).toFixed());
      }),
      RUNS,
    );
  });

  it("finds a price on the grid exactly when the tick divides it, and gives it back unchanged", () => {
    fc.assert(
      fc.property(instrumentArb, fc.oneof(anyValueArb, countArb.map((n) => new Decimal(n))), countArb, (instrument, value, count) => {
        const { grid } = instrument;
        const onGrid = instrument.tickSize.times(count);
        for (const price of [value, onGrid]) {
          if (!inSafeRange(price, instrument.tickSize)) continue;
          const ticks = grid.exactTicks(price);
          expect(ticks !== null).toBe(price.mod(instrument.tickSize).isZero());
          if (ticks !== null) expect(grid.price(ticks).eq(price)).toBe(true);
        }
        const steps = grid.exactSteps(instrument.stepSize.times(count));
        expect(steps).toBe(count);
      }),
      RUNS,
    );
  });

  it("writes prices and quantities as decimalToString does", () => {
    fc.assert(
      fc.property(instrumentArb, countArb, (instrument, count) => {
        const { grid } = instrument;
        expect(grid.priceText(count)).toBe(decimalToString(instrument.tickSize.times(count)));
        expect(grid.quantityText(count)).toBe(decimalToString(instrument.stepSize.times(count)));
        expect(grid.priceText(-count)).toBe(decimalToString(instrument.tickSize.times(-count)));
      }),
      RUNS,
    );
  });

  it("sizes an order for a notional as quantityForNotional does", () => {
    fc.assert(
      fc.property(instrumentArb, countArb, amountArb(10), (instrument, ticks, notionalText) => {
        const { grid } = instrument;
        const notional = new Decimal(notionalText);
        const price = grid.price(ticks);
        const expected = quantityForNotional(instrument, price, notional);
        fc.pre(inSafeRange(expected, instrument.stepSize));
        const steps = grid.stepsForNotional(ticks, grid.notionalUnits(notional, "up"));
        expect(grid.quantity(steps).toFixed()).toBe(expected.toFixed());
      }),
      RUNS,
    );
  });

  it("checks price, lot and notional filters as validateOrder does", () => {
    fc.assert(
      fc.property(instrumentArb, fc.constantFrom("BUY" as const, "SELL" as const), fc.integer({ min: -3, max: 3_000_000 }), countArb, (instrument, side, ticks, steps) => {
        const { grid } = instrument;
        const order = { side, price: instrument.tickSize.times(ticks), qty: instrument.stepSize.times(steps) };
        expect(validateOrderOnGrid(instrument, ticks, steps)).toEqual(validateOrder(instrument, order));
        expect(grid.check(ticks, steps) === null).toBe(validateOrder(instrument, order).ok);
      }),
      RUNS,
    );
  });

  it("compares notionals exactly past 2^53, where the product needs BigInt", () => {
    const huge = fc.integer({ min: 2 ** 40, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(instrumentArb, huge, huge, fc.integer({ min: -2, max: 2 }), (instrument, ticks, steps, nudge) => {
        const { grid } = instrument;
        const notional = new Precise(instrument.tickSize).times(ticks).times(instrument.stepSize).times(steps);
        const bound = grid.notionalUnits(new Decimal(notional), "up");
        expect(typeof bound).toBe("bigint");
        const compared = grid.compareNotional(ticks, steps + nudge, bound);
        expect(compared).toBe(Math.sign(nudge));
      }),
      RUNS,
    );
  });
});

describe("the instrument's grid", () => {
  it("is built from the exchange filters and refuses a price beyond its safe range", () => {
    const instrument = buildInstrument({
      symbol: "BTCUSDT",
      status: "TRADING",
      baseAsset: "BTC",
      quoteAsset: "USDT",
      filters: [
        { filterType: "PRICE_FILTER", minPrice: "0.01", maxPrice: "1000000", tickSize: "0.01" },
        { filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "9000", stepSize: "0.00001" },
        { filterType: "NOTIONAL", minNotional: "5", maxNotional: "9000000" },
      ],
    });
    const { grid } = instrument;
    expect(grid.ticks(new Decimal("64999.999"), "down")).toBe(6_499_999);
    expect(grid.ticks(new Decimal("64999.991"), "up")).toBe(6_500_000);
    expect(grid.priceText(6_500_001)).toBe("65000.01");
    expect(grid.steps(new Decimal("0.000159"), "down")).toBe(15);
    expect(grid.stepsForNotional(6_500_000, grid.notionalUnits(new Decimal("5"), "up"))).toBe(8);
    expect(validateOrderOnGrid(instrument, 6_500_000, 7)).toEqual({ ok: false, filter: "NOTIONAL", reason: "notional below minNotional" });
    expect(() => grid.ticks(new Decimal("1e30"), "down")).toThrow(/beyond the grid's safe range/);
  });
});
