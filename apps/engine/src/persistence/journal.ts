// The engine's write-behind journal: the hot path appends records in memory and never waits on the database;
// a flush writes everything gathered since the last one in a single transaction. Records are coalesced (the
// newest snapshot of an order, the sum of KPI deltas per bot and minute), and on a failed flush they stay queued
// for the next one, so nothing is lost while Postgres is briefly away. Fills are inserted with ON CONFLICT DO
// NOTHING on (account, symbol, trade id): however often a fill is reported, it is recorded exactly once. KPI deltas
// are added to the minute rows and, in the same transaction, to the hour rollups that long ranges read.
import { Prisma, type PrismaClient } from "@bandkeeper/db/client";
import Decimal from "decimal.js";

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

export interface JournalStats {
  flushes: number;
  failedFlushes: number;
  pending: number;
  lastError: string | undefined;
}

export class EngineJournal {
  private orders = new Map<string, OrderRecord>();
  private fills: FillRecord[] = [];
  private events: BotEventRecord[] = [];
  private states = new Map<string, BotStateRecord>();
  private kpis = new Map<string, KpiDelta>();
  private appliedVersions = new Map<string, Date>();
  private snapshots = new Map<string, MarketSnapshotRecord>();
  /** The latest flush; each flush starts after the one before it, so flushes never overlap. */
  private lastFlush: Promise<void> = Promise.resolve();
  private readonly stats: JournalStats = { flushes: 0, failedFlushes: 0, pending: 0, lastError: undefined };

  constructor(private readonly prisma: PrismaClient) {}

  recordOrder(order: OrderRecord): void {
    this.orders.set(`${order.exchangeAccountId}/${order.clientOrderId}`, order);
  }

  recordFill(fill: FillRecord): void {
    this.fills.push(fill);
  }

  recordEvent(event: BotEventRecord): void {
    this.events.push(event);
  }

  recordState(state: BotStateRecord): void {
    this.states.set(state.botId, state);
  }

  recordConfigApplied(configVersionId: string, at: Date): void {
    this.appliedVersions.set(configVersionId, at);
  }

  recordMarketSnapshot(snapshot: MarketSnapshotRecord): void {
    this.snapshots.set(snapshot.botId, snapshot);
  }

  recordKpis(delta: KpiDelta): void {
    const key = `${delta.botId}/${delta.minute.getTime()}`;
    const existing = this.kpis.get(key);
    this.kpis.set(key, existing ? addKpis(existing, delta) : { ...delta, latencyHistogram: [...delta.latencyHistogram] });
  }

  get pending(): number {
    return (
      this.orders.size +
      this.fills.length +
      this.events.length +
      this.states.size +
      this.kpis.size +
      this.appliedVersions.size +
      this.snapshots.size
    );
  }

  getStats(): JournalStats {
    return { ...this.stats, pending: this.pending };
  }

  /**
   * Writes everything recorded before this call, after any flush already under way. Failures keep the records for
   * the next flush.
   */
  flush(): Promise<void> {
    const flush = this.lastFlush.catch(() => undefined).then(() => this.writeBatch());
    this.lastFlush = flush;
    return flush;
  }

