// The journal against failures of the database: a record it refuses for good (set aside, visible, an event), a
// venue that restarts its id sequences (nothing refused at all), and a lost connection (everything kept, written
// once when the database is back), with the engine heartbeat telling the truth throughout.
import { createServer, connect, type Server, type Socket } from "node:net";
import { generateEncryptionKey } from "@bandkeeper/db";
import { createPrismaClient, type PrismaClient } from "@bandkeeper/db/client";
import { seedDemo } from "@bandkeeper/db/seed";
import { createTestDatabase, type TestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotLeases } from "../src/fleet/leases";
import { createLogger } from "../src/observability/log";
import { EngineJournal, RECORD_FAILED_EVENT, type FillRecord, type KpiDelta, type OrderRecord } from "../src/persistence/journal";
import { testServerUrl } from "@bandkeeper/testkit";

let db: TestDatabase;
let bot: { id: string; exchangeAccountId: string; symbol: string };

beforeAll(async () => {
  db = await createTestDatabase(testServerUrl, "bk_engine_journal_failures");
  await seedDemo(db.prisma, { encryptionKey: generateEncryptionKey() });
  bot = await db.prisma.bot.findFirstOrThrow({ where: { symbol: "BTCUSDT" } });
});
afterAll(async () => db.drop());

const order = (clientOrderId: string, overrides: Partial<OrderRecord> = {}): OrderRecord => ({
  botId: bot.id,
  exchangeAccountId: bot.exchangeAccountId,
  symbol: "BTCUSDT",
  clientOrderId,
  side: "BUY",
  type: "LIMIT_MAKER",
  price: "61700.01",
  quantity: "0.01",
  executedQty: "0",
  cumulativeQuoteQty: "0",
  status: "NEW",
  placedAt: new Date("2026-02-01T00:00:00.000Z"),
  ...overrides,
});

const fill = (clientOrderId: string, tradeId: string, overrides: Partial<FillRecord> = {}): FillRecord => ({
  botId: bot.id,
  exchangeAccountId: bot.exchangeAccountId,
  symbol: "BTCUSDT",
  clientOrderId,
  tradeId,
  exchangeOrderId: "1",
  side: "BUY",
  price: "61700.01",
  quantity: "0.001",
  quoteQty: "61.70001",
  commission: "0",
  commissionAsset: "BTC",
  isMaker: true,
  time: new Date("2026-02-01T00:00:01.000Z"),
  ...overrides,
});

const kpi = (minute: string, ordersPlaced: number): KpiDelta => ({
  botId: bot.id,
  minute: new Date(minute),
  runningMs: 1000,
  compliantMs: 1000,
  twoSidedMs: 1000,
  depthMs: 1000,
  ordersPlaced,
  ordersDepthOk: ordersPlaced,
  ordersFilled: 0,
  placedNotional: "617",
  filledNotional: "0",
  latencyCount: 0,
  latencySumMs: 0,
  latencyMaxMs: 0,
  latencyHistogram: [],
});

function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { lines, logger: createLogger({ level: "debug", write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }) };
}

