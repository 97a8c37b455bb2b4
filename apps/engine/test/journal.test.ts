import { generateEncryptionKey } from "@bandkeeper/db";
import { seedDemo } from "@bandkeeper/db/seed";
import { createTestDatabase, type TestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineJournal, type FillRecord, type KpiDelta, type OrderRecord } from "../src/persistence/journal";
import { testServerUrl } from "@bandkeeper/testkit";

let db: TestDatabase;
let bot: { id: string; exchangeAccountId: string; symbol: string };

beforeAll(async () => {
  db = await createTestDatabase(testServerUrl, "bk_engine_journal");
  await seedDemo(db.prisma, { encryptionKey: generateEncryptionKey() });
  bot = await db.prisma.bot.findFirstOrThrow({ where: { symbol: "BTCUSDT" } });
});
afterAll(async () => db.drop());

const order = (overrides: Partial<OrderRecord> = {}): OrderRecord => ({
  botId: bot.id,
  exchangeAccountId: bot.exchangeAccountId,
  symbol: "BTCUSDT",
  clientOrderId: "bk-1",
  side: "BUY",
  type: "LIMIT_MAKER",
  price: "61700.01",
  quantity: "0.17022",
  executedQty: "0",
  cumulativeQuoteQty: "0",
  status: "PENDING_NEW",
  placedAt: new Date("2026-01-01T00:00:00.000Z"),
  ...overrides,
});

const fill = (overrides: Partial<FillRecord> = {}): FillRecord => ({
  botId: bot.id,
  exchangeAccountId: bot.exchangeAccountId,
  symbol: "BTCUSDT",
  clientOrderId: "bk-1",
  tradeId: "900001",
  exchangeOrderId: "77",
  side: "BUY",
  price: "61700.01",
  quantity: "0.001",
  quoteQty: "61.70001",
  commission: "0.000001",
  commissionAsset: "BTC",
  isMaker: true,
  time: new Date("2026-01-01T00:00:01.000Z"),
  ...overrides,
});

const kpi = (overrides: Partial<KpiDelta> = {}): KpiDelta => ({
  botId: bot.id,
  minute: new Date("2026-01-01T00:00:00.000Z"),
  runningMs: 1000,
  compliantMs: 990,
  twoSidedMs: 1000,
  depthMs: 1000,
  ordersPlaced: 2,
  ordersDepthOk: 2,
  ordersFilled: 0,
  placedNotional: "21000.123456789",
  filledNotional: "0",
  latencyCount: 1,
  latencySumMs: 12.5,
  latencyMaxMs: 12.5,
  latencyHistogram: [0, 1, 0],
  ...overrides,
});

