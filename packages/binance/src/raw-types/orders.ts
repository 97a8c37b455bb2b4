// Orders, balances and trades as the signed REST endpoints (and the WebSocket API) answer them.

import type { RawApiErrorBody } from "./streams";

export interface RawOrderAck {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  transactTime: number;
}

export interface RawOrderResult extends RawOrderAck {
  price: string;
  origQty: string;
  executedQty: string;
  origQuoteOrderQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  workingTime: number;
  selfTradePreventionMode: string;
}

export interface RawFill {
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string;
  tradeId: number;
}

export interface RawOrderFull extends RawOrderResult {
  fills: RawFill[];
}

export interface RawCanceledOrder {
  symbol: string;
  origClientOrderId: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  transactTime: number;
  price: string;
  origQty: string;
  executedQty: string;
  origQuoteOrderQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  selfTradePreventionMode: string;
}

export interface RawQueriedOrder {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  stopPrice?: string;
  icebergQty?: string;
  time: number;
  updateTime: number;
  isWorking: boolean;
  workingTime: number;
  origQuoteOrderQty: string;
  selfTradePreventionMode: string;
}

export interface RawCancelReplace {
  cancelResult: "SUCCESS" | "FAILURE" | "NOT_ATTEMPTED";
  newOrderResult: "SUCCESS" | "FAILURE" | "NOT_ATTEMPTED";
  cancelResponse: RawCanceledOrder | RawApiErrorBody | null;
  newOrderResponse: RawOrderAck | RawOrderResult | RawOrderFull | RawApiErrorBody | null;
}

/** PUT /api/v3/order/amend/keepPriority; the order's field names differ from other order responses. */
export interface RawAmendKeepPriority {
  transactTime: number;
  executionId: number;
  amendedOrder: RawAmendedOrder;
}

export interface RawAmendedOrder {
  symbol: string;
  orderId: number;
  orderListId: number;
  origClientOrderId: string;
  clientOrderId: string;
  price: string;
  qty: string;
  executedQty: string;
  preventedQty: string;
  quoteOrderQty: string;
  cumulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  workingTime: number;
  selfTradePreventionMode: string;
}

export interface RawBalance {
  asset: string;
  free: string;
  locked: string;
}

export interface RawAccount {
  makerCommission: number;
  takerCommission: number;
  buyerCommission: number;
  sellerCommission: number;
  commissionRates: { maker: string; taker: string; buyer: string; seller: string };
  canTrade: boolean;
  canWithdraw: boolean;
  canDeposit: boolean;
  brokered: boolean;
  requireSelfTradePrevention: boolean;
  preventSor: boolean;
  updateTime: number;
  accountType: string;
  balances: RawBalance[];
  permissions: string[];
  uid: number;
}

export interface RawMyTrade {
  symbol: string;
  id: number;
  orderId: number;
  orderListId: number;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
  isBestMatch: boolean;
}
