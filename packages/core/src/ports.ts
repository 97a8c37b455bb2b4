/**
 * The interfaces core needs from the outside world. The Binance client and the simulator implement them (through
 * an adapter in the engine); core never imports either. Everything crossing these ports is already domain-typed:
 * decimals parsed from the exchange's strings, times on the injected clock.
 */
import type { Decimal } from "./money/decimal";
import type { InstrumentInput } from "./money/instrument";
import type { OrderEvent, ReportedStatus } from "./orders/order";
import type { BookTop, MarketTrade } from "./pricing/market-data";
import type { AssetBalance } from "./risk/risk-rules";
import type { RateLimitUsage } from "./rate-limits/budget";
import type { Side } from "./side";

export interface Subscription {
  close(): Promise<void>;
}

export type FeedStatus =
  | { readonly state: "CONNECTING" }
  | { readonly state: "LIVE" }
  /** The local book is being rebuilt after a sequence gap; tops may be missing meanwhile. */
  | { readonly state: "RESYNCING"; readonly reason: string }
  | { readonly state: "DISCONNECTED"; readonly reason: string };

export interface PublicTrade extends MarketTrade {
  readonly tradeId: string;
  /** The exchange's trade time (epoch ms); `time` is the local receive time. */
  readonly exchangeTime: number;
}

export interface MarketDataHandlers {
  onTrade(trade: PublicTrade): void;
  onBookTop(top: BookTop): void;
  onStatus(status: FeedStatus): void;
}

export interface MarketDataPort {
  subscribe(symbol: string, handlers: MarketDataHandlers): Subscription;
}

/** Every order Bandkeeper sends is post-only (LIMIT_MAKER). */
export interface PlaceOrderCommand {
  readonly symbol: string;
  readonly side: Side;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly clientOrderId: string;
}

export interface CancelOrderCommand {
  readonly symbol: string;
  readonly clientOrderId: string;
}

/** What a query or the open-orders list says about one order, for reconciliation. */
export interface OrderSnapshot {
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly exchangeOrderId: string;
  readonly side: Side;
  readonly price: Decimal;
  readonly origQty: Decimal;
  readonly executedQty: Decimal;
  readonly status: ReportedStatus;
}

/**
 * Outcomes are OrderEvents for the order's state machine: ACKNOWLEDGED (with any immediate fills as FILL events
 * after it), REJECTED, or OUTCOME_UNKNOWN for timeouts and 5xx. Implementations never throw for exchange
 * answers; they throw only for programming errors. `usage` carries the rate-limit counts the response reported.
 */
export interface ExecutionOutcome {
  readonly events: readonly OrderEvent[];
  readonly usage: readonly RateLimitUsage[];
  /** Set on 429/418: nothing may be sent before this epoch-ms time. */
  readonly retryAt?: number;
}

export interface UserDataHandlers {
  /** An execution report mapped to the order's event (clientOrderId is the original order's id on cancels). */
  onOrderEvent(clientOrderId: string, event: OrderEvent): void;
  onBalances(balances: ReadonlyMap<string, AssetBalance>, time: number): void;
  onStatus(status: FeedStatus): void;
}

export interface ExecutionPort {
  placeOrder(command: PlaceOrderCommand): Promise<ExecutionOutcome>;
  cancelOrder(command: CancelOrderCommand): Promise<ExecutionOutcome>;
  /** Cancels every open order of the symbol (emergency stop, shutdown). */
  cancelAll(symbol: string): Promise<ExecutionOutcome>;
  /** null when the exchange does not know the clientOrderId (-2013). */
  queryOrder(symbol: string, clientOrderId: string): Promise<OrderSnapshot | null>;
  openOrders(symbol: string): Promise<readonly OrderSnapshot[]>;
  balances(): Promise<ReadonlyMap<string, AssetBalance>>;
  instrument(symbol: string): Promise<InstrumentInput>;
  subscribeUserData(handlers: UserDataHandlers): Subscription;
}
