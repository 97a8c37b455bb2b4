// Market stream events and user data events.
import type Decimal from "decimal.js";
import type { PriceLevel } from "./market";
import type { Balance, ExecutionType, OrderSide, OrderStatus, OrderType } from "./orders";

/** Market stream events. */
export interface TradeEvent {
  eventType: "trade";
  eventTime: number;
  symbol: string;
  tradeId: number;
  price: Decimal;
  qty: Decimal;
  tradeTime: number;
  isBuyerMaker: boolean;
}

export interface BookTickerEvent {
  eventType: "bookTicker";
  /** Shares the id space of depthUpdate's U/u. */
  updateId: number;
  symbol: string;
  bidPrice: Decimal;
  bidQty: Decimal;
  askPrice: Decimal;
  askQty: Decimal;
}

export interface DepthUpdateEvent {
  eventType: "depthUpdate";
  eventTime: number;
  symbol: string;
  firstUpdateId: number;
  finalUpdateId: number;
  bids: PriceLevel[];
  asks: PriceLevel[];
}

export interface ServerShutdownEvent {
  eventType: "serverShutdown";
  eventTime: number;
}

export type MarketEvent = TradeEvent | BookTickerEvent | DepthUpdateEvent;

/** User data events (ws-api `userDataStream.subscribe.signature`). */
export interface ExecutionReport {
  eventType: "executionReport";
  eventTime: number;
  symbol: string;
  clientOrderId: string;
  side: OrderSide;
  orderType: OrderType;
  timeInForce: string;
  quantity: Decimal;
  price: Decimal;
  stopPrice: Decimal;
  icebergQty: Decimal;
  orderListId: number;
  /** Set on cancels: the canceled order's client id (the `c` field is then the cancel's id). */
  originalClientOrderId: string;
  executionType: ExecutionType;
  orderStatus: OrderStatus;
  rejectReason: string;
  orderId: number;
  lastExecutedQty: Decimal;
  cumulativeFilledQty: Decimal;
  lastExecutedPrice: Decimal;
  commission: Decimal;
  commissionAsset: string | null;
  transactionTime: number;
  tradeId: number;
  executionId: number;
  isWorking: boolean;
  isMaker: boolean;
  orderCreationTime: number;
  cumulativeQuoteQty: Decimal;
  lastQuoteQty: Decimal;
  quoteOrderQty: Decimal;
  workingTime?: number;
  selfTradePreventionMode: string;
  preventedMatchId?: number;
  expiryReason?: string;
}

export interface AccountPositionUpdate {
  eventType: "outboundAccountPosition";
  eventTime: number;
  lastUpdateTime: number;
  balances: Balance[];
}

export interface BalanceUpdate {
  eventType: "balanceUpdate";
  eventTime: number;
  asset: string;
  delta: Decimal;
  clearTime: number;
}

export interface EventStreamTerminated {
  eventType: "eventStreamTerminated";
  eventTime: number;
}

/** An event type this client does not model (listStatus, externalLockUpdate, ...), passed through raw. */
export interface OtherUserDataEvent {
  eventType: "other";
  rawEventType: string;
  raw: Record<string, unknown>;
}

export type UserDataEvent =
  | ExecutionReport
  | AccountPositionUpdate
  | BalanceUpdate
  | EventStreamTerminated
  | OtherUserDataEvent;
