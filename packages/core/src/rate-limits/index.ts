export {
  RateLimitBudget,
  usageFromHeaders,
  intervalMs,
  BINANCE_SPOT_IP_LIMITS,
  BINANCE_SPOT_ACCOUNT_LIMITS,
  type RateLimitType,
  type RateLimitInterval,
  type RateLimitRule,
  type RateLimitUsage,
  type RequestCost,
  type BudgetDecision,
  type BudgetSettings,
} from "./budget";
