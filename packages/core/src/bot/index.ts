export { Bot, type BotIdentity, type ExchangeOpenOrder, type ExecutionUpdate } from "./bot";
export type {
  BalancePort,
  Balances,
  BotDecision,
  BotLogEntry,
  BotPorts,
  BotSink,
  BotState,
  ExecutionPort,
  ExecutionReplies,
  OrderBudget,
  OrderPriority,
  OrderTradeReport,
  PlaceRequest,
} from "./ports";
export {
  SymbolMarket,
  marketViewSettings,
  privateViews,
  type DecisionViews,
  type MarketSnapshot,
  type MarketViewSettings,
} from "./symbol-market";
