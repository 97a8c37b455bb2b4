export {
  RateLimitBudget,
  intervalMs,
  BINANCE_SPOT_IP_LIMITS,
  BINANCE_SPOT_ACCOUNT_LIMITS,
  type RateLimitType,
  type RateLimitInterval,
  type RateLimitRule,
  type RateLimitUsage,
  type RateLimitBan,
  type RequestCost,
  type BudgetDecision,
  type BudgetSettings,
} from "./budget";
export {
  AccountRequestBudget,
  ACCOUNT_REQUEST_COSTS,
  REQUOTE_SHARE,
  createIpBudget,
  type AccountRequest,
  type RequestBudgetUsage,
} from "./order-charges";
export { FairOrderShares, type OrderWindow } from "./fair-share";
