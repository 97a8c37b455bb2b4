export {
  evaluateRisk,
  mostSevere,
  riskDecision,
  RISK_ACTION_SEVERITY,
  type RiskAction,
  type RiskActionKind,
  type RiskRule,
  type RiskSnapshot,
  type RiskLimits,
  type RiskDecision,
  type AssetBalance,
} from "./risk-rules";
export { SlidingCounter, PriceMoveWindow } from "./windows";
