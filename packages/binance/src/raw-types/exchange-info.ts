// GET /api/v3/exchangeInfo: rate limits, symbols and their filters.

export interface RawRateLimit {
  rateLimitType: "REQUEST_WEIGHT" | "ORDERS" | "RAW_REQUESTS" | "CONNECTIONS";
  interval: "SECOND" | "MINUTE" | "HOUR" | "DAY";
  intervalNum: number;
  limit: number;
  count?: number;
}

export interface RawFilter {
  filterType: string;
  [field: string]: string | number | boolean;
}

/** The symbol filters Binance documents, each with its fields (RawFilter is the loose form any of them fits). */
export type RawSymbolFilter =
  | { filterType: "PRICE_FILTER"; minPrice: string; maxPrice: string; tickSize: string }
  | { filterType: "LOT_SIZE"; minQty: string; maxQty: string; stepSize: string }
  | { filterType: "MARKET_LOT_SIZE"; minQty: string; maxQty: string; stepSize: string }
  | { filterType: "ICEBERG_PARTS"; limit: number }
  | {
      filterType: "TRAILING_DELTA";
      minTrailingAboveDelta: number;
      maxTrailingAboveDelta: number;
      minTrailingBelowDelta: number;
      maxTrailingBelowDelta: number;
    }
  | {
      filterType: "PERCENT_PRICE_BY_SIDE";
      bidMultiplierUp: string;
      bidMultiplierDown: string;
      askMultiplierUp: string;
      askMultiplierDown: string;
      avgPriceMins: number;
    }
  | { filterType: "PERCENT_PRICE"; multiplierUp: string; multiplierDown: string; avgPriceMins: number }
  | {
      filterType: "NOTIONAL";
      minNotional: string;
      applyMinToMarket: boolean;
      maxNotional: string;
      applyMaxToMarket: boolean;
      avgPriceMins: number;
    }
  | { filterType: "MIN_NOTIONAL"; minNotional: string; applyToMarket: boolean; avgPriceMins: number }
  | { filterType: "MAX_NUM_ORDERS"; maxNumOrders: number }
  | { filterType: "MAX_NUM_ALGO_ORDERS"; maxNumAlgoOrders: number }
  | { filterType: "MAX_NUM_ICEBERG_ORDERS"; maxNumIcebergOrders: number }
  | { filterType: "MAX_POSITION"; maxPosition: string }
  | { filterType: "MAX_NUM_ORDER_AMENDS"; maxNumOrderAmends: number }
  | { filterType: "MAX_NUM_ORDER_LISTS"; maxNumOrderLists: number };

export type RawExchangeFilter =
  | { filterType: "EXCHANGE_MAX_NUM_ORDERS"; maxNumOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ALGO_ORDERS"; maxNumAlgoOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ICEBERG_ORDERS"; maxNumIcebergOrders: number }
  | { filterType: "EXCHANGE_MAX_NUM_ORDER_LISTS"; maxNumOrderLists: number };

export type RawSelfTradePreventionMode = "NONE" | "EXPIRE_TAKER" | "EXPIRE_MAKER" | "EXPIRE_BOTH" | "DECREMENT";

export interface RawSymbolInfo {
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
  otoAllowed?: boolean;
  opoAllowed?: boolean;
  quoteOrderQtyMarketAllowed: boolean;
  allowTrailingStop: boolean;
  cancelReplaceAllowed: boolean;
  amendAllowed?: boolean;
  pegInstructionsAllowed?: boolean;
  isSpotTradingAllowed: boolean;
  isMarginTradingAllowed: boolean;
  filters: RawFilter[];
  permissions: string[];
  permissionSets?: string[][];
  defaultSelfTradePreventionMode: string;
  allowedSelfTradePreventionModes: string[];
}

export interface RawExchangeInfo {
  timezone: string;
  serverTime: number;
  rateLimits: RawRateLimit[];
  exchangeFilters: RawFilter[];
  symbols: RawSymbolInfo[];
}
