export {
  QuotePolicy,
  NOT_QUOTED_STATES,
  type NotQuotedState,
  type SideBlock,
  type QuoteRestrictions,
  type QuoteInputs,
  type QuoteLevel,
  type SideQuote,
  type DesiredQuotes,
} from "./quote-policy";
export {
  planRequotes,
  planPeriodicRefresh,
  priorityOf,
  type OrderPriority,
  type WorkingOrderView,
  type RequoteAction,
  type RequoteReason,
  type PeriodicPlan,
} from "./requote";
export { VolatilityEstimator } from "./volatility";
export { ResponseGuard } from "./response-guard";
export { TradeActivityEstimator, type TradeActivity } from "./trade-activity";
export { SweepDetector, NO_SWEEP, type SweepSettings, type SweepSignal } from "./sweep-detector";
export { FillSignals, type FillSignalSettings } from "./fill-signals";