describe("a record the database refuses for good", () => {
  it("is set aside with its content and an event, while the rest of its batch lands", async () => {
    // The constraint of the incident: a unique exchange order id, which a venue restarting its ids collides with.
    await db.prisma.$executeRawUnsafe(
      `CREATE UNIQUE INDEX "test_unique_exchange_order_id" ON "Order"("exchangeAccountId", symbol, "exchangeOrderId")`,
    );
    try {
      const { logger, lines } = capturingLogger();
      const journal = new EngineJournal(db.prisma, { logger });
      journal.recordOrder(order("poison-a", { exchangeOrderId: "5" }));
      await journal.flush();

      // The next batch: an order colliding on that key, its fill, and everything else a bot reports.
      journal.recordOrder(order("poison-b", { exchangeOrderId: "5" }));
      journal.recordFill(fill("poison-b", "77", { exchangeOrderId: "5" }));
      journal.recordOrder(order("poison-c", { exchangeOrderId: "6" }));
      journal.recordFill(fill("poison-c", "78", { exchangeOrderId: "6" }));
      journal.recordEvent({ botId: bot.id, time: new Date(), type: "probe", reason: "beside the poison" });
      journal.recordState({ botId: bot.id, actualState: "QUOTING", stateReason: "beside the poison", at: new Date("2026-02-01T00:00:02.000Z") });
      journal.recordKpis(kpi("2026-02-01T00:00:00.000Z", 3));
      await journal.flush();

      expect(journal.getStats()).toMatchObject({ pending: 0, setAside: 2, failedFlushes: 0 });
      expect(journal.getStats().lastError).toContain("has no journaled order");
      const orders = await db.prisma.order.findMany({ where: { clientOrderId: { startsWith: "poison-" } }, include: { fills: true } });
      expect(orders.map((o) => [o.clientOrderId, o.fills.map((f) => f.tradeId)]).sort()).toEqual([
        ["poison-a", []],
        ["poison-c", ["78"]],
      ]);
      expect(await db.prisma.botEvent.count({ where: { botId: bot.id, type: "probe", reason: "beside the poison" } })).toBe(1);
      expect(await db.prisma.bot.findUniqueOrThrow({ where: { id: bot.id } })).toMatchObject({ actualState: "QUOTING", stateReason: "beside the poison" });
      expect((await db.prisma.kpiBucket.findFirstOrThrow({ where: { botId: bot.id, minute: new Date("2026-02-01T00:00:00.000Z") } })).ordersPlaced).toBe(3);

      // Visible: the refused order and the fill that had no order to belong to, each with its content.
      const orderKey = `${bot.exchangeAccountId}/poison-b`;
      const refusedOrder = await db.prisma.journalFailure.findUniqueOrThrow({ where: { kind_recordKey: { kind: "order", recordKey: orderKey } } });
      expect(refusedOrder).toMatchObject({ botId: bot.id, code: "23505", failures: 1 });
      expect(refusedOrder.error).toContain("test_unique_exchange_order_id");
      expect(refusedOrder.record).toMatchObject({ clientOrderId: "poison-b", exchangeOrderId: "5", price: "61700.01", status: "NEW" });
      const refusedFill = await db.prisma.journalFailure.findFirstOrThrow({ where: { kind: "fill", recordKey: { endsWith: "/poison-b/77" } } });
      expect(refusedFill.error).toContain("has no journaled order");
      expect(refusedFill.record).toMatchObject({ tradeId: "77", quantity: "0.001" });

      // Raised: one event per refused record, naming it.
      const events = await db.prisma.botEvent.findMany({ where: { botId: bot.id, type: RECORD_FAILED_EVENT }, orderBy: { reason: "asc" } });
      expect(events.map((e) => e.reason)).toEqual([
        expect.stringMatching(new RegExp(`^fill ${bot.exchangeAccountId}/poison-b/77 could not be journaled`)),
        expect.stringMatching(new RegExp(`^order ${orderKey} could not be journaled: duplicate key`)),
      ]);
      expect(events[1]!.data).toMatchObject({ kind: "order", recordKey: orderKey, code: "23505", failureId: refusedOrder.id });

      // Logged with the record.
      const logged = lines.filter((line) => line.msg === "journal record refused by the database; set aside");
      expect(logged).toHaveLength(2);
      expect(logged.find((line) => line.kind === "order")).toMatchObject({ code: "23505", record: { clientOrderId: "poison-b" }, stored: true, eventRaised: true });

      // The same order refused again updates its row; it does not raise a second event.
      journal.recordOrder(order("poison-b", { exchangeOrderId: "5", status: "PARTIALLY_FILLED", executedQty: "0.001" }));
      await journal.flush();
      const again = await db.prisma.journalFailure.findUniqueOrThrow({ where: { id: refusedOrder.id } });
      expect(again.failures).toBe(2);
      expect(again.record).toMatchObject({ status: "PARTIALLY_FILLED" });
      expect(await db.prisma.botEvent.count({ where: { botId: bot.id, type: RECORD_FAILED_EVENT } })).toBe(2);
    } finally {
      await db.prisma.$executeRawUnsafe(`DROP INDEX IF EXISTS "test_unique_exchange_order_id"`);
    }
  });

  it("is set aside even when its bot is the problem (no event can name a missing bot) and invalid data too", async () => {
    const journal = new EngineJournal(db.prisma);
    journal.recordOrder(order("orphan-bot", { botId: "no-such-bot" }));
    journal.recordOrder(order("bad-price", { price: "not a number" }));
    // Postgres text holds no NUL: the row is refused, and the failure keeps the record with the byte replaced.
    journal.recordOrder(order("nul-reason", { status: "REJECTED", rejectReason: "bad\u0000byte" }));
    journal.recordOrder(order("fine-one"));
    await journal.flush();
    expect(journal.getStats()).toMatchObject({ pending: 0, setAside: 3 });
    expect(await db.prisma.order.count({ where: { clientOrderId: "fine-one" } })).toBe(1);
    const keys = ["orphan-bot", "bad-price", "nul-reason"].map((id) => `${bot.exchangeAccountId}/${id}`);
    const failures = await db.prisma.journalFailure.findMany({ where: { recordKey: { in: keys } } });
    expect(failures.map((f) => [f.recordKey.split("/")[1], f.code]).sort()).toEqual([
      ["bad-price", "22P02"],
      ["nul-reason", "22021"],
      ["orphan-bot", "23503"],
    ]);
    expect(failures.find((f) => f.recordKey.endsWith("/nul-reason"))!.record).toMatchObject({ rejectReason: "bad\uFFFDbyte" });
    expect(await db.prisma.botEvent.count({ where: { type: RECORD_FAILED_EVENT, reason: { contains: "/bad-price" } } })).toBe(1);
  });
});

