// Exchange information: rate limit rules, symbols and their filters.
import type Decimal from "decimal.js";

export interface RateLimitRule {
  rateLimitType: string;
  interval: string;
  intervalNum: number;
  limit: number;
  /** Present in WebSocket API responses: usage in the current window. */
  count?: number;
}

export type SymbolFilter =
  | { filterType: "PRICE_FILTER"; minPrice: Decimal; maxPrice: Decimal; tickSize: Decimal }
  | { filterType: "LOT_SIZE"; minQty: Decimal; maxQty: Decimal; stepSize: Decimal }
  | { filterType: "MARKET_LOT_SIZE"; minQty: Decimal; maxQty: Decimal; stepSize: Decimal }
  | {
      filterType: "NOTIONAL";
      minNotional: Decimal;
      applyMinToMarket: boolean;
      maxNotional: Decimal;
      applyMaxToMarket: boolean;
      avgPriceMins: number;
    }
  | { filterType: "MIN_NOTIONAL"; minNotional: Decimal; applyToMarket: boolean; avgPriceMins: number }
  | { filterType: "PERCENT_PRICE"; multiplierUp: Decimal; multiplierDown: Decimal; avgPriceMins: number }
  | {
      filterType: "PERCENT_PRICE_BY_SIDE";
      bidMultiplierUp: Decimal;
      bidMultiplierDown: Decimal;
      askMultiplierUp: Decimal;
      askMultiplierDown: Decimal;
      avgPriceMins: number;
    }
  | { filterType: "ICEBERG_PARTS"; limit: number }
  | {
      filterType: "TRAILING_DELTA";
      minTrailingAboveDelta: number;
      maxTrailingAboveDelta: number;
      minTrailingBelowDelta: number;
      maxTrailingBelowDelta: number;
    }
  | { filterType: "MAX_NUM_ORDERS"; maxNumOrders: number }
  | { filterType: "MAX_NUM_ALGO_ORDERS"; maxNumAlgoOrders: number }
  | { filterType: "MAX_NUM_ICEBERG_ORDERS"; maxNumIcebergOrders: number }
  | { filterType: "MAX_POSITION"; maxPosition: Decimal }
  | { filterType: "MAX_NUM_ORDER_AMENDS"; maxNumOrderAmends: number }
  | { filterType: "MAX_NUM_ORDER_LISTS"; maxNumOrderLists: number }
  | { filterType: "EXCHANGE_MAX_NUM_ORDERS"; maxNumOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ALGO_ORDERS"; maxNumAlgoOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ICEBERG_ORDERS"; maxNumIcebergOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ORDER_LISTS"; maxNumOrderLists: number }
  | { filterType: "MAX_ASSET"; asset: string; limit: Decimal }
  /** A filter type this client does not know yet; kept so nothing is silently lost. */
  | { filterType: "UNRECOGNISED"; rawFilterType: string; raw: Record<string, unknown> };

export type FilterType = SymbolFilter["filterType"];
export type FilterOf<T extends FilterType> = Extract<SymbolFilter, { filterType: T }>;

export interface SymbolInfo {
  symbol: string;
  status: string;
  baseAsset: string;
  baseAssetPrecision: number;
  quoteAsset: string;
  quotePrecision: number;
  quoteAssetPrecision: number;
  baseCommissionPrecision: number;
  quoteCommissionPrecision: number;
  orderTypes: string[];
  icebergAllowed: boolean;
  ocoAllowed: boolean;
  quoteOrderQtyMarketAllowed: boolean;
  allowTrailingStop: boolean;
  cancelReplaceAllowed: boolean;
  amendAllowed: boolean;
  isSpotTradingAllowed: boolean;
  isMarginTradingAllowed: boolean;
  filters: SymbolFilter[];
  permissionSets: string[][];
  defaultSelfTradePreventionMode: string;
  allowedSelfTradePreventionModes: string[];
}

export interface ExchangeInfo {
  timezone: string;
  serverTime: number;
  rateLimits: RateLimitRule[];
  exchangeFilters: SymbolFilter[];
  symbols: SymbolInfo[];
}
