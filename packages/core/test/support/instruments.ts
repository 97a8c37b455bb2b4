import { buildInstrument, type ExchangeFilterInput, type Instrument } from "../../src/money";

/** BTCUSDT-like filters as exchangeInfo reports them; overrides replace whole filters by type. */
export function btcusdt(overrides: readonly ExchangeFilterInput[] = [], status = "TRADING"): Instrument {
  const filters: ExchangeFilterInput[] = [
    { filterType: "PRICE_FILTER", minPrice: "0.01000000", maxPrice: "1000000.00000000", tickSize: "0.01000000" },
    { filterType: "LOT_SIZE", minQty: "0.00001000", maxQty: "9000.00000000", stepSize: "0.00001000" },
    { filterType: "ICEBERG_PARTS", limit: 10 },
    {
      filterType: "NOTIONAL",
      minNotional: "5.00000000",
      applyMinToMarket: true,
      maxNotional: "9000000.00000000",
      applyMaxToMarket: false,
      avgPriceMins: 5,
    },
    {
      filterType: "PERCENT_PRICE_BY_SIDE",
      bidMultiplierUp: "5",
      bidMultiplierDown: "0.2",
      askMultiplierUp: "5",
      askMultiplierDown: "0.2",
      avgPriceMins: 5,
    },
    { filterType: "MAX_NUM_ORDERS", maxNumOrders: 200 },
  ];
  const merged = filters.map((f) => overrides.find((o) => o.filterType === f.filterType) ?? f);
  return buildInstrument({ symbol: "BTCUSDT", status, baseAsset: "BTC", quoteAsset: "USDT", filters: merged });
}
