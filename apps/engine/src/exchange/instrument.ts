// The exchange client's parsed symbol (decimal.js values) as core's Instrument input (decimal strings).
import type { SymbolInfo } from "@bandkeeper/binance";
import { Decimal, buildInstrument, type ExchangeFilterInput, type Instrument } from "@bandkeeper/core";

export function instrumentFromSymbol(info: SymbolInfo): Instrument {
  const filters: ExchangeFilterInput[] = info.filters.map((filter) =>
    Object.fromEntries(Object.entries(filter).map(([key, value]) => [key, Decimal.isDecimal(value) ? value.toFixed() : value])) as ExchangeFilterInput,
  );
  return buildInstrument({ symbol: info.symbol, status: info.status, baseAsset: info.baseAsset, quoteAsset: info.quoteAsset, filters });
}
