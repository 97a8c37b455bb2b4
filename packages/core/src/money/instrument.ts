import { z } from "zod";
import { Decimal, DECIMAL_STRING } from "./decimal";
import { InstrumentGrid } from "./fixed-point";
import type { Side } from "../side";

/**
 * Plain input types: a symbol entry of exchangeInfo, with filter fields as decimal strings (raw payload) or
 * Decimals (already parsed by a client). Unknown filter types are ignored.
 */
export interface ExchangeFilterInput {
  readonly filterType: string;
  readonly [field: string]: unknown;
}

export interface InstrumentInput {
  readonly symbol: string;
  readonly status: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly filters: readonly ExchangeFilterInput[];
}

export const SYMBOL_STATUSES = ["TRADING", "END_OF_DAY", "HALT", "BREAK", "CANCEL_ONLY"] as const;
export type SymbolStatus = (typeof SYMBOL_STATUSES)[number];

export interface PercentPriceBySide {
  readonly bidMultiplierUp: Decimal;
  readonly bidMultiplierDown: Decimal;
  readonly askMultiplierUp: Decimal;
  readonly askMultiplierDown: Decimal;
}

/**
 * A tradable symbol with its filters as decimals. A zero bound means "not checked", as on the exchange
 * (PRICE_FILTER fields set to 0 are disabled); absent filters are null.
 */
export interface Instrument {
  readonly symbol: string;
  readonly status: SymbolStatus;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: Decimal;
  readonly minPrice: Decimal;
  readonly maxPrice: Decimal;
  readonly stepSize: Decimal;
  readonly minQty: Decimal;
  readonly maxQty: Decimal;
  readonly minNotional: Decimal;
  readonly maxNotional: Decimal | null;
  readonly percentPriceBySide: PercentPriceBySide | null;
  readonly maxNumOrders: number | null;
  /** Prices in ticks and quantities in steps for the hot path, with these filters in grid units (fixed-point.ts). */
  readonly grid: InstrumentGrid;
}

/** Filter fields as the exchange sends them (strings) or as a client already parsed them (Decimal). */
const decimalLike = z
  .union([z.custom<Decimal>((v) => Decimal.isDecimal(v) && v.isFinite()), z.string().regex(DECIMAL_STRING, "must be a decimal string")])
  .transform((v) => new Decimal(v));
const nonNegative = decimalLike.refine((v) => !v.isNegative(), "must not be negative");
const positive = decimalLike.refine((v) => v.gt(0), "must be greater than 0");

const priceFilter = z.object({ minPrice: nonNegative, maxPrice: nonNegative, tickSize: positive });
const lotSize = z.object({ minQty: nonNegative, maxQty: nonNegative, stepSize: positive });
const notional = z.object({ minNotional: nonNegative, maxNotional: nonNegative.optional() });
const minNotional = z.object({ minNotional: nonNegative });
const percentPriceBySide = z.object({
  bidMultiplierUp: positive,
  bidMultiplierDown: nonNegative,
  askMultiplierUp: positive,
  askMultiplierDown: nonNegative,
});
const maxNumOrders = z.object({ maxNumOrders: z.number().int().positive() });

export class InstrumentError extends Error {
  override readonly name = "InstrumentError";
  constructor(
    readonly symbol: string,
    readonly filterType: string,
    message: string,
  ) {
    super(`${symbol} ${filterType}: ${message}`);
  }
}

function parseFilter<T>(symbol: string, filter: ExchangeFilterInput, schema: z.ZodType<T, unknown>): T {
  const parsed = schema.safeParse(filter);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ");
    throw new InstrumentError(symbol, filter.filterType, detail);
  }
  return parsed.data;
}

/** Builds an Instrument; PRICE_FILTER and LOT_SIZE are required, since quoting is impossible without them. */
export function buildInstrument(input: InstrumentInput): Instrument {
  const { symbol } = input;
  if (!(SYMBOL_STATUSES as readonly string[]).includes(input.status)) {
    throw new InstrumentError(symbol, "status", `unknown symbol status ${input.status}`);
  }
  const find = (type: string) => input.filters.find((f) => f.filterType === type);
  const price = find("PRICE_FILTER");
  const lot = find("LOT_SIZE");
  if (!price) throw new InstrumentError(symbol, "PRICE_FILTER", "missing");
  if (!lot) throw new InstrumentError(symbol, "LOT_SIZE", "missing");
  const p = parseFilter(symbol, price, priceFilter);
  const l = parseFilter(symbol, lot, lotSize);
  const notionalInput = find("NOTIONAL");
  const legacyNotional = find("MIN_NOTIONAL");
  let min = new Decimal(0);
  let max: Decimal | null = null;
  if (notionalInput) {
    const n = parseFilter(symbol, notionalInput, notional);
    min = n.minNotional;
    max = n.maxNotional === undefined || n.maxNotional.isZero() ? null : n.maxNotional;
  } else if (legacyNotional) {
    min = parseFilter(symbol, legacyNotional, minNotional).minNotional;
  }
  const pps = find("PERCENT_PRICE_BY_SIDE");
  const ppsParsed = pps ? parseFilter(symbol, pps, percentPriceBySide) : null;
  const mno = find("MAX_NUM_ORDERS");
  const grid = new InstrumentGrid({ ...p, ...l, minNotional: min, maxNotional: max });
  return {
    symbol,
    status: input.status as SymbolStatus,
    baseAsset: input.baseAsset,
    quoteAsset: input.quoteAsset,
    tickSize: p.tickSize,
    minPrice: p.minPrice,
    maxPrice: p.maxPrice,
    stepSize: l.stepSize,
    minQty: l.minQty,
    maxQty: l.maxQty,
    minNotional: min,
    maxNotional: max,
    percentPriceBySide: ppsParsed,
    maxNumOrders: mno ? parseFilter(symbol, mno, maxNumOrders).maxNumOrders : null,
    grid,
  };
}

