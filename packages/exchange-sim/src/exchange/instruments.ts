import type Decimal from "decimal.js";

import { Dec, formatUnits, powerOfTenDecimals } from "./num";
import type { SymbolFilter, SymbolInfo } from "./venue";

interface SymbolSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  maxQty: string;
  marketMaxQty: string;
}

// Shaped like the real BTCUSDT definition (data/binance/basana_..._exchange_info) with today's NOTIONAL filter.
function symbolInfo(spec: SymbolSpec): SymbolInfo {
  return {
    symbol: spec.symbol,
    status: "TRADING",
    baseAsset: spec.baseAsset,
    baseAssetPrecision: 8,
    quoteAsset: spec.quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ["LIMIT", "LIMIT_MAKER", "MARKET"],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    opoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    pegInstructionsAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: "PRICE_FILTER", minPrice: spec.tickSize, maxPrice: "1000000.00000000", tickSize: spec.tickSize },
      { filterType: "LOT_SIZE", minQty: spec.minQty, maxQty: spec.maxQty, stepSize: spec.stepSize },
      { filterType: "ICEBERG_PARTS", limit: 10 },
      { filterType: "MARKET_LOT_SIZE", minQty: "0.00000000", maxQty: spec.marketMaxQty, stepSize: "0.00000000" },
      {
        filterType: "TRAILING_DELTA",
        minTrailingAboveDelta: 10,
        maxTrailingAboveDelta: 2000,
        minTrailingBelowDelta: 10,
        maxTrailingBelowDelta: 2000,
      },
      {
        filterType: "PERCENT_PRICE_BY_SIDE",
        bidMultiplierUp: "5",
        bidMultiplierDown: "0.2",
        askMultiplierUp: "5",
        askMultiplierDown: "0.2",
        avgPriceMins: 5,
      },
      {
        filterType: "NOTIONAL",
        minNotional: "5.00000000",
        applyMinToMarket: true,
        maxNotional: "9000000.00000000",
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: "MAX_NUM_ORDERS", maxNumOrders: 200 },
      { filterType: "MAX_NUM_ALGO_ORDERS", maxNumAlgoOrders: 5 },
      { filterType: "MAX_NUM_ORDER_AMENDS", maxNumOrderAmends: 10 },
      { filterType: "MAX_NUM_ORDER_LISTS", maxNumOrderLists: 20 },
    ],
    permissions: [],
    permissionSets: [["SPOT"]],
    defaultSelfTradePreventionMode: "NONE",
    allowedSelfTradePreventionModes: ["NONE"],
  };
}

export function defaultSymbols(): SymbolInfo[] {
  return [
    symbolInfo({
      symbol: "BTCUSDT",
      baseAsset: "BTC",
      quoteAsset: "USDT",
      tickSize: "0.01000000",
      stepSize: "0.00001000",
      minQty: "0.00001000",
      maxQty: "9000.00000000",
      marketMaxQty: "120.00000000",
    }),
    symbolInfo({
      symbol: "ETHUSDT",
      baseAsset: "ETH",
      quoteAsset: "USDT",
      tickSize: "0.01000000",
      stepSize: "0.00010000",
      minQty: "0.00010000",
      maxQty: "9000.00000000",
      marketMaxQty: "2500.00000000",
    }),
    symbolInfo({
      symbol: "BNBUSDT",
      baseAsset: "BNB",
      quoteAsset: "USDT",
      tickSize: "0.01000000",
      stepSize: "0.00100000",
      minQty: "0.00100000",
      maxQty: "9000.00000000",
      marketMaxQty: "8000.00000000",
    }),
  ];
}

type FilterOf<T extends SymbolFilter["filterType"]> = Extract<SymbolFilter, { filterType: T }>;

/** A symbol's definition with its filters parsed once, for validation and tick arithmetic. */
export class Instrument {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: Decimal;
  /** k when the tick size is 10^-k, else undefined. */
  private readonly tickDecimals: number | undefined;
  readonly priceDecimals = 8;
  readonly qtyDecimals = 8;

  constructor(readonly info: SymbolInfo) {
    this.symbol = info.symbol;
    this.baseAsset = info.baseAsset;
    this.quoteAsset = info.quoteAsset;
    const priceFilter = this.filter("PRICE_FILTER");
    this.tickSize = new Dec(priceFilter?.tickSize ?? "0.00000001");
    if (this.tickSize.lte(0)) this.tickSize = new Dec("0.00000001");
    this.tickDecimals = powerOfTenDecimals(this.tickSize);
  }

  filter<T extends SymbolFilter["filterType"]>(type: T): FilterOf<T> | undefined {
    return this.info.filters.find((f): f is FilterOf<T> => f.filterType === type);
  }

  /** The integer tick index of a price, used as the book's sort key. Prices off tick round to nearest. */
  tickOf(price: Decimal): number {
    return price.div(this.tickSize).toDecimalPlaces(0).toNumber();
  }

  /** `tickOf` for a decimal string, without building a Decimal when the tick is a power of ten (the hot path
   * of replayed and synthetic book updates). */
  tickOfString(price: string): number {
    const decimals = this.tickDecimals;
    if (decimals !== undefined) {
      const dot = price.indexOf(".");
      const whole = dot < 0 ? price : price.slice(0, dot);
      const frac = dot < 0 ? "" : price.slice(dot + 1);
      const rest = frac.slice(decimals);
      if (/^0*$/.test(rest) && whole.length + decimals <= 15) {
        return Number(whole + frac.slice(0, decimals).padEnd(decimals, "0"));
      }
    }
    return this.tickOf(new Dec(price));
  }

  priceOfTick(tick: number): Decimal {
    return this.tickSize.mul(tick);
  }

  /** The price of a tick as Binance prints it ("61837.64000000"). */
  formatTick(tick: number): string {
    if (this.tickDecimals !== undefined && Number.isSafeInteger(tick) && tick >= 0) {
      return formatUnits(tick, this.tickDecimals);
    }
    return this.priceOfTick(tick).toFixed(8);
  }
}