describe("a venue that restarts its order and trade ids from 1", () => {
  it("does not freeze the journal: both epochs' orders and fills are recorded, each fill once", async () => {
    const journal = new EngineJournal(db.prisma);
    // Before the restart: order 1 with trade 1.
    journal.recordOrder(order("epoch1-1", { exchangeOrderId: "1", status: "FILLED", executedQty: "0.01" }));
    journal.recordFill(fill("epoch1-1", "1", { exchangeOrderId: "1" }));
    await journal.flush();
    // After it: the venue hands out order 1 and trade 1 again, to a new order of ours.
    journal.recordOrder(order("epoch2-1", { exchangeOrderId: "1", status: "PARTIALLY_FILLED", executedQty: "0.001" }));
    journal.recordFill(fill("epoch2-1", "1", { exchangeOrderId: "1", time: new Date("2026-02-01T01:00:00.000Z") }));
    await journal.flush();
    // The same fills reported again (the user-data stream, then recovery from the trade list).
    journal.recordFill(fill("epoch1-1", "1", { exchangeOrderId: "1" }));
    journal.recordFill(fill("epoch2-1", "1", { exchangeOrderId: "1", time: new Date("2026-02-01T01:00:00.000Z") }));
    await journal.flush();

    expect(journal.getStats()).toMatchObject({ failedFlushes: 0, setAside: 0, pending: 0 });
    const orders = await db.prisma.order.findMany({ where: { clientOrderId: { startsWith: "epoch" } }, include: { fills: true }, orderBy: { clientOrderId: "asc" } });
    expect(orders.map((o) => [o.clientOrderId, o.exchangeOrderId, o.status, o.fills.map((f) => f.tradeId)])).toEqual([
      ["epoch1-1", "1", "FILLED", ["1"]],
      ["epoch2-1", "1", "PARTIALLY_FILLED", ["1"]],
    ]);
  });
});

