// What a bot needs from the world, and what it tells the world. Live, simulator and replay differ only in the
// adapters behind these ports; the bot itself is one code path.
import type { BotConfig } from "../config";
import type { Decimal } from "../money";
import type { Fill, Order, ReportedStatus } from "../orders";
import type { Side } from "../side";
import type { Clock, IdGenerator } from "../time";
import type { OrderPriority } from "../quoting/requote";
import type { DecisionViews } from "./symbol-market";

export type { OrderPriority };

/** A post-only order the bot wants on the book. */
export interface PlaceRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: Decimal;
  readonly qty: Decimal;
}

/**
 * Order traffic to the exchange. Calls return at once; outcomes come back through the bot's `on…` methods, in the
 * order the exchange produced them. Requests are sent in call order on one channel, so a replacement placed
 * before a cancel reaches the book first.
 */
export interface ExecutionPort {
  place(request: PlaceRequest): void;
  cancel(symbol: string, clientOrderId: string): void;
  /** Asks for an order's status by client order id (resolves unknown outcomes, never places again). */
  query(symbol: string, clientOrderId: string): void;
  /** Asks for an order's trades (the exchange says it executed more than the fills we have). */
  fills(symbol: string, clientOrderId: string, exchangeOrderId: string): void;
}

/** One of an order's trades as the exchange's trade history reports it. */
export interface OrderTradeReport {
  readonly tradeId: string;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly commission: Decimal;
  readonly commissionAsset: string;
  readonly isMaker: boolean;
}

/** The outcomes an ExecutionPort reports back; the Bot implements them. */
export interface ExecutionReplies {
  onPlaceAcknowledged(clientOrderId: string, exchangeOrderId: string): void;
  onPlaceRejected(clientOrderId: string, code: number | null, message: string): void;
  onPlaceOutcomeUnknown(clientOrderId: string, message: string): void;
  onCancelAcknowledged(clientOrderId: string): void;
  onCancelRejected(clientOrderId: string, code: number | null, message: string): void;
  onOrderStatus(clientOrderId: string, status: { status: ReportedStatus; exchangeOrderId: string; executedQty?: Decimal } | "NOT_FOUND"): void;
  /** The answer to `ExecutionPort.fills`: every trade of the order so far. */
  onOrderTrades(clientOrderId: string, trades: readonly OrderTradeReport[]): void;
}

export interface Balances {
  readonly base: { readonly free: Decimal; readonly locked: Decimal };
  readonly quote: { readonly free: Decimal; readonly locked: Decimal };
}

/** The account's balances as the account's user-data stream last reported them. */
export interface BalancePort {
  balances(): Balances | null;
}

/**
 * Budgets shared by every bot on the account and IP; a denied request is not sent (and retried on a later event).
 * Cancels never count toward the exchange's order-count limits (only request weight), so a cancel of an order
 * that left the band goes out even when the new-order budget is spent.
 */
export interface OrderBudget {
  tryConsume(kind: "place" | "cancel", now: number, priority?: OrderPriority): boolean;
}

export type BotState = "STARTING" | "QUOTING" | "DEGRADED" | "HALTED" | "PAUSED" | "STOPPING" | "STOPPED" | "FAULTED";

/** One line of the bot's audit trail: every order request, acknowledgement, fill, cancel and reference change. */
export type BotLogEntry =
  | { readonly kind: "reference"; readonly time: number; readonly price: string | null; readonly state?: string }
  | { readonly kind: "market"; readonly time: number; readonly event: "trade" | "book"; readonly price?: string; readonly bid?: string; readonly ask?: string }
  | { readonly kind: "place"; readonly time: number; readonly clientOrderId: string; readonly side: Side; readonly price: string; readonly qty: string; readonly reason: string }
  | { readonly kind: "ack"; readonly time: number; readonly clientOrderId: string; readonly exchangeOrderId: string }
  | { readonly kind: "reject"; readonly time: number; readonly clientOrderId: string; readonly code: number | null; readonly message: string }
  | { readonly kind: "unknown"; readonly time: number; readonly clientOrderId: string; readonly message: string }
  | { readonly kind: "cancel"; readonly time: number; readonly clientOrderId: string; readonly reason: string }
  | { readonly kind: "canceled"; readonly time: number; readonly clientOrderId: string }
  | { readonly kind: "expired"; readonly time: number; readonly clientOrderId: string }
  | { readonly kind: "fill"; readonly time: number; readonly clientOrderId: string; readonly tradeId: string; readonly price: string; readonly qty: string }
  | { readonly kind: "state"; readonly time: number; readonly from: BotState; readonly to: BotState; readonly reason: string | null }
  /** The quote policy's target prices per side changed (the KPI drift check measures open orders against them). */
  | { readonly kind: "targets"; readonly time: number; readonly BUY: readonly string[]; readonly SELL: readonly string[] }
  /** A breach episode ended (KPI response latency): from `start` to `end`, both on the bot's clock, whole ms. */
  | { readonly kind: "episode"; readonly time: number; readonly start: number; readonly end: number }
  /** A new config in force from `time` (band, minNotional and the rest change what counts as valid). */
  | { readonly kind: "config"; readonly time: number; readonly config: BotConfig };

/**
 * One decision of the bot. `receivedAt` is the local receive time of the market event that prompted it (absent for
 * timer and order-event decisions); the `requests` it sent were written to the socket by `finishedAt`.
 */
export interface BotDecision {
  readonly receivedAt: number | undefined;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly requests: number;
}

/** Where a bot reports; the engine journals to Postgres, replay writes JSON lines. Must not block. */
export interface BotSink {
  /** When true the bot also logs every market event (the audit trail's latency evidence); costly, so opt-in. */
  readonly auditing?: boolean;
  order(order: Order): void;
  fill(fill: Fill, order: Order): void;
  state(from: BotState, to: BotState, reason: string | null, time: number): void;
  event(type: string, time: number, reason: string, data?: Record<string, unknown>): void;
  log(entry: BotLogEntry): void;
  /** Optional: called after each decision, for the decision-latency histograms. */
  decision?(decision: BotDecision): void;
}

export interface BotPorts {
  readonly clock: Clock;
  /** Market views and quote policies; a fleet shares them between bots of one symbol. Default: the bot's own. */
  readonly views?: DecisionViews;
  readonly ids: IdGenerator;
  readonly execution: ExecutionPort;
  readonly balances: BalancePort;
  readonly budget: OrderBudget;
  readonly sink: BotSink;
}

