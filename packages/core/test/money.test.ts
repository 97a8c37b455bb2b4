import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  Decimal,
  buildInstrument,
  dec,
  quantityForNotional,
  roundPrice,
  roundQuantity,
  validateOrder,
  InstrumentError,
  type Instrument,
} from "../src/money";
import { btcusdt } from "./support/instruments";

describe("buildInstrument", () => {
  it("reads every filter the quoter needs", () => {
    const i = btcusdt();
    expect(i.tickSize.toFixed()).toBe("0.01");
    expect(i.stepSize.toFixed()).toBe("0.00001");
    expect(i.minQty.toFixed()).toBe("0.00001");
    expect(i.maxQty.toFixed()).toBe("9000");
    expect(i.minNotional.toFixed()).toBe("5");
    expect(i.maxNotional?.toFixed()).toBe("9000000");
    expect(i.percentPriceBySide?.bidMultiplierDown.toFixed()).toBe("0.2");
    expect(i.maxNumOrders).toBe(200);
    expect(i.status).toBe("TRADING");
  });

  it("accepts filters a client already parsed into Decimals", () => {
    const parsed = buildInstrument({
      symbol: "BTCUSDT",
      status: "TRADING",
      baseAsset: "BTC",
      quoteAsset: "USDT",
      filters: [
        { filterType: "PRICE_FILTER", minPrice: dec("0.01"), maxPrice: dec("1000000"), tickSize: dec("0.01") },
        { filterType: "LOT_SIZE", minQty: dec("0.00001"), maxQty: dec("9000"), stepSize: dec("0.00001") },
        { filterType: "NOTIONAL", minNotional: dec("5"), applyMinToMarket: true, maxNotional: dec("9000000"), applyMaxToMarket: false, avgPriceMins: 5 },
        { filterType: "PERCENT_PRICE_BY_SIDE", bidMultiplierUp: dec("5"), bidMultiplierDown: dec("0.2"), askMultiplierUp: dec("5"), askMultiplierDown: dec("0.2"), avgPriceMins: 5 },
        { filterType: "MAX_NUM_ORDERS", maxNumOrders: 200 },
      ],
    });
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(btcusdt()));
  });

  it("falls back to the legacy MIN_NOTIONAL filter", () => {
    const i = buildInstrument({
      symbol: "OLDUSDT",
      status: "TRADING",
      baseAsset: "OLD",
      quoteAsset: "USDT",
      filters: [
        { filterType: "PRICE_FILTER", minPrice: "0", maxPrice: "0", tickSize: "0.0001" },
        { filterType: "LOT_SIZE", minQty: "1", maxQty: "0", stepSize: "1" },
        { filterType: "MIN_NOTIONAL", minNotional: "10", applyToMarket: true, avgPriceMins: 5 },
      ],
    });
    expect(i.minNotional.toFixed()).toBe("10");
    expect(i.maxNotional).toBeNull();
    expect(i.percentPriceBySide).toBeNull();
    expect(i.maxNumOrders).toBeNull();
  });

  it.each([
    ["missing PRICE_FILTER", [{ filterType: "LOT_SIZE", minQty: "1", maxQty: "2", stepSize: "1" }], /PRICE_FILTER: missing/],
    [
      "zero tick",
      [
        { filterType: "PRICE_FILTER", minPrice: "0", maxPrice: "0", tickSize: "0" },
        { filterType: "LOT_SIZE", minQty: "1", maxQty: "2", stepSize: "1" },
      ],
      /PRICE_FILTER: tickSize must be greater than 0/,
    ],
    [
      "number instead of string",
      [
        { filterType: "PRICE_FILTER", minPrice: "0", maxPrice: "0", tickSize: "0.1" },
        { filterType: "LOT_SIZE", minQty: 1, maxQty: "2", stepSize: "1" },
      ],
      /LOT_SIZE: minQty/,
    ],
  ])("rejects %s", (_name, filters, message) => {
    expect(() => buildInstrument({ symbol: "X", status: "TRADING", baseAsset: "A", quoteAsset: "B", filters })).toThrow(
      message,
    );
    expect(() => buildInstrument({ symbol: "X", status: "TRADING", baseAsset: "A", quoteAsset: "B", filters })).toThrow(
      InstrumentError,
    );
  });
});