/** Quotients like notional / price need more than decimal.js's default 20 significant digits. */
const Precise = Decimal.clone({ precision: 60 });

/** Bids round down and asks up, so rounding only ever moves a quote away from the market. */
export function roundPrice(instrument: Instrument, side: Side, price: Decimal): Decimal {
  return price.toNearest(instrument.tickSize, side === "BUY" ? Decimal.ROUND_FLOOR : Decimal.ROUND_CEIL);
}

/** Quantities round down to the step: never more size than asked for. */
export function roundQuantity(instrument: Instrument, qty: Decimal): Decimal {
  return qty.toNearest(instrument.stepSize, Decimal.ROUND_FLOOR);
}

/**
 * The smallest quantity on the step grid whose notional at `price` is at least `notional`:
 * price x qty >= notional and price x qty < notional + price x stepSize. LOT_SIZE bounds are not applied here;
 * `validateOrder` reports them.
 */
export function quantityForNotional(instrument: Instrument, price: Decimal, notional: Decimal): Decimal {
  if (!price.gt(0)) throw new RangeError(`price must be positive, got ${price.toFixed()}`);
  const step = new Precise(instrument.stepSize);
  let qty = new Precise(notional).div(price).toNearest(step, Decimal.ROUND_CEIL);
  // Even 60 digits can round a quotient onto a grid point from above; one more step repairs that.
  if (qty.times(price).lt(notional)) qty = qty.plus(step);
  return new Decimal(qty);
}

export type FilterName = "SYMBOL_STATUS" | "PRICE_FILTER" | "LOT_SIZE" | "NOTIONAL" | "PERCENT_PRICE_BY_SIDE";

export type OrderValidation = { readonly ok: true } | { readonly ok: false; readonly filter: FilterName; readonly reason: string };

export interface OrderCheck {
  readonly side: Side;
  readonly price: Decimal;
  readonly qty: Decimal;
  /** The exchange's average/reference price for PERCENT_PRICE_BY_SIDE; skipped when absent. */
  readonly referencePrice?: Decimal;
}

const fail = (filter: FilterName, reason: string): OrderValidation => ({ ok: false, filter, reason });

/** Checks a limit order against the filters in the exchange's order, naming the first that fails. */
export function validateOrder(instrument: Instrument, order: OrderCheck): OrderValidation {
  const { price, qty, side } = order;
  if (instrument.status !== "TRADING") return fail("SYMBOL_STATUS", `symbol is ${instrument.status}`);
  if (!price.gt(0)) return fail("PRICE_FILTER", "price must be positive");
  if (instrument.minPrice.gt(0) && price.lt(instrument.minPrice)) return fail("PRICE_FILTER", "price below minPrice");
  if (instrument.maxPrice.gt(0) && price.gt(instrument.maxPrice)) return fail("PRICE_FILTER", "price above maxPrice");
  if (!price.mod(instrument.tickSize).isZero()) return fail("PRICE_FILTER", "price not a multiple of tickSize");
  if (!qty.gt(0)) return fail("LOT_SIZE", "quantity must be positive");
  if (qty.lt(instrument.minQty)) return fail("LOT_SIZE", "quantity below minQty");
  if (instrument.maxQty.gt(0) && qty.gt(instrument.maxQty)) return fail("LOT_SIZE", "quantity above maxQty");
  if (!qty.mod(instrument.stepSize).isZero()) return fail("LOT_SIZE", "quantity not a multiple of stepSize");
  const notionalValue = price.times(qty);
  if (notionalValue.lt(instrument.minNotional)) return fail("NOTIONAL", "notional below minNotional");
  if (instrument.maxNotional && notionalValue.gt(instrument.maxNotional)) {
    return fail("NOTIONAL", "notional above maxNotional");
  }
  return order.referencePrice ? checkPercentPriceBySide(instrument, side, price, order.referencePrice) : { ok: true };
}

/**
 * validateOrder for a price and quantity already on the instrument's grid (ticks and steps), without the
 * reference-price filter: the same answer in integer arithmetic.
 */
export function validateOrderOnGrid(instrument: Instrument, ticks: number, steps: number): OrderValidation {
  if (instrument.status !== "TRADING") return fail("SYMBOL_STATUS", `symbol is ${instrument.status}`);
  const failure = instrument.grid.check(ticks, steps);
  return failure ? fail(failure.filter, failure.reason) : { ok: true };
}

/** PERCENT_PRICE_BY_SIDE alone: the one filter that depends on the reference price, not only on the order. */
export function checkPercentPriceBySide(instrument: Instrument, side: Side, price: Decimal, referencePrice: Decimal): OrderValidation {
  const pps = instrument.percentPriceBySide;
  if (!pps) return { ok: true };
  const [down, up] = side === "BUY" ? [pps.bidMultiplierDown, pps.bidMultiplierUp] : [pps.askMultiplierDown, pps.askMultiplierUp];
  if (price.lt(referencePrice.times(down)) || price.gt(referencePrice.times(up))) {
    return fail("PERCENT_PRICE_BY_SIDE", `price outside ${referencePrice.times(down).toFixed()}..${referencePrice.times(up).toFixed()}`);
  }
  return { ok: true };
}
