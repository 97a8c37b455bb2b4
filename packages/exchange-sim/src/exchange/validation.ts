import type Decimal from "decimal.js";

import { errors } from "./errors";
import type { Instrument } from "./instruments";
import { Dec, isDecimalString, significantDecimals } from "./num";
import type { NewOrderParams, NewOrderRespType, OrderSide, OrderType, TimeInForce } from "./venue";

/** A new-order request that passed parameter and precision checks. */
export interface NewOrderSpec {
  instrument: Instrument;
  side: OrderSide;
  type: OrderType;
  /** As reported: GTC for LIMIT_MAKER and MARKET, like Binance. */
  timeInForce: TimeInForce;
  quantity: Decimal | undefined;
  quoteOrderQty: Decimal | undefined;
  price: Decimal | undefined;
  newClientOrderId: string | undefined;
  respType: NewOrderRespType;
}

const CLIENT_ORDER_ID_RE = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const INTEGER_RE = /^[0-9]{1,20}$/;
const SIDES: readonly string[] = ["BUY", "SELL"];
const SUPPORTED_TYPES: readonly string[] = ["LIMIT", "LIMIT_MAKER", "MARKET"];
const KNOWN_TYPES: readonly string[] = [
  ...SUPPORTED_TYPES,
  "STOP_LOSS",
  "STOP_LOSS_LIMIT",
  "TAKE_PROFIT",
  "TAKE_PROFIT_LIMIT",
];
const TIFS: readonly string[] = ["GTC", "IOC", "FOK"];
const RESP_TYPES: readonly string[] = ["ACK", "RESULT", "FULL"];