describe("rounding", () => {
  const i = btcusdt();
  it.each([
    ["BUY", "65000.129", "65000.12"],
    ["SELL", "65000.121", "65000.13"],
    ["BUY", "65000.12", "65000.12"],
    ["SELL", "65000.12", "65000.12"],
    ["BUY", "0.019", "0.01"],
  ] as const)("%s %s -> %s", (side, price, expected) => {
    expect(roundPrice(i, side, dec(price)).toFixed()).toBe(expected);
  });

  it("rounds quantities down to the step", () => {
    expect(roundQuantity(i, dec("0.123456789")).toFixed()).toBe("0.12345");
  });

  it.each([
    ["65000.12", "10500", "0.16154"],
    ["100", "10500", "105"],
    ["3", "10", "3.33334"],
  ])("quantityForNotional(%s, %s) = %s", (price, notional, qty) => {
    expect(quantityForNotional(i, dec(price), dec(notional)).toFixed()).toBe(qty);
  });
});

const Precise = Decimal.clone({ precision: 60 });
const tick = fc.constantFrom("0.00000001", "0.0001", "0.01", "0.5", "1", "10");
const step = fc.constantFrom("0.00000001", "0.00001", "0.001", "1", "100");
const positiveDecimal = fc
  .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 8 }))
  .map(([digits, scale]) => new Decimal(digits).div(new Decimal(10).pow(scale)));

function instrumentWith(tickSize: string, stepSize: string): Instrument {
  return btcusdt([
    { filterType: "PRICE_FILTER", minPrice: "0", maxPrice: "0", tickSize },
    { filterType: "LOT_SIZE", minQty: "0", maxQty: "0", stepSize },
  ]);
}

describe("rounding properties", () => {
  it("rounded prices are multiples of the tick; bids never rise, asks never fall", () => {
    fc.assert(
      fc.property(tick, positiveDecimal, (t, price) => {
        const i = instrumentWith(t, "1");
        const bid = roundPrice(i, "BUY", price);
        const ask = roundPrice(i, "SELL", price);
        expect(bid.mod(i.tickSize).isZero()).toBe(true);
        expect(ask.mod(i.tickSize).isZero()).toBe(true);
        expect(bid.lte(price)).toBe(true);
        expect(ask.gte(price)).toBe(true);
        expect(price.minus(bid).lt(i.tickSize)).toBe(true);
        expect(ask.minus(price).lt(i.tickSize)).toBe(true);
      }),
    );
  });

  it("quantity for a notional reaches the target by less than one step's worth", () => {
    fc.assert(
      fc.property(step, positiveDecimal, positiveDecimal, (s, price, target) => {
        const i = instrumentWith("0.00000001", s);
        const qty = quantityForNotional(i, price, target);
        const notional = new Precise(price).times(qty);
        expect(qty.mod(i.stepSize).isZero()).toBe(true);
        expect(notional.gte(target)).toBe(true);
        expect(notional.minus(target).lt(price.times(i.stepSize))).toBe(true);
      }),
    );
  });

  it("quantities never grow by rounding", () => {
    fc.assert(
      fc.property(step, positiveDecimal, (s, qty) => {
        const i = instrumentWith("1", s);
        const rounded = roundQuantity(i, qty);
        expect(rounded.lte(qty)).toBe(true);
        expect(qty.minus(rounded).lt(i.stepSize)).toBe(true);
      }),
    );
  });
});

describe("validateOrder", () => {
  const i = btcusdt();
  const ref = dec("65000");
  it.each([
    ["a valid order", "BUY", "64800.00", "0.16", undefined],
    ["an off-tick price", "BUY", "64800.001", "0.16", "PRICE_FILTER"],
    ["an off-step quantity", "SELL", "65200.00", "0.160001", "LOT_SIZE"],
    ["a quantity above maxQty", "SELL", "65200.00", "9001", "LOT_SIZE"],
    ["a small notional", "BUY", "64800.00", "0.00007", "NOTIONAL"],
    ["a bid far below the reference", "BUY", "12000.00", "0.16", "PERCENT_PRICE_BY_SIDE"],
    ["an ask far above the reference", "SELL", "330000.00", "0.16", "PERCENT_PRICE_BY_SIDE"],
  ] as const)("%s", (_name, side, price, qty, failing) => {
    const result = validateOrder(i, { side, price: dec(price), qty: dec(qty), referencePrice: ref });
    if (failing === undefined) expect(result).toEqual({ ok: true });
    else expect(result).toMatchObject({ ok: false, filter: failing });
  });

  it("refuses every order while the symbol is not trading", () => {
    const halted = btcusdt([], "HALT");
    expect(validateOrder(halted, { side: "BUY", price: dec("64800"), qty: dec("0.16") })).toMatchObject({
      ok: false,
      filter: "SYMBOL_STATUS",
    });
  });
});
