import type { FilterOf, FilterType, SymbolFilter } from "./types";

/** The symbol's filter of one type, typed by it (`findFilter(info.filters, "PRICE_FILTER")?.tickSize`). */
export function findFilter<T extends FilterType>(filters: readonly SymbolFilter[], type: T): FilterOf<T> | undefined {
  return filters.find((f): f is FilterOf<T> => f.filterType === type);
}
