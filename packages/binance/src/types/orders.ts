// Orders and what the exchange answers about them, the account, its balances and trades.
import type Decimal from "decimal.js";

export type OrderSide = "BUY" | "SELL";
export type OrderType =
  | "LIMIT"
  | "LIMIT_MAKER"
  | "MARKET"
  | "STOP_LOSS"
  | "STOP_LOSS_LIMIT"
  | "TAKE_PROFIT"
  | "TAKE_PROFIT_LIMIT";
export type TimeInForce = "GTC" | "IOC" | "FOK";
export type OrderStatus =
  | "NEW"
  | "PENDING_NEW"
  | "PARTIALLY_FILLED"
  | "FILLED"
  | "CANCELED"
  | "PENDING_CANCEL"
  | "REJECTED"
  | "EXPIRED"
  | "EXPIRED_IN_MATCH";
export type ExecutionType = "NEW" | "CANCELED" | "REPLACED" | "REJECTED" | "TRADE" | "EXPIRED" | "TRADE_PREVENTION";
export type NewOrderResponseType = "ACK" | "RESULT" | "FULL";

export interface OrderAck {
  kind: "ACK";
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  transactTime: number;
}

export interface OrderResult extends Omit<OrderAck, "kind"> {
  kind: "RESULT";
  price: Decimal;
  origQty: Decimal;
  executedQty: Decimal;
  origQuoteOrderQty: Decimal;
  cumulativeQuoteQty: Decimal;
  status: OrderStatus;
  timeInForce: string;
  type: OrderType;
  side: OrderSide;
  workingTime?: number;
  selfTradePreventionMode: string;
}

export interface OrderFill {
  price: Decimal;
  qty: Decimal;
  commission: Decimal;
  commissionAsset: string;
  tradeId: number;
}

export interface OrderFull extends Omit<OrderResult, "kind"> {
  kind: "FULL";
  fills: OrderFill[];
}

/** What POST /api/v3/order (and ws-api order.place) returns, by newOrderRespType. */
export type NewOrderResponse = OrderAck | OrderResult | OrderFull;

export interface CanceledOrder {
  symbol: string;
  /** The canceled order's client id. */
  origClientOrderId: string;
  orderId: number;
  orderListId: number;
  /** The cancel request's own client id. */
  clientOrderId: string;
  transactTime: number;
  price: Decimal;
  origQty: Decimal;
  executedQty: Decimal;
  origQuoteOrderQty: Decimal;
  cumulativeQuoteQty: Decimal;
  status: OrderStatus;
  timeInForce: string;
  type: OrderType;
  side: OrderSide;
  selfTradePreventionMode: string;
}

export interface CanceledOrderList {
  orderListId: number;
  contingencyType: string;
  listStatusType: string;
  listOrderStatus: string;
  listClientOrderId: string;
  transactionTime: number;
  symbol: string;
  orderReports: CanceledOrder[];
}

export interface QueriedOrder {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  price: Decimal;
  origQty: Decimal;
  executedQty: Decimal;
  cumulativeQuoteQty: Decimal;
  status: OrderStatus;
  timeInForce: string;
  type: OrderType;
  side: OrderSide;
  stopPrice?: Decimal;
  icebergQty?: Decimal;
  time: number;
  updateTime: number;
  isWorking: boolean;
  workingTime?: number;
  origQuoteOrderQty: Decimal;
  selfTradePreventionMode: string;
}

export interface ApiErrorBody {
  code: number;
  msg: string;
}

/**
 * cancelReplace outcome. Binance answers 200 (both parts succeeded), 409 -2021 (exactly one failed) or
 * 400 -2022 (cancel failed); all three carry this structure, so it is a result, not an exception.
 */
export interface CancelReplaceOutcome {
  httpStatus: number;
  /** -2021 or -2022 when not a full success. */
  error?: ApiErrorBody;
  cancelResult: "SUCCESS" | "FAILURE" | "NOT_ATTEMPTED";
  newOrderResult: "SUCCESS" | "FAILURE" | "NOT_ATTEMPTED";
  cancelResponse: CanceledOrder | ApiErrorBody | null;
  newOrderResponse: NewOrderResponse | ApiErrorBody | null;
}

export interface Balance {
  asset: string;
  free: Decimal;
  locked: Decimal;
}

export interface Account {
  makerCommission: number;
  takerCommission: number;
  commissionRates: { maker: Decimal; taker: Decimal; buyer: Decimal; seller: Decimal };
  canTrade: boolean;
  canWithdraw: boolean;
  canDeposit: boolean;
  requireSelfTradePrevention: boolean;
  updateTime: number;
  accountType: string;
  balances: Balance[];
  permissions: string[];
  uid?: number;
}

export interface AccountTrade {
  symbol: string;
  id: number;
  orderId: number;
  orderListId: number;
  price: Decimal;
  qty: Decimal;
  quoteQty: Decimal;
  commission: Decimal;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
  isBestMatch: boolean;
}
