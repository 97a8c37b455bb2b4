export type { BookDepth, BookLevel, BookTop, FeedStatus, MarketTrade } from "./market-data";
export {
  ReferencePriceEngine,
  type ReferencePrice,
  type ReferencePriceSettings,
  type ReferenceUnavailable,
} from "./reference-price";
