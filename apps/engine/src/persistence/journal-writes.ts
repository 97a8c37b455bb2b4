// The SQL of the journal: a whole batch in one transaction (the usual path), or one entry at a time when the batch
// has to be taken apart. Orders are upserted on our identity (account, client order id); fills are inserted once
// per trade id within their order, and never without it; KPI deltas are added to the minute rows and to the hour
// rollups that long ranges read; market samples go in with one statement per batch.
import { Prisma } from "@bandkeeper/db/client";
import { JournalRecordError } from "./journal-failures";
import {
  addKpis,
  type BotEventRecord,
  type BotStateRecord,
  type ConfigAppliedRecord,
  type FillRecord,
  type JournalEntry,
  type KpiDelta,
  type MarketSnapshotRecord,
  type OrderRecord,
} from "./journal-records";
import type { MarketSampleRecord } from "./market-recorder";

export interface JournalBatch {
  orders: OrderRecord[];
  fills: FillRecord[];
  events: BotEventRecord[];
  states: BotStateRecord[];
  kpis: KpiDelta[];
  applied: ConfigAppliedRecord[];
  snapshots: MarketSnapshotRecord[];
  samples: MarketSampleRecord[];
}

/** The batch in one go: orders before the fills that need them, KPI hours summed over the batch's minutes. */
export async function writeBatch(tx: Prisma.TransactionClient, batch: JournalBatch): Promise<void> {
  for (const order of batch.orders) await upsertOrder(tx, order);
  for (const fill of batch.fills) await insertFill(tx, fill);
  if (batch.events.length > 0) await tx.botEvent.createMany({ data: batch.events.map(toEventRow) });
  for (const state of batch.states) await updateState(tx, state);
  for (const delta of batch.kpis) await addKpiDelta(tx, MINUTE_ROWS, delta.minute, delta);
  for (const delta of hourRollups(batch.kpis)) await addKpiDelta(tx, HOUR_ROWS, delta.minute, delta);
  for (const snapshot of batch.snapshots) await upsertMarketSnapshot(tx, snapshot);
  if (batch.samples.length > 0) await upsertMarketSamples(tx, batch.samples);
  for (const applied of batch.applied) await markConfigApplied(tx, applied);
}

/** The batch's entries in the order `writeBatch` writes them. */
export function entriesOf(batch: JournalBatch): JournalEntry[] {
  return [
    ...batch.orders.map((record) => ({ kind: "order", record }) as const),
    ...batch.fills.map((record) => ({ kind: "fill", record }) as const),
    ...batch.events.map((record) => ({ kind: "event", record }) as const),
    ...batch.states.map((record) => ({ kind: "state", record }) as const),
    ...batch.kpis.map((record) => ({ kind: "kpi", record }) as const),
    ...batch.snapshots.map((record) => ({ kind: "snapshot", record }) as const),
    ...batch.samples.map((record) => ({ kind: "sample", record }) as const),
    ...batch.applied.map((record) => ({ kind: "config", record }) as const),
  ];
}

/** The entries as a batch again (a part of one being taken apart); the inverse of `entriesOf`. */
export function batchOf(entries: readonly JournalEntry[]): JournalBatch {
  const batch: JournalBatch = { orders: [], fills: [], events: [], states: [], kpis: [], applied: [], snapshots: [], samples: [] };
  for (const entry of entries) {
    switch (entry.kind) {
      case "order":
        batch.orders.push(entry.record);
        break;
      case "fill":
        batch.fills.push(entry.record);
        break;
      case "event":
        batch.events.push(entry.record);
        break;
      case "state":
        batch.states.push(entry.record);
        break;
      case "kpi":
        batch.kpis.push(entry.record);
        break;
      case "snapshot":
        batch.snapshots.push(entry.record);
        break;
      case "sample":
        batch.samples.push(entry.record);
        break;
      case "config":
        batch.applied.push(entry.record);
        break;
    }
  }
  return batch;
}

