// The records a bot's reports become on their way to Postgres, and the journal's unit of work: one entry, written
// (or refused) on its own when a batch has to be taken apart.
import type { Prisma } from "@bandkeeper/db/client";
import Decimal from "decimal.js";
import type { MarketSampleRecord } from "./market-recorder";

export type OrderSideValue = "BUY" | "SELL";

export interface OrderRecord {
  botId: string;
  exchangeAccountId: string;
  symbol: string;
  clientOrderId: string;
  exchangeOrderId?: string | undefined;
  side: OrderSideValue;
  type: "LIMIT" | "LIMIT_MAKER";
  price: string;
  quantity: string;
  executedQty: string;
  cumulativeQuoteQty: string;
  status: string;
  rejectReason?: string | undefined;
  placedAt: Date;
  ackAt?: Date | undefined;
  cancelRequestedAt?: Date | undefined;
  closedAt?: Date | undefined;
}

export interface FillRecord {
  botId: string | null;
  exchangeAccountId: string;
  symbol: string;
  clientOrderId: string | null;
  tradeId: string;
  exchangeOrderId: string;
  side: OrderSideValue;
  price: string;
  quantity: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  isMaker: boolean;
  time: Date;
}

export interface BotEventRecord {
  botId: string;
  time: Date;
  type: string;
  fromState?: string | undefined;
  toState?: string | undefined;
  reason?: string | undefined;
  data?: Prisma.InputJsonValue | undefined;
}

export interface BotStateRecord {
  botId: string;
  actualState: string;
  stateReason: string | null;
  at: Date;
}

/** Milliseconds and counts added to a bot's minute bucket; never percentages. */
export interface KpiDelta {
  botId: string;
  minute: Date;
  runningMs: number;
  compliantMs: number;
  twoSidedMs: number;
  depthMs: number;
  ordersPlaced: number;
  ordersDepthOk: number;
  ordersFilled: number;
  placedNotional: string;
  filledNotional: string;
  latencyCount: number;
  latencySumMs: number;
  latencyMaxMs: number;
  latencyHistogram: number[];
}

/** The engine's latest view of a bot's market (BotMarketSnapshot): only the newest per bot is written. */
export interface MarketSnapshotRecord {
  botId: string;
  referencePrice: string | null;
  bestBid: string | null;
  bestAsk: string | null;
  marketTime: Date | null;
  at: Date;
}

export interface ConfigAppliedRecord {
  configVersionId: string;
  at: Date;
}

/** One record of a batch, as written on its own when the batch is taken apart. */
export type JournalEntry =
  | { kind: "order"; record: OrderRecord }
  | { kind: "fill"; record: FillRecord }
  | { kind: "event"; record: BotEventRecord }
  | { kind: "state"; record: BotStateRecord }
  | { kind: "kpi"; record: KpiDelta }
  | { kind: "snapshot"; record: MarketSnapshotRecord }
  | { kind: "sample"; record: MarketSampleRecord }
  | { kind: "config"; record: ConfigAppliedRecord };

export type JournalEntryKind = JournalEntry["kind"];

/** An order's identity: ours, the account and our client order id (never the venue's order id). */
export function orderKey(order: { exchangeAccountId: string; clientOrderId: string }): string {
  return `${order.exchangeAccountId}/${order.clientOrderId}`;
}

export function addKpis(a: KpiDelta, b: KpiDelta): KpiDelta {
  const histogram = Array.from({ length: Math.max(a.latencyHistogram.length, b.latencyHistogram.length) }, (_, i) =>
    (a.latencyHistogram[i] ?? 0) + (b.latencyHistogram[i] ?? 0),
  );
  return {
    botId: a.botId,
    minute: a.minute,
    runningMs: a.runningMs + b.runningMs,
    compliantMs: a.compliantMs + b.compliantMs,
    twoSidedMs: a.twoSidedMs + b.twoSidedMs,
    depthMs: a.depthMs + b.depthMs,
    ordersPlaced: a.ordersPlaced + b.ordersPlaced,
    ordersDepthOk: a.ordersDepthOk + b.ordersDepthOk,
    ordersFilled: a.ordersFilled + b.ordersFilled,
    placedNotional: decimalSum(a.placedNotional, b.placedNotional),
    filledNotional: decimalSum(a.filledNotional, b.filledNotional),
    latencyCount: a.latencyCount + b.latencyCount,
    latencySumMs: a.latencySumMs + b.latencySumMs,
    latencyMaxMs: Math.max(a.latencyMaxMs, b.latencyMaxMs),
    latencyHistogram: histogram,
  };
}

// Notionals stay decimal end to end, never JS numbers.
function decimalSum(a: string, b: string): string {
  return new Decimal(a).plus(b).toString();
}