describe("EngineJournal", () => {
  it("keeps the newest order snapshot and records a fill once however often it is reported", async () => {
    const journal = new EngineJournal(db.prisma);
    journal.recordOrder(order());
    journal.recordOrder(order({ status: "NEW", exchangeOrderId: "77", ackAt: new Date("2026-01-01T00:00:00.010Z") }));
    journal.recordFill(fill());
    journal.recordFill(fill());
    await journal.flush();
    journal.recordOrder(order({ status: "PARTIALLY_FILLED", executedQty: "0.001", cumulativeQuoteQty: "61.70001" }));
    journal.recordFill(fill());
    await journal.flush();

    const stored = await db.prisma.order.findMany({ where: { clientOrderId: "bk-1" }, include: { fills: true } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: "PARTIALLY_FILLED", exchangeOrderId: "77" });
    expect(stored[0]!.executedQty.toString()).toBe("0.001");
    expect(stored[0]!.ackAt?.toISOString()).toBe("2026-01-01T00:00:00.010Z");
    expect(stored[0]!.fills).toHaveLength(1);
    expect(await db.prisma.fill.count({ where: { tradeId: "900001" } })).toBe(1);
    expect(journal.pending).toBe(0);
  });

  it("never moves an order row back from a final state, whoever writes late; a late fill and a reopened rejection still land", async () => {
    const journal = new EngineJournal(db.prisma);
    const closed = { clientOrderId: "bk-final", exchangeOrderId: "78", closedAt: new Date("2026-01-01T00:00:02.000Z") };
    journal.recordOrder(order({ ...closed, status: "CANCELED" }));
    await journal.flush();
    // Another engine's journal lands after this one's: the order as that run last saw it, cancel still pending.
    journal.recordOrder(order({ clientOrderId: "bk-final", status: "PENDING_CANCEL", exchangeOrderId: "78" }));
    await journal.flush();
    const stored = () => db.prisma.order.findFirstOrThrow({ where: { clientOrderId: "bk-final" } });
    expect(await stored()).toMatchObject({ status: "CANCELED" });

    // A fill found after the cancel completes the order.
    journal.recordOrder(order({ ...closed, status: "FILLED", executedQty: "0.17022", cumulativeQuoteQty: "10502.8" }));
    await journal.flush();
    expect(await stored()).toMatchObject({ status: "FILLED" });
    journal.recordOrder(order({ ...closed, status: "CANCELED" }));
    await journal.flush();
    expect((await stored()).status).toBe("FILLED");

    // A rejection concluded from "not found" answers reopens when the order turns up.
    journal.recordOrder(order({ clientOrderId: "bk-reopened", status: "REJECTED", closedAt: new Date("2026-01-01T00:00:03.000Z") }));
    await journal.flush();
    journal.recordOrder(order({ clientOrderId: "bk-reopened", status: "NEW", exchangeOrderId: "79" }));
    await journal.flush();
    expect(await db.prisma.order.findFirstOrThrow({ where: { clientOrderId: "bk-reopened" } })).toMatchObject({ status: "NEW", exchangeOrderId: "79", closedAt: null });
  });

  it("adds KPI deltas exactly, in memory and in the database", async () => {
    const journal = new EngineJournal(db.prisma);
    journal.recordKpis(kpi());
    journal.recordKpis(kpi({ latencyMaxMs: 40, latencyHistogram: [1, 0, 2], placedNotional: "0.000000001" }));
    await journal.flush();
    journal.recordKpis(kpi({ latencyMaxMs: 3, placedNotional: "0.1" }));
    await journal.flush();

    const bucket = await db.prisma.kpiBucket.findUniqueOrThrow({
      where: { botId_minute: { botId: bot.id, minute: new Date("2026-01-01T00:00:00.000Z") } },
    });
    expect(bucket).toMatchObject({ runningMs: 3000, compliantMs: 2970, ordersPlaced: 6, latencyCount: 3, latencyMaxMs: 40 });
    expect(bucket.latencySumMs).toBeCloseTo(37.5);
    expect(bucket.latencyHistogram).toEqual([1, 2, 2]);
    expect(bucket.placedNotional.toString()).toBe("21000.22345679");
  });

  it("adds the same deltas to the hour rollup in the same write, across the minutes of the hour", async () => {
    const journal = new EngineJournal(db.prisma);
    const hour = new Date("2026-01-02T10:00:00.000Z");
    journal.recordKpis(kpi({ minute: new Date("2026-01-02T10:00:00.000Z"), latencyMaxMs: 7 }));
    journal.recordKpis(kpi({ minute: new Date("2026-01-02T10:59:00.000Z"), latencyMaxMs: 30, latencyHistogram: [2, 0, 0, 1] }));
    journal.recordKpis(kpi({ minute: new Date("2026-01-02T11:00:00.000Z"), runningMs: 500 }));
    await journal.flush();
    journal.recordKpis(kpi({ minute: new Date("2026-01-02T10:30:00.000Z"), placedNotional: "0.5" }));
    await journal.flush();

    const rollup = await db.prisma.kpiHourBucket.findUniqueOrThrow({ where: { botId_hour: { botId: bot.id, hour } } });
    expect(rollup).toMatchObject({ runningMs: 3000, compliantMs: 2970, twoSidedMs: 3000, ordersPlaced: 6, latencyCount: 3, latencyMaxMs: 30 });
    expect(rollup.latencySumMs).toBeCloseTo(37.5);
    expect(rollup.latencyHistogram).toEqual([2, 2, 0, 1]);
    expect(rollup.placedNotional.toString()).toBe("42000.746913578");
    const next = await db.prisma.kpiHourBucket.findUniqueOrThrow({
      where: { botId_hour: { botId: bot.id, hour: new Date("2026-01-02T11:00:00.000Z") } },
    });
    expect(next.runningMs).toBe(500);

    // The rollup equals the sum of its minute rows.
    const minutes = await db.prisma.kpiBucket.aggregate({
      where: { botId: bot.id, minute: { gte: hour, lt: new Date("2026-01-02T11:00:00.000Z") } },
      _sum: { runningMs: true, ordersPlaced: true, latencyCount: true, placedNotional: true },
    });
    expect(minutes._sum).toMatchObject({ runningMs: rollup.runningMs, ordersPlaced: rollup.ordersPlaced, latencyCount: rollup.latencyCount });
    expect(minutes._sum.placedNotional?.toString()).toBe(rollup.placedNotional.toString());
  });

  it("keeps only the newest market snapshot of a bot and overwrites it on the next flush", async () => {
    const journal = new EngineJournal(db.prisma);
    const snapshot = { botId: bot.id, referencePrice: "61800.5", bestBid: "61799", bestAsk: "61801", marketTime: new Date("2026-01-01T00:00:01.000Z"), at: new Date("2026-01-01T00:00:01.100Z") };
    journal.recordMarketSnapshot(snapshot);
    journal.recordMarketSnapshot({ ...snapshot, referencePrice: "61802.25" });
    await journal.flush();
    expect((await db.prisma.botMarketSnapshot.findUniqueOrThrow({ where: { botId: bot.id } })).referencePrice?.toString()).toBe("61802.25");

    journal.recordMarketSnapshot({ ...snapshot, referencePrice: null, bestBid: "61700", at: new Date("2026-01-01T00:00:02.000Z") });
    await journal.flush();
    const stored = await db.prisma.botMarketSnapshot.findUniqueOrThrow({ where: { botId: bot.id } });
    expect(stored.referencePrice).toBeNull();
    expect(stored.bestBid?.toString()).toBe("61700");
    expect(stored.updatedAt.toISOString()).toBe("2026-01-01T00:00:02.000Z");
  });

  it("sets aside a record the database refuses and writes the rest of the batch", async () => {
    const journal = new EngineJournal(db.prisma);
    journal.recordEvent({ botId: "no-such-bot", time: new Date(), type: "state", reason: "fails the foreign key" });
    journal.recordFill(fill({ tradeId: "900002" }));
    await journal.flush();
    expect(journal.getStats()).toMatchObject({ setAside: 1, pending: 0 });
    expect(await db.prisma.fill.count({ where: { tradeId: "900002" } })).toBe(1);
    expect(await db.prisma.journalFailure.findFirst({ where: { kind: "event", botId: "no-such-bot" } })).toMatchObject({ code: "23503" });
  });

  it("writes bot state, events and applied config versions", async () => {
    const journal = new EngineJournal(db.prisma);
    const at = new Date("2026-01-01T00:05:00.000Z");
    const version = await db.prisma.botConfigVersion.findFirstOrThrow({ where: { botId: bot.id } });
    await db.prisma.botConfigVersion.update({ where: { id: version.id }, data: { appliedAt: null } });
    journal.recordState({ botId: bot.id, actualState: "QUOTING", stateReason: null, at });
    journal.recordEvent({ botId: bot.id, time: at, type: "state", fromState: "STARTING", toState: "QUOTING", reason: "two-sided" });
    journal.recordConfigApplied(version.id, at);
    await journal.flush();

    expect(await db.prisma.bot.findUniqueOrThrow({ where: { id: bot.id } })).toMatchObject({ actualState: "QUOTING", stateChangedAt: at });
    expect(await db.prisma.botEvent.findFirst({ where: { botId: bot.id, toState: "QUOTING" } })).toMatchObject({ reason: "two-sided" });
    expect((await db.prisma.botConfigVersion.findUniqueOrThrow({ where: { id: version.id } })).appliedAt).toEqual(at);
  });

  it("writes a flood of events over several flushes and reports itself caught up only once all are written", async () => {
    const journal = new EngineJournal(db.prisma);
    const before = journal.getStats().caughtUpAt;
    for (let i = 0; i < 12_000; i += 1) journal.recordEvent({ botId: bot.id, time: new Date(), type: "flood", reason: String(i) });
    await journal.flush();
    expect(journal.pending).toBe(7_000);
    expect(journal.getStats().caughtUpAt).toEqual(before);
    await journal.flush();
    await journal.flush();
    expect(journal.pending).toBe(0);
    expect(journal.getStats().caughtUpAt.getTime()).toBeGreaterThan(before.getTime());
    expect(await db.prisma.botEvent.count({ where: { botId: bot.id, type: "flood" } })).toBe(12_000);
  }, 60_000);

  it("writes what was recorded during a flush under way when flushed again", async () => {
    const journal = new EngineJournal(db.prisma);
    journal.recordEvent({ botId: bot.id, time: new Date(), type: "probe", reason: "first" });
    const first = journal.flush();
    journal.recordEvent({ botId: bot.id, time: new Date(), type: "probe", reason: "second" });
    await journal.flush();
    await first;
    const reasons = (await db.prisma.botEvent.findMany({ where: { botId: bot.id, type: "probe" } })).map((e) => e.reason).sort();
    expect(reasons).toEqual(["first", "second"]);
    expect(journal.pending).toBe(0);
  });
});