  private async writeBatch(): Promise<void> {
    if (this.pending === 0) return;
    const batch = {
      orders: [...this.orders.values()],
      fills: this.fills,
      events: this.events,
      states: [...this.states.values()],
      kpis: [...this.kpis.values()],
      applied: [...this.appliedVersions.entries()],
      snapshots: [...this.snapshots.values()],
    };
    this.orders = new Map();
    this.fills = [];
    this.events = [];
    this.states = new Map();
    this.kpis = new Map();
    this.appliedVersions = new Map();
    this.snapshots = new Map();
    try {
      await this.prisma.$transaction(async (tx) => {
        for (const order of batch.orders) await upsertOrder(tx, order);
        for (const fill of batch.fills) await insertFill(tx, fill);
        if (batch.events.length > 0) await tx.botEvent.createMany({ data: batch.events.map(toEventRow) });
        for (const state of batch.states) {
          await tx.$executeRaw`UPDATE "Bot" SET "actualState" = ${state.actualState}::"BotActualState",
            "stateReason" = ${state.stateReason}, "stateChangedAt" = ${state.at} WHERE id = ${state.botId}`;
        }
        for (const delta of batch.kpis) await addKpiDelta(tx, MINUTE_ROWS, delta.minute, delta);
        for (const delta of hourRollups(batch.kpis)) await addKpiDelta(tx, HOUR_ROWS, delta.minute, delta);
        for (const snapshot of batch.snapshots) await upsertMarketSnapshot(tx, snapshot);
        for (const [versionId, at] of batch.applied) {
          await tx.botConfigVersion.updateMany({ where: { id: versionId, appliedAt: null }, data: { appliedAt: at } });
        }
      });
      this.stats.flushes += 1;
    } catch (error) {
      this.requeue(batch);
      this.stats.failedFlushes += 1;
      this.stats.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  private requeue(batch: {
    orders: OrderRecord[];
    fills: FillRecord[];
    events: BotEventRecord[];
    states: BotStateRecord[];
    kpis: KpiDelta[];
    applied: [string, Date][];
    snapshots: MarketSnapshotRecord[];
  }): void {
    // Newer records gathered during the failed flush win over the batch's older snapshots.
    for (const order of batch.orders) {
      const key = `${order.exchangeAccountId}/${order.clientOrderId}`;
      if (!this.orders.has(key)) this.orders.set(key, order);
    }
    this.fills = [...batch.fills, ...this.fills];
    this.events = [...batch.events, ...this.events];
    for (const state of batch.states) if (!this.states.has(state.botId)) this.states.set(state.botId, state);
    for (const delta of batch.kpis) this.recordKpis(delta);
    for (const [versionId, at] of batch.applied) if (!this.appliedVersions.has(versionId)) this.appliedVersions.set(versionId, at);
    for (const snapshot of batch.snapshots) if (!this.snapshots.has(snapshot.botId)) this.snapshots.set(snapshot.botId, snapshot);
  }
}

function addKpis(a: KpiDelta, b: KpiDelta): KpiDelta {
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

function toEventRow(event: BotEventRecord): Prisma.BotEventCreateManyInput {
  return {
    botId: event.botId,
    time: event.time,
    type: event.type,
    fromState: event.fromState as Prisma.BotEventCreateManyInput["fromState"],
    toState: event.toState as Prisma.BotEventCreateManyInput["toState"],
    reason: event.reason ?? null,
    ...(event.data === undefined ? {} : { data: event.data }),
  };
}

async function upsertOrder(tx: Prisma.TransactionClient, o: OrderRecord): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "Order" (id, "botId", "exchangeAccountId", symbol, "clientOrderId", "exchangeOrderId", side, type,
      price, quantity, "executedQty", "cumulativeQuoteQty", status, "rejectReason", "placedAt", "ackAt",
      "cancelRequestedAt", "closedAt", "updatedAt")
    VALUES (gen_random_uuid()::text, ${o.botId}, ${o.exchangeAccountId}, ${o.symbol}, ${o.clientOrderId},
      ${o.exchangeOrderId ?? null}, ${o.side}::"OrderSide", ${o.type}::"OrderType", ${o.price}::numeric,
      ${o.quantity}::numeric, ${o.executedQty}::numeric, ${o.cumulativeQuoteQty}::numeric, ${o.status}::"OrderStatus",
      ${o.rejectReason ?? null}, ${o.placedAt}, ${o.ackAt ?? null}, ${o.cancelRequestedAt ?? null}, ${o.closedAt ?? null}, now())
    ON CONFLICT ("exchangeAccountId", "clientOrderId") DO UPDATE SET
      "exchangeOrderId" = COALESCE(EXCLUDED."exchangeOrderId", "Order"."exchangeOrderId"),
      "executedQty" = EXCLUDED."executedQty", "cumulativeQuoteQty" = EXCLUDED."cumulativeQuoteQty",
      status = EXCLUDED.status, "rejectReason" = COALESCE(EXCLUDED."rejectReason", "Order"."rejectReason"),
      "ackAt" = COALESCE(EXCLUDED."ackAt", "Order"."ackAt"),
      "cancelRequestedAt" = COALESCE(EXCLUDED."cancelRequestedAt", "Order"."cancelRequestedAt"),
      "closedAt" = COALESCE(EXCLUDED."closedAt", "Order"."closedAt"), "updatedAt" = now()`;
}

async function insertFill(tx: Prisma.TransactionClient, f: FillRecord): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "Fill" (id, "orderId", "botId", "exchangeAccountId", symbol, "tradeId", "exchangeOrderId", side, price,
      quantity, "quoteQty", commission, "commissionAsset", "isMaker", time)
    VALUES (gen_random_uuid()::text,
      (SELECT id FROM "Order" WHERE "exchangeAccountId" = ${f.exchangeAccountId} AND "clientOrderId" = ${f.clientOrderId}),
      ${f.botId}, ${f.exchangeAccountId}, ${f.symbol}, ${f.tradeId}, ${f.exchangeOrderId}, ${f.side}::"OrderSide",
      ${f.price}::numeric, ${f.quantity}::numeric, ${f.quoteQty}::numeric, ${f.commission}::numeric,
      ${f.commissionAsset}, ${f.isMaker}, ${f.time})
    ON CONFLICT ("exchangeAccountId", symbol, "tradeId") DO NOTHING`;
}

const HOUR_MS = 3_600_000;

/** The batch's minute deltas summed per bot and hour; `minute` holds the start of the hour. */
function hourRollups(deltas: readonly KpiDelta[]): KpiDelta[] {
  const hours = new Map<string, KpiDelta>();
  for (const delta of deltas) {
    const hour = new Date(Math.floor(delta.minute.getTime() / HOUR_MS) * HOUR_MS);
    const key = `${delta.botId}/${hour.getTime()}`;
    const existing = hours.get(key);
    hours.set(key, existing ? addKpis(existing, delta) : { ...delta, minute: hour, latencyHistogram: [...delta.latencyHistogram] });
  }
  return [...hours.values()];
}

/** The two KPI tables share their columns; only the table and its time column differ. */
interface KpiRows {
  table: Prisma.Sql;
  timeColumn: Prisma.Sql;
}

const MINUTE_ROWS: KpiRows = { table: Prisma.raw(`"KpiBucket"`), timeColumn: Prisma.raw(`"minute"`) };
const HOUR_ROWS: KpiRows = { table: Prisma.raw(`"KpiHourBucket"`), timeColumn: Prisma.raw(`"hour"`) };

async function addKpiDelta(tx: Prisma.TransactionClient, { table: t, timeColumn }: KpiRows, at: Date, d: KpiDelta): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO ${t} (id, "botId", ${timeColumn}, "runningMs", "compliantMs", "twoSidedMs", "depthMs", "ordersPlaced",
      "ordersDepthOk", "ordersFilled", "placedNotional", "filledNotional", "latencyCount", "latencySumMs",
      "latencyMaxMs", "latencyHistogram", "updatedAt")
    VALUES (gen_random_uuid()::text, ${d.botId}, ${at}, ${d.runningMs}, ${d.compliantMs}, ${d.twoSidedMs},
      ${d.depthMs}, ${d.ordersPlaced}, ${d.ordersDepthOk}, ${d.ordersFilled},
      ${d.placedNotional}::numeric, ${d.filledNotional}::numeric,
      ${d.latencyCount}, ${d.latencySumMs}, ${d.latencyMaxMs}, ${d.latencyHistogram}::int[], now())
    ON CONFLICT ("botId", ${timeColumn}) DO UPDATE SET
      "runningMs" = ${t}."runningMs" + EXCLUDED."runningMs",
      "compliantMs" = ${t}."compliantMs" + EXCLUDED."compliantMs",
      "twoSidedMs" = ${t}."twoSidedMs" + EXCLUDED."twoSidedMs",
      "depthMs" = ${t}."depthMs" + EXCLUDED."depthMs",
      "ordersPlaced" = ${t}."ordersPlaced" + EXCLUDED."ordersPlaced",
      "ordersDepthOk" = ${t}."ordersDepthOk" + EXCLUDED."ordersDepthOk",
      "ordersFilled" = ${t}."ordersFilled" + EXCLUDED."ordersFilled",
      "placedNotional" = ${t}."placedNotional" + EXCLUDED."placedNotional",
      "filledNotional" = ${t}."filledNotional" + EXCLUDED."filledNotional",
      "latencyCount" = ${t}."latencyCount" + EXCLUDED."latencyCount",
      "latencySumMs" = ${t}."latencySumMs" + EXCLUDED."latencySumMs",
      "latencyMaxMs" = GREATEST(${t}."latencyMaxMs", EXCLUDED."latencyMaxMs"),
      "latencyHistogram" = ARRAY(
        SELECT COALESCE(a, 0) + COALESCE(b, 0)
        FROM unnest(${t}."latencyHistogram", EXCLUDED."latencyHistogram") AS u(a, b)),
      "updatedAt" = now()`;
}

async function upsertMarketSnapshot(tx: Prisma.TransactionClient, m: MarketSnapshotRecord): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "BotMarketSnapshot" ("botId", "referencePrice", "bestBid", "bestAsk", "marketTime", "updatedAt")
    VALUES (${m.botId}, ${m.referencePrice}::numeric, ${m.bestBid}::numeric, ${m.bestAsk}::numeric, ${m.marketTime}, ${m.at})
    ON CONFLICT ("botId") DO UPDATE SET "referencePrice" = EXCLUDED."referencePrice", "bestBid" = EXCLUDED."bestBid",
      "bestAsk" = EXCLUDED."bestAsk", "marketTime" = EXCLUDED."marketTime", "updatedAt" = EXCLUDED."updatedAt"`;
}