function present(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

export function requireParam(value: string | undefined, name: string): string {
  if (!present(value)) throw errors.mandatory(name);
  return value;
}

export function optionalParam(value: string | undefined): string | undefined {
  return present(value) ? value : undefined;
}

export function parseInteger(value: string, name: string): number {
  if (!INTEGER_RE.test(value)) throw errors.illegalInteger(name);
  return Number(value);
}

export function checkClientOrderId(value: string, name: string): string {
  if (!CLIENT_ORDER_ID_RE.test(value)) throw errors.illegalClientOrderId(name);
  return value;
}

export function parseDecimal(value: string | undefined, name: string, maxDecimals: number): Decimal | undefined {
  if (!present(value)) return undefined;
  if (!isDecimalString(value)) throw errors.illegalDecimal(name);
  if (significantDecimals(value) > maxDecimals) throw errors.precision(name);
  return new Dec(value);
}

/**
 * Parameter-level checks in Binance's order: mandatory parameters, symbol, enum values, parameters sent
 * when not required, number formats and precision. Filters, balances and matching come later.
 */
export function parseNewOrder(params: NewOrderParams, lookup: (symbol: string) => Instrument | undefined): NewOrderSpec {
  const symbol = requireParam(params.symbol, "symbol");
  const sideRaw = requireParam(params.side, "side");
  const typeRaw = requireParam(params.type, "type");
  const instrument = lookup(symbol);
  if (!instrument) throw errors.invalidSymbol();
  if (!SIDES.includes(sideRaw)) throw errors.invalidSide();
  if (!KNOWN_TYPES.includes(typeRaw) || !SUPPORTED_TYPES.includes(typeRaw)) throw errors.invalidOrderType();
  const side = sideRaw as OrderSide;
  const type = typeRaw as OrderType;

  const tif = optionalParam(params.timeInForce);
  const quantityRaw = optionalParam(params.quantity);
  const quoteQtyRaw = optionalParam(params.quoteOrderQty);
  const priceRaw = optionalParam(params.price);

  let timeInForce: TimeInForce = "GTC";
  if (type === "LIMIT") {
    if (tif === undefined) throw errors.mandatory("timeInForce");
    if (quantityRaw === undefined) throw errors.mandatory("quantity");
    if (priceRaw === undefined) throw errors.mandatory("price");
    if (!TIFS.includes(tif)) throw errors.invalidTif();
    timeInForce = tif as TimeInForce;
    if (quoteQtyRaw !== undefined) throw errors.notRequired("quoteOrderQty");
  } else if (type === "LIMIT_MAKER") {
    if (quantityRaw === undefined) throw errors.mandatory("quantity");
    if (priceRaw === undefined) throw errors.mandatory("price");
    if (tif !== undefined) throw errors.notRequired("timeInForce");
    if (quoteQtyRaw !== undefined) throw errors.notRequired("quoteOrderQty");
  } else {
    if (quantityRaw === undefined && quoteQtyRaw === undefined) throw errors.eitherMandatory("quantity", "quoteOrderQty");
    if (quantityRaw !== undefined && quoteQtyRaw !== undefined) throw errors.notRequired("quoteOrderQty");
    if (tif !== undefined) throw errors.notRequired("timeInForce");
    if (priceRaw !== undefined) throw errors.notRequired("price");
    if (quoteQtyRaw !== undefined && !instrument.info.quoteOrderQtyMarketAllowed) {
      throw errors.quoteOrderQtyNotSupported();
    }
  }
  for (const name of ["stopPrice", "trailingDelta", "icebergQty"] as const) {
    if (optionalParam(params[name]) !== undefined) throw errors.notRequired(name);
  }

  const quantity = parseDecimal(quantityRaw, "quantity", instrument.info.baseAssetPrecision);
  const quoteOrderQty = parseDecimal(quoteQtyRaw, "quoteOrderQty", instrument.info.quoteAssetPrecision);
  const price = parseDecimal(priceRaw, "price", instrument.info.quotePrecision);

  const clientIdRaw = optionalParam(params.newClientOrderId);
  const newClientOrderId = clientIdRaw === undefined ? undefined : checkClientOrderId(clientIdRaw, "newClientOrderId");

  const respRaw = optionalParam(params.newOrderRespType);
  if (respRaw !== undefined && !RESP_TYPES.includes(respRaw)) throw errors.invalidParameter("newOrderRespType");
  const respType = (respRaw ?? (type === "LIMIT_MAKER" ? "ACK" : "FULL")) as NewOrderRespType;

  const stp = optionalParam(params.selfTradePreventionMode);
  if (stp !== undefined && !(instrument.info.allowedSelfTradePreventionModes as string[]).includes(stp)) {
    throw errors.invalidParameter("selfTradePreventionMode");
  }
  const strategyType = optionalParam(params.strategyType);
  if (strategyType !== undefined && parseInteger(strategyType, "strategyType") < 1000000) {
    throw errors.invalidParameter("strategyType");
  }
  const strategyId = optionalParam(params.strategyId);
  if (strategyId !== undefined) parseInteger(strategyId, "strategyId");

  return { instrument, side, type, timeInForce, quantity, quoteOrderQty, price, newClientOrderId, respType };
}

export interface FilterContext {
  /** Reference for PERCENT_PRICE(_BY_SIDE) and market notional: VWAP of the last minutes, or last price. */
  averagePrice: Decimal | undefined;
  openOrdersOnSymbol: number;
  openOrdersOnExchange: number;
  exchangeMaxNumOrders: number | undefined;
}

const parsedFilterValues = new Map<string, Decimal>();

/** Filter values are a handful of constant strings: parse each once, not on every order. */
function dec(value: string): Decimal {
  let parsed = parsedFilterValues.get(value);
  if (!parsed) {
    parsed = new Dec(value);
    parsedFilterValues.set(value, parsed);
  }
  return parsed;
}

function stepAligned(value: Decimal, step: Decimal): boolean {
  return step.lte(0) || value.mod(step).eq(0);
}

function inRange(value: Decimal, min: string, max: string): boolean {
  const lo = dec(min);
  const hi = dec(max);
  return (lo.lte(0) || value.gte(lo)) && (hi.lte(0) || value.lte(hi));
}

/** Symbol filters in their definition order, then the exchange-wide open-order limit. Throws -1013. */
export function checkFilters(spec: NewOrderSpec, ctx: FilterContext): void {
  const { instrument } = spec;
  const isMarket = spec.type === "MARKET";
  for (const filter of instrument.info.filters) {
    switch (filter.filterType) {
      case "PRICE_FILTER": {
        if (!spec.price) break;
        const tick = dec(filter.tickSize);
        if (!inRange(spec.price, filter.minPrice, filter.maxPrice) || !stepAligned(spec.price, tick)) {
          throw errors.filter("PRICE_FILTER");
        }
        break;
      }
      case "LOT_SIZE": {
        if (isMarket || !spec.quantity) break;
        const q = spec.quantity;
        if (q.lte(0) || !inRange(q, filter.minQty, filter.maxQty) || !stepAligned(q, dec(filter.stepSize))) {
          throw errors.filter("LOT_SIZE");
        }
        break;
      }
      case "MARKET_LOT_SIZE": {
        if (!isMarket || !spec.quantity) break;
        const q = spec.quantity;
        if (q.lte(0) || !inRange(q, filter.minQty, filter.maxQty) || !stepAligned(q, dec(filter.stepSize))) {
          throw errors.filter("MARKET_LOT_SIZE");
        }
        break;
      }
      case "PERCENT_PRICE_BY_SIDE": {
        if (isMarket || !spec.price || !ctx.averagePrice) break;
        const ref = ctx.averagePrice;
        const [down, up] =
          spec.side === "BUY"
            ? [filter.bidMultiplierDown, filter.bidMultiplierUp]
            : [filter.askMultiplierDown, filter.askMultiplierUp];
        if (spec.price.lt(ref.mul(dec(down))) || spec.price.gt(ref.mul(dec(up)))) throw errors.filter("PERCENT_PRICE_BY_SIDE");
        break;
      }
      case "PERCENT_PRICE": {
        if (isMarket || !spec.price || !ctx.averagePrice) break;
        const ref = ctx.averagePrice;
        if (spec.price.lt(ref.mul(dec(filter.multiplierDown))) || spec.price.gt(ref.mul(dec(filter.multiplierUp)))) {
          throw errors.filter("PERCENT_PRICE");
        }
        break;
      }
      case "NOTIONAL": {
        const notional = orderNotional(spec, ctx);
        if (!notional) break;
        const min = dec(filter.minNotional);
        const max = dec(filter.maxNotional);
        const checkMin = !isMarket || filter.applyMinToMarket;
        const checkMax = !isMarket || filter.applyMaxToMarket;
        if ((checkMin && notional.lt(min)) || (checkMax && max.gt(0) && notional.gt(max))) {
          throw errors.filter("NOTIONAL");
        }
        break;
      }
      case "MIN_NOTIONAL": {
        const notional = orderNotional(spec, ctx);
        if (!notional || (isMarket && !filter.applyToMarket)) break;
        if (notional.lt(dec(filter.minNotional))) throw errors.filter("MIN_NOTIONAL");
        break;
      }
      case "MAX_NUM_ORDERS":
        if (!isMarket && ctx.openOrdersOnSymbol >= filter.maxNumOrders) throw errors.filter("MAX_NUM_ORDERS");
        break;
      case "ICEBERG_PARTS":
      case "TRAILING_DELTA":
      case "MAX_NUM_ALGO_ORDERS":
      case "MAX_NUM_ORDER_AMENDS":
      case "MAX_NUM_ORDER_LISTS":
        // Only iceberg, trailing-stop, algo, amend and order-list requests meet these; none are supported.
        break;
    }
  }
  if (!isMarket && ctx.exchangeMaxNumOrders !== undefined && ctx.openOrdersOnExchange >= ctx.exchangeMaxNumOrders) {
    throw errors.filter("EXCHANGE_MAX_NUM_ORDERS");
  }
}

function orderNotional(spec: NewOrderSpec, ctx: FilterContext): Decimal | undefined {
  if (spec.type !== "MARKET") return spec.price && spec.quantity ? spec.price.mul(spec.quantity) : undefined;
  if (spec.quoteOrderQty) return spec.quoteOrderQty;
  return spec.quantity && ctx.averagePrice ? spec.quantity.mul(ctx.averagePrice) : undefined;
}

/** LOT_SIZE for a quantity that is not a new order's (an amended quantity). Throws -1013. */
export function checkLotSize(instrument: Instrument, qty: Decimal): void {
  const lot = instrument.filter("LOT_SIZE");
  if (!lot) return;
  if (qty.lte(0) || !inRange(qty, lot.minQty, lot.maxQty) || !stepAligned(qty, dec(lot.stepSize))) {
    throw errors.filter("LOT_SIZE");
  }
}
