// Why a side carries no quote, and what risk allows: one vocabulary for the quote policy, risk and the dashboard.
import type { Side } from "./side";

/** Every reason a side carries no quote; the dashboard shows these by name. */
export const NOT_QUOTED_STATES = [
  "NO_REFERENCE",
  "STALE_MARKET_DATA",
  "CROSSED_BOOK",
  "SYMBOL_NOT_TRADING",
  "RISK_PAUSED",
  "INSUFFICIENT_BALANCE",
  "POSITION_LIMIT",
  "SWEEP_PULLED",
  "BAND_UNREACHABLE",
  "FILTER_REJECTED",
] as const;
export type NotQuotedState = (typeof NOT_QUOTED_STATES)[number];

export interface SideBlock {
  readonly state: NotQuotedState;
  readonly reason: string;
}

/** What risk allows: sides it blocks and extra distance it asks for (fraction, still capped inside the band). */
export interface QuoteRestrictions {
  readonly blocked?: Partial<Record<Side, SideBlock>>;
  readonly extraWiden?: number;
}