/** A TCP hop between the journal's client and Postgres that a test can cut and restore: a real lost connection. */
class CuttableLink {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async open(): Promise<void> {
    const upstream = new URL(testServerUrl);
    this.server = createServer((client) => {
      const server = connect(Number(upstream.port || 5432), upstream.hostname);
      for (const socket of [client, server]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.pipe(server).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

describe("a lost connection", () => {
  let link: CuttableLink;
  let viaLink: PrismaClient;

  beforeAll(async () => {
    link = new CuttableLink();
    await link.open();
    const url = new URL(db.url);
    url.host = `127.0.0.1:${link.port}`;
    viaLink = createPrismaClient(url.toString());
  });
  afterAll(async () => {
    await viaLink.$disconnect();
    await link.cut();
  });

  it("keeps every record, writes each once when the database is back, and the heartbeat says the journal is behind meanwhile", async () => {
    const journal = new EngineJournal(viaLink);
    const leases = await BotLeases.register(db.prisma, { host: "test", pid: 1 }, { ttlMs: 6_000, journal: () => journal.getStats() });
    journal.recordOrder(order("outage-1"));
    await journal.flush();
    await leases.tick();
    const healthy = await db.prisma.engineInstance.findUniqueOrThrow({ where: { id: leases.engineId } });
    expect(healthy).toMatchObject({ journalPending: 0, journalLastError: null, journalSetAside: 0 });
    expect(healthy.heartbeatAt.getTime() - healthy.journalCaughtUpAt!.getTime()).toBeLessThan(2_000);

    await link.cut();
    journal.recordOrder(order("outage-1", { status: "PARTIALLY_FILLED", executedQty: "0.001", exchangeOrderId: "901" }));
    journal.recordFill(fill("outage-1", "901", { exchangeOrderId: "901" }));
    journal.recordEvent({ botId: bot.id, time: new Date(), type: "probe", reason: "during the outage" });
    journal.recordKpis(kpi("2026-02-01T02:00:00.000Z", 4));
    for (let attempt = 0; attempt < 3; attempt += 1) await expect(journal.flush()).rejects.toThrow();
    journal.recordKpis(kpi("2026-02-01T02:00:00.000Z", 1));
    await expect(journal.flush()).rejects.toThrow();
    expect(journal.getStats()).toMatchObject({ pending: 4, failedFlushes: 4, setAside: 0 });

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await leases.tick();
    const failing = await db.prisma.engineInstance.findUniqueOrThrow({ where: { id: leases.engineId } });
    expect(failing.journalPending).toBe(4);
    expect(failing.journalLastError).toBeTruthy();
    expect(failing.journalLastErrorAt).not.toBeNull();
    // Caught up more than a second before this heartbeat: the dashboard reads that as "behind".
    expect(failing.heartbeatAt.getTime() - failing.journalCaughtUpAt!.getTime()).toBeGreaterThanOrEqual(1_000);
    expect(await db.prisma.fill.count({ where: { tradeId: "901" } })).toBe(0);

    await link.open();
    await journal.flush();
    expect(journal.getStats()).toMatchObject({ pending: 0, setAside: 0 });
    const stored = await db.prisma.order.findFirstOrThrow({ where: { clientOrderId: "outage-1" }, include: { fills: true } });
    expect(stored).toMatchObject({ status: "PARTIALLY_FILLED", exchangeOrderId: "901" });
    expect(stored.fills.map((f) => f.tradeId)).toEqual(["901"]);
    expect(await db.prisma.botEvent.count({ where: { type: "probe", reason: "during the outage" } })).toBe(1);
    // The KPI deltas of the failed flushes were added once each, not once per attempt.
    const bucket = await db.prisma.kpiBucket.findFirstOrThrow({ where: { botId: bot.id, minute: new Date("2026-02-01T02:00:00.000Z") } });
    expect(bucket).toMatchObject({ ordersPlaced: 5, runningMs: 2000 });
    expect(await db.prisma.journalFailure.count({ where: { recordKey: { contains: "outage-1" } } })).toBe(0);

    await leases.tick();
    const recovered = await db.prisma.engineInstance.findUniqueOrThrow({ where: { id: leases.engineId } });
    expect(recovered.journalPending).toBe(0);
    expect(recovered.heartbeatAt.getTime() - recovered.journalCaughtUpAt!.getTime()).toBeLessThan(1_000);
    await leases.shutdown();
  }, 30_000);
});
