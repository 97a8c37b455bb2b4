// GET /api/v3/exchangeInfo: rate limits, symbols and their filters.
import { asArray, asObject, bool, dec, num, optBool, optNum, optStr, str, strArray } from "../payload";
import type { ExchangeInfo, RateLimitRule, SymbolFilter, SymbolInfo } from "../types";

export function parseRateLimits(value: unknown, path = "rateLimits"): RateLimitRule[] {
  return asArray(value, path).map((v, i) => {
    const p = `${path}[${i}]`;
    const o = asObject(v, p);
    const count = optNum(o, "count", p);
    return {
      rateLimitType: str(o, "rateLimitType", p),
      interval: str(o, "interval", p),
      intervalNum: num(o, "intervalNum", p),
      limit: num(o, "limit", p),
      ...(count === undefined ? {} : { count }),
    };
  });
}

export function parseFilter(value: unknown, path: string): SymbolFilter {
  const o = asObject(value, path);
  const filterType = str(o, "filterType", path);
  switch (filterType) {
    case "PRICE_FILTER":
      return { filterType, minPrice: dec(o, "minPrice", path), maxPrice: dec(o, "maxPrice", path), tickSize: dec(o, "tickSize", path) };
    case "LOT_SIZE":
    case "MARKET_LOT_SIZE":
      return { filterType, minQty: dec(o, "minQty", path), maxQty: dec(o, "maxQty", path), stepSize: dec(o, "stepSize", path) };
    case "NOTIONAL":
      return {
        filterType,
        minNotional: dec(o, "minNotional", path),
        applyMinToMarket: bool(o, "applyMinToMarket", path),
        maxNotional: dec(o, "maxNotional", path),
        applyMaxToMarket: bool(o, "applyMaxToMarket", path),
        avgPriceMins: num(o, "avgPriceMins", path),
      };
    case "MIN_NOTIONAL":
      return {
        filterType,
        minNotional: dec(o, "minNotional", path),
        applyToMarket: bool(o, "applyToMarket", path),
        avgPriceMins: num(o, "avgPriceMins", path),
      };
    case "PERCENT_PRICE":
      return {
        filterType,
        multiplierUp: dec(o, "multiplierUp", path),
        multiplierDown: dec(o, "multiplierDown", path),
        avgPriceMins: num(o, "avgPriceMins", path),
      };
    case "PERCENT_PRICE_BY_SIDE":
      return {
        filterType,
        bidMultiplierUp: dec(o, "bidMultiplierUp", path),
        bidMultiplierDown: dec(o, "bidMultiplierDown", path),
        askMultiplierUp: dec(o, "askMultiplierUp", path),
        askMultiplierDown: dec(o, "askMultiplierDown", path),
        avgPriceMins: num(o, "avgPriceMins", path),
      };
    case "ICEBERG_PARTS":
      return { filterType, limit: num(o, "limit", path) };
    case "TRAILING_DELTA":
      return {
        filterType,
        minTrailingAboveDelta: num(o, "minTrailingAboveDelta", path),
        maxTrailingAboveDelta: num(o, "maxTrailingAboveDelta", path),
        minTrailingBelowDelta: num(o, "minTrailingBelowDelta", path),
        maxTrailingBelowDelta: num(o, "maxTrailingBelowDelta", path),
      };
    case "MAX_NUM_ORDERS":
    case "EXCHANGE_MAX_NUM_ORDERS":
      return { filterType, maxNumOrders: num(o, "maxNumOrders", path) };
    case "MAX_NUM_ALGO_ORDERS":
    case "EXCHANGE_MAX_NUM_ALGO_ORDERS":
      return { filterType, maxNumAlgoOrders: num(o, "maxNumAlgoOrders", path) };
    case "MAX_NUM_ICEBERG_ORDERS":
    case "EXCHANGE_MAX_NUM_ICEBERG_ORDERS":
      return { filterType, maxNumIcebergOrders: num(o, "maxNumIcebergOrders", path) };
    case "MAX_POSITION":
      return { filterType, maxPosition: dec(o, "maxPosition", path) };
    case "MAX_NUM_ORDER_AMENDS":
      return { filterType, maxNumOrderAmends: num(o, "maxNumOrderAmends", path) };
    case "MAX_NUM_ORDER_LISTS":
    case "EXCHANGE_MAX_NUM_ORDER_LISTS":
      return { filterType, maxNumOrderLists: num(o, "maxNumOrderLists", path) };
    case "MAX_ASSET":
      return { filterType, asset: str(o, "asset", path), limit: dec(o, "limit", path) };
    default:
      return { filterType: "UNRECOGNISED", rawFilterType: filterType, raw: o };
  }
}

function parseFilters(value: unknown, path: string): SymbolFilter[] {
  return asArray(value, path).map((f, i) => parseFilter(f, `${path}[${i}]`));
}

export function parseSymbolInfo(value: unknown, path: string): SymbolInfo {
  const o = asObject(value, path);
  return {
    symbol: str(o, "symbol", path),
    status: str(o, "status", path),
    baseAsset: str(o, "baseAsset", path),
    baseAssetPrecision: num(o, "baseAssetPrecision", path),
    quoteAsset: str(o, "quoteAsset", path),
    quotePrecision: num(o, "quotePrecision", path),
    quoteAssetPrecision: num(o, "quoteAssetPrecision", path),
    baseCommissionPrecision: num(o, "baseCommissionPrecision", path),
    quoteCommissionPrecision: num(o, "quoteCommissionPrecision", path),
    orderTypes: strArray(o, "orderTypes", path),
    icebergAllowed: bool(o, "icebergAllowed", path),
    ocoAllowed: bool(o, "ocoAllowed", path),
    quoteOrderQtyMarketAllowed: bool(o, "quoteOrderQtyMarketAllowed", path),
    allowTrailingStop: bool(o, "allowTrailingStop", path),
    cancelReplaceAllowed: bool(o, "cancelReplaceAllowed", path),
    amendAllowed: optBool(o, "amendAllowed", path) ?? false,
    isSpotTradingAllowed: bool(o, "isSpotTradingAllowed", path),
    isMarginTradingAllowed: bool(o, "isMarginTradingAllowed", path),
    filters: parseFilters(o.filters, `${path}.filters`),
    permissionSets:
      o.permissionSets === undefined
        ? []
        : asArray(o.permissionSets, `${path}.permissionSets`).map((set, i) =>
            strArray({ set }, "set", `${path}.permissionSets[${i}]`),
          ),
    defaultSelfTradePreventionMode: optStr(o, "defaultSelfTradePreventionMode", path) ?? "NONE",
    allowedSelfTradePreventionModes:
      o.allowedSelfTradePreventionModes === undefined ? [] : strArray(o, "allowedSelfTradePreventionModes", path),
  };
}

export function parseExchangeInfo(value: unknown, path = "exchangeInfo"): ExchangeInfo {
  const o = asObject(value, path);
  return {
    timezone: str(o, "timezone", path),
    serverTime: num(o, "serverTime", path),
    rateLimits: parseRateLimits(o.rateLimits, `${path}.rateLimits`),
    exchangeFilters: parseFilters(o.exchangeFilters ?? [], `${path}.exchangeFilters`),
    symbols: asArray(o.symbols, `${path}.symbols`).map((s, i) => parseSymbolInfo(s, `${path}.symbols[${i}]`)),
  };
}