/** One entry on its own; a KPI delta adds to its minute row and its hour rollup together. */
export async function writeEntry(tx: Prisma.TransactionClient, entry: JournalEntry): Promise<void> {
  switch (entry.kind) {
    case "order":
      return upsertOrder(tx, entry.record);
    case "fill":
      return insertFill(tx, entry.record);
    case "event":
      await tx.botEvent.createMany({ data: [toEventRow(entry.record)] });
      return;
    case "state":
      return updateState(tx, entry.record);
    case "kpi":
      await addKpiDelta(tx, MINUTE_ROWS, entry.record.minute, entry.record);
      for (const hour of hourRollups([entry.record])) await addKpiDelta(tx, HOUR_ROWS, hour.minute, hour);
      return;
    case "snapshot":
      return upsertMarketSnapshot(tx, entry.record);
    case "sample":
      return upsertMarketSamples(tx, [entry.record]);
    case "config":
      return markConfigApplied(tx, entry.record);
  }
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

/**
 * A row never moves back from a final state: a late snapshot of the order as it was (another engine's journal landing
 * after this one's, a run that stopped with writes still queued) must not undo its close. A final row still takes a
 * late fill (CANCELED or EXPIRED completing to FILLED) and its exchange id; a REJECTED one reopens (orders/order.ts).
 */
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
      "closedAt" = CASE WHEN EXCLUDED.status IN ('FILLED', 'CANCELED', 'EXPIRED', 'REJECTED')
        THEN COALESCE(EXCLUDED."closedAt", "Order"."closedAt") END, "updatedAt" = now()
    WHERE "Order".status NOT IN ('FILLED', 'CANCELED', 'EXPIRED') OR EXCLUDED.status = 'FILLED'
      OR ("Order".status <> 'FILLED' AND EXCLUDED.status IN ('CANCELED', 'EXPIRED'))`;
}

/**
 * Inserts the fill under its order, found by our identity; a trade id already recorded for that order is the same
 * fill reported again and is skipped. A fill whose order is not journaled has no identity and is refused.
 */
async function insertFill(tx: Prisma.TransactionClient, f: FillRecord): Promise<void> {
  if (f.clientOrderId === null) throw new JournalRecordError(`fill ${f.tradeId} has no client order id, so no order to belong to`);
  const [row] = await tx.$queryRaw<{ orders: number }[]>`
    WITH owner AS (
      SELECT id FROM "Order" WHERE "exchangeAccountId" = ${f.exchangeAccountId} AND "clientOrderId" = ${f.clientOrderId}
    ), inserted AS (
      INSERT INTO "Fill" (id, "orderId", "botId", "exchangeAccountId", symbol, "tradeId", "exchangeOrderId", side, price,
        quantity, "quoteQty", commission, "commissionAsset", "isMaker", time)
      SELECT gen_random_uuid()::text, owner.id, ${f.botId}, ${f.exchangeAccountId}, ${f.symbol}, ${f.tradeId},
        ${f.exchangeOrderId}, ${f.side}::"OrderSide", ${f.price}::numeric, ${f.quantity}::numeric, ${f.quoteQty}::numeric,
        ${f.commission}::numeric, ${f.commissionAsset}, ${f.isMaker}, ${f.time}
      FROM owner
      ON CONFLICT ("orderId", "tradeId") DO NOTHING
      RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM owner) AS orders, (SELECT count(*)::int FROM inserted) AS inserted`;
  if (!row || row.orders === 0) {
    throw new JournalRecordError(`fill ${f.tradeId} of order ${f.clientOrderId} has no journaled order`);
  }
}

async function updateState(tx: Prisma.TransactionClient, state: BotStateRecord): Promise<void> {
  await tx.$executeRaw`UPDATE "Bot" SET "actualState" = ${state.actualState}::"BotActualState",
    "stateReason" = ${state.stateReason}, "stateChangedAt" = ${state.at} WHERE id = ${state.botId}`;
}

async function markConfigApplied(tx: Prisma.TransactionClient, { configVersionId, at }: ConfigAppliedRecord): Promise<void> {
  await tx.botConfigVersion.updateMany({ where: { id: configVersionId, appliedAt: null }, data: { appliedAt: at } });
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

/**
 * The samples as one INSERT over arrays (a fleet's second is one statement, not one per bot). A sample is its bot
 * and second: the journal holds at most one per key, and one written again replaces the row. Times are UTC, as
 * Prisma keeps them.
 */
async function upsertMarketSamples(tx: Prisma.TransactionClient, samples: readonly MarketSampleRecord[]): Promise<void> {
  const column = (pick: (s: MarketSampleRecord) => string | null) => samples.map(pick);
  await tx.$executeRaw`
    INSERT INTO "BotMarketSample" ("botId", time, "referencePrice", "bidBandLow", "bidBandHigh", "askBandLow",
      "askBandHigh", "bestBid", "bestAsk", "ourBid", "ourAsk")
    SELECT "botId", time::timestamptz AT TIME ZONE 'UTC', "referencePrice", "bidBandLow", "bidBandHigh", "askBandLow",
      "askBandHigh", "bestBid", "bestAsk", "ourBid", "ourAsk"
    FROM unnest(${column((s) => s.botId)}::text[], ${column((s) => s.time.toISOString())}::text[],
      ${column((s) => s.referencePrice)}::numeric[], ${column((s) => s.bidBandLow)}::numeric[],
      ${column((s) => s.bidBandHigh)}::numeric[], ${column((s) => s.askBandLow)}::numeric[],
      ${column((s) => s.askBandHigh)}::numeric[], ${column((s) => s.bestBid)}::numeric[],
      ${column((s) => s.bestAsk)}::numeric[], ${column((s) => s.ourBid)}::numeric[], ${column((s) => s.ourAsk)}::numeric[])
      AS s("botId", time, "referencePrice", "bidBandLow", "bidBandHigh", "askBandLow", "askBandHigh", "bestBid",
        "bestAsk", "ourBid", "ourAsk")
    ON CONFLICT ("botId", time) DO UPDATE SET "referencePrice" = EXCLUDED."referencePrice",
      "bidBandLow" = EXCLUDED."bidBandLow", "bidBandHigh" = EXCLUDED."bidBandHigh",
      "askBandLow" = EXCLUDED."askBandLow", "askBandHigh" = EXCLUDED."askBandHigh",
      "bestBid" = EXCLUDED."bestBid", "bestAsk" = EXCLUDED."bestAsk", "ourBid" = EXCLUDED."ourBid", "ourAsk" = EXCLUDED."ourAsk"`;
}
