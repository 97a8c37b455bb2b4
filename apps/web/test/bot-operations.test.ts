// The overview, bot page and bot operation procedures through the real router against a real database: every
// role, team scoping, and the numbers they compute from the engine's rows.
import { randomBytes } from "node:crypto";
import { DEMO_LOGINS, seedDemo } from "@bandkeeper/db/seed";
import { type TestDatabase, createTestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KPI_CSV_COLUMNS, kpiCsv } from "../src/server/kpis/csv";
import { createCaller } from "../src/server/routers";
import type { SessionUser } from "../src/server/trpc";
import { createOtherTeam } from "./support/other-team";
import { rejection } from "./support/rejection";
import { testServerUrl } from "@bandkeeper/testkit";

const ROLES = ["OWNER", "ADMIN", "TRADER", "VIEWER"] as const;
type Role = (typeof ROLES)[number];

let database: TestDatabase;
const members = new Map<Role, SessionUser>();
let btcBotId: string;
let otherTeamBotId: string;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const floor = (time: number, unit: number) => Math.floor(time / unit) * unit;

function caller(role: Role) {
  const user = members.get(role);
  if (!user) throw new Error(`no ${role}`);
  return createCaller({ db: database.prisma, user });
}

beforeAll(async () => {
  database = await createTestDatabase(testServerUrl, "bk_web_bots");
  const prisma = database.prisma;
  const teamId = (await seedDemo(prisma, { encryptionKey: randomBytes(32) })).teamId;
  for (const login of DEMO_LOGINS) {
    const user = await prisma.user.findUniqueOrThrow({ where: { email: login.email } });
    members.set(login.role, { id: user.id, email: user.email, name: user.name, teamId });
  }
  const btc = await prisma.bot.findFirstOrThrow({ where: { teamId, symbol: "BTCUSDT" } });
  btcBotId = btc.id;

  // What the engine writes while the BTC bot quotes: a market snapshot, two resting orders, fills, events, KPIs.
  const now = Date.now();
  await prisma.botMarketSnapshot.create({
    data: { botId: btc.id, referencePrice: "60000", bestBid: "59999.99", bestAsk: "60000.01", marketTime: new Date(now), updatedAt: new Date(now) },
  });
  const order = (side: "BUY" | "SELL", price: string, status: "NEW" | "CANCELED", id: string) => ({
    botId: btc.id,
    exchangeAccountId: btc.exchangeAccountId,
    symbol: "BTCUSDT",
    clientOrderId: id,
    side,
    price,
    quantity: "0.175",
    status,
    placedAt: new Date(now - 5_000),
  });
  await prisma.order.createMany({
    data: [
      order("BUY", "59820", "NEW", "o-1"),
      order("BUY", "59800", "NEW", "o-2"),
      order("SELL", "60180", "NEW", "o-3"),
      order("SELL", "60100", "CANCELED", "o-4"),
    ],
  });
  await prisma.fill.create({
    data: {
      botId: btc.id,
      exchangeAccountId: btc.exchangeAccountId,
      symbol: "BTCUSDT",
      tradeId: "t-1",
      exchangeOrderId: "9",
      side: "BUY",
      price: "59820",
      quantity: "0.001",
      quoteQty: "59.82",
      commission: "0",
      commissionAsset: "BTC",
      isMaker: true,
      time: new Date(now - 1_000),
    },
  });
  await prisma.botEvent.create({ data: { botId: btc.id, type: "state", fromState: "STARTING", toState: "QUOTING", reason: "two-sided" } });
  // Ten minutes of the last hour, one with a 2-second breach of the band; the day's hour rollups hold more.
  const histogram = [0, 0, 0, 0, 5];
  await prisma.kpiBucket.createMany({
    data: Array.from({ length: 10 }, (_, i) => ({
      botId: btc.id,
      minute: new Date(floor(now, MINUTE) - i * MINUTE),
      runningMs: 60_000,
      compliantMs: i === 3 ? 58_000 : 60_000,
      twoSidedMs: 60_000,
      depthMs: 60_000,
      ordersPlaced: 10,
      ordersDepthOk: 10,
      ordersFilled: i === 0 ? 1 : 0,
      placedNotional: "105000",
      latencyCount: 5,
      latencySumMs: 100,
      latencyMaxMs: 30,
      latencyHistogram: histogram,
    })),
  });
  await prisma.kpiHourBucket.createMany({
    data: Array.from({ length: 30 }, (_, i) => ({
      botId: btc.id,
      hour: new Date(floor(now, HOUR) - i * HOUR),
      runningMs: 3_600_000,
      compliantMs: 3_600_000,
      twoSidedMs: 3_599_000,
      depthMs: 3_600_000,
      ordersPlaced: 100,
      ordersDepthOk: 100,
      latencyCount: 10,
      latencySumMs: 200,
      latencyMaxMs: 40,
      latencyHistogram: [0, 0, 10],
    })),
  });

  otherTeamBotId = (await createOtherTeam(prisma, { symbol: "BTCUSDT", desiredState: "RUNNING" })).botId;
});

afterAll(async () => {
  await database?.drop();
});

describe("bots.overview", () => {
  it.each(ROLES)("shows a %s every bot of the team with state, market, quotes and KPIs", async (role) => {
    const overview = await caller(role).bots.overview();
    expect(overview.bots.map((bot) => bot.symbol)).toEqual(["BNBUSDT", "BTCUSDT", "ETHUSDT"]);
    const btc = overview.bots.find((bot) => bot.id === btcBotId)!;
    expect(btc.market).toMatchObject({ referencePrice: "60000", bestBid: "59999.99", bestAsk: "60000.01" });
    // The best resting bid and ask; the cancelled ask does not count.
    expect(btc.bid?.price).toBe("59820");
    expect(btc.bid?.distance).toBeCloseTo(-0.003);
    expect(btc.ask?.price).toBe("60180");
    expect(btc.ask?.distance).toBeCloseTo(0.003);
    expect(btc.openOrders).toBe(3);
    expect(btc.kpis.hour.runningMs).toBe(600_000);
    expect(btc.kpis.hour.spreadCompliance).toBeCloseTo(598_000 / 600_000);
    expect(btc.kpis.hour.passiveFillRate).toBeCloseTo(1 / 100);
    expect(btc.kpis.hour.responseLatencyMs.count).toBe(50);
    // The day reads 24 hour rollups, not the minute rows.
    expect(btc.kpis.day.runningMs).toBe(24 * 3_600_000);
    expect(btc.kpis.day.twoSided).toBeCloseTo(3_599_000 / 3_600_000);
    expect(btc.kpis.day.responseLatencyMs.count).toBe(240);
    const eth = overview.bots.find((bot) => bot.symbol === "ETHUSDT")!;
    expect(eth).toMatchObject({ market: null, bid: null, ask: null, openOrders: 0, heartbeatAt: null });
    expect(eth.kpis.hour).toMatchObject({ runningMs: 0, spreadCompliance: null });
    // No engine holds a lease in this test.
    expect(overview.engineHeartbeatAt).toBeNull();
  });

  it("reports the engine's heartbeat: the newest lease renewal among the team's bots", async () => {
    const engine = await database.prisma.engineInstance.create({ data: { host: "test", pid: 1 } });
    const heartbeatAt = new Date(Date.now() - 1_500);
    const lease = await database.prisma.botLease.create({
      data: { botId: btcBotId, engineInstanceId: engine.id, heartbeatAt, expiresAt: new Date(Date.now() + 6_000) },
    });
    try {
      const overview = await caller("VIEWER").bots.overview();
      expect(overview.engineHeartbeatAt).toEqual(heartbeatAt);
      expect(overview.bots.find((bot) => bot.id === btcBotId)?.heartbeatAt).toEqual(heartbeatAt);
      expect(overview.bots.find((bot) => bot.symbol === "ETHUSDT")?.heartbeatAt).toBeNull();
    } finally {
      await database.prisma.botLease.delete({ where: { id: lease.id } });
    }
  });

  it("reports the journal of the engine holding the bots: behind, with what is waiting and why", async () => {
    const heartbeatAt = new Date(Date.now() - 500);
    const engine = await database.prisma.engineInstance.create({
      data: {
        host: "test",
        pid: 2,
        heartbeatAt,
        journalPending: 332,
        journalCaughtUpAt: new Date(heartbeatAt.getTime() - 90_000),
        journalLastError: "23505: duplicate key value violates unique constraint",
        journalLastErrorAt: heartbeatAt,
        journalSetAside: 1,
      },
    });
    const lease = await database.prisma.botLease.create({
      data: { botId: btcBotId, engineInstanceId: engine.id, heartbeatAt, expiresAt: new Date(Date.now() + 6_000) },
    });
    try {
      const overview = await caller("VIEWER").bots.overview();
      expect(overview.engineJournal).toEqual({
        pending: 332,
        behindMs: 90_000,
        lastError: "23505: duplicate key value violates unique constraint",
        lastErrorAt: heartbeatAt,
        setAside: 1,
      });
    } finally {
      await database.prisma.botLease.delete({ where: { id: lease.id } });
    }
    expect((await caller("VIEWER").bots.overview()).engineJournal).toBeNull();
  });

  it("shows nothing of another team", async () => {
    const overview = await caller("OWNER").bots.overview();
    expect(overview.bots.map((bot) => bot.id)).not.toContain(otherTeamBotId);
  });
});

describe("bots.detail and bots.kpiSeries", () => {
  it.each(ROLES)("show a %s the bot's orders, fills, events and config", async (role) => {
    const detail = await caller(role).bots.detail({ botId: btcBotId });
    const timeline = await caller(role).bots.events({ botId: btcBotId });
    expect(detail.bot).toMatchObject({ symbol: "BTCUSDT", config: { version: 1, band: { minSpread: 0.002, maxSpread: 0.004 } } });
    expect(detail.openOrders.map((order) => order.clientOrderId).sort()).toEqual(["o-1", "o-2", "o-3"]);
    expect(detail.fills).toHaveLength(1);
    expect(timeline.events[0]).toMatchObject({ type: "state", toState: "QUOTING" });
  });

  it("reads minute rows for an hour and hour rollups for a week", async () => {
    const hour = await caller("VIEWER").bots.kpiSeries({ botId: btcBotId, range: "1h" });
    expect(hour.points).toHaveLength(10);
    expect(hour.total.runningMs).toBe(600_000);
    const week = await caller("VIEWER").bots.kpiSeries({ botId: btcBotId, range: "7d" });
    expect(week.points).toHaveLength(30);
    expect(week.total.runningMs).toBe(30 * 3_600_000);
    const month = await caller("VIEWER").bots.kpiSeries({ botId: btcBotId, range: "30d" });
    // 30 hours in 6-hour points: 5 full points, or 6 when the hours straddle a point boundary.
    expect(month.points.length).toBeGreaterThanOrEqual(5);
    expect(month.points.length).toBeLessThanOrEqual(6);
    expect(month.total.runningMs).toBe(30 * 3_600_000);
  });

  it("refuses an unknown range, naming the field", async () => {
    const error = await rejection(caller("VIEWER").bots.kpiSeries({ botId: btcBotId, range: "2h" as "1h" }));
    expect(error.code).toBe("BAD_REQUEST");
  });

  it.each(["detail", "kpiSeries"] as const)("%s: another team's bot is not found", async (procedure) => {
    const call =
      procedure === "detail"
        ? caller("OWNER").bots.detail({ botId: otherTeamBotId })
        : caller("OWNER").bots.kpiSeries({ botId: otherTeamBotId, range: "1h" });
    expect((await rejection(call)).code).toBe("NOT_FOUND");
  });
});

describe("start, pause and emergency stop", () => {
  beforeEach(async () => {
    await database.prisma.bot.update({ where: { id: btcBotId }, data: { desiredState: "RUNNING" } });
  });

  it.each(["OWNER", "ADMIN", "TRADER"] as const)("a %s pauses, starts and emergency-stops, each with its audit entry", async (role) => {
    const user = members.get(role)!;
    const since = new Date();
    await expect(caller(role).bots.pause({ botId: btcBotId })).resolves.toMatchObject({ desiredState: "PAUSED", changed: true });
    await expect(caller(role).bots.start({ botId: btcBotId })).resolves.toMatchObject({ desiredState: "RUNNING", changed: true });
    await expect(caller(role).bots.emergencyStop({ botId: btcBotId, reason: "runaway quotes" })).resolves.toMatchObject({
      desiredState: "STOPPED",
      changed: true,
    });
    expect((await database.prisma.bot.findUniqueOrThrow({ where: { id: btcBotId } })).desiredState).toBe("STOPPED");
    const audit = await database.prisma.auditLog.findMany({ where: { actorId: user.id, entityId: btcBotId, createdAt: { gte: since } }, orderBy: { createdAt: "asc" } });
    expect(audit.map((entry) => entry.action)).toEqual(["bot.pause", "bot.start", "bot.emergency_stop"]);
    expect(audit[2]?.payload).toEqual({ from: "RUNNING", to: "STOPPED", reason: "runaway quotes" });
    const event = await database.prisma.botEvent.findFirst({ where: { botId: btcBotId, type: "operator_emergency_stop" }, orderBy: { time: "desc" } });
    expect(event?.reason).toBe(`Emergency stop by ${user.name}: runaway quotes`);
  });

  it("pausing a stopped bot changes nothing: it stays stopped", async () => {
    await database.prisma.bot.update({ where: { id: btcBotId }, data: { desiredState: "STOPPED" } });
    await expect(caller("TRADER").bots.pause({ botId: btcBotId })).resolves.toEqual({ id: btcBotId, desiredState: "STOPPED", changed: false });
  });

  it("asking for the state the bot is already in changes nothing and writes no audit entry", async () => {
    const before = await database.prisma.auditLog.count();
    await expect(caller("TRADER").bots.start({ botId: btcBotId })).resolves.toMatchObject({ changed: false });
    expect(await database.prisma.auditLog.count()).toBe(before);
  });

  it.each(["start", "pause", "emergencyStop"] as const)("a VIEWER cannot %s: refused, nothing changes", async (procedure) => {
    const before = await database.prisma.auditLog.count();
    const error = await rejection(caller("VIEWER").bots[procedure]({ botId: btcBotId }));
    expect(error.code).toBe("FORBIDDEN");
    expect((await database.prisma.bot.findUniqueOrThrow({ where: { id: btcBotId } })).desiredState).toBe("RUNNING");
    expect(await database.prisma.auditLog.count()).toBe(before);
  });

  it.each(["start", "pause", "emergencyStop"] as const)("%s on another team's bot is not found and changes nothing", async (procedure) => {
    const error = await rejection(caller("OWNER").bots[procedure]({ botId: otherTeamBotId }));
    expect(error.code).toBe("NOT_FOUND");
    expect((await database.prisma.bot.findUniqueOrThrow({ where: { id: otherTeamBotId } })).desiredState).toBe("RUNNING");
  });

  it("refuses an over-long reason, naming the field", async () => {
    const error = await rejection(caller("TRADER").bots.emergencyStop({ botId: btcBotId, reason: "x".repeat(501) }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("reason");
  });
});

describe("bots.kpiExport and the CSV", () => {
  const todayUtc = () => new Date().toISOString().slice(0, 10);

  it.each(ROLES)("gives a %s the bot's rows of whole UTC days, and the CSV adds them up", async (role) => {
    const exported = await caller(role).bots.kpiExport({ botId: btcBotId, from: todayUtc(), to: todayUtc(), resolution: "minute" });
    const minutesToday = exported.buckets.length;
    expect(minutesToday).toBeGreaterThan(0);
    expect(minutesToday).toBeLessThanOrEqual(10);
    const csv = kpiCsv(exported.buckets).trimEnd().split("\r\n");
    expect(csv[0]?.split(",")).toEqual([...KPI_CSV_COLUMNS]);
    expect(csv).toHaveLength(minutesToday + 2);
    const total = Object.fromEntries(KPI_CSV_COLUMNS.map((column, i) => [column, csv.at(-1)?.split(",")[i]]));
    expect(total.period_start_utc).toBe("TOTAL");
    expect(Number(total.running_ms)).toBe(minutesToday * 60_000);
    expect(Number(total.orders_placed)).toBe(minutesToday * 10);
    expect(Number(total.spread_compliance)).toBeCloseTo(Number(total.spread_compliant_ms) / Number(total.running_ms), 12);
  });

  it("refuses a period that ends before it starts, or a minute export longer than a week, naming the field", async () => {
    const backwards = await rejection(caller("VIEWER").bots.kpiExport({ botId: btcBotId, from: "2026-11-20", to: "2026-11-19" }));
    expect(backwards.code).toBe("BAD_REQUEST");
    expect(backwards.message).toContain("must not be before from");
    const long = await rejection(caller("VIEWER").bots.kpiExport({ botId: btcBotId, from: "2026-11-01", to: "2026-11-08", resolution: "minute" }));
    expect(long.message).toContain("at most 7 days");
    const malformed = await rejection(caller("VIEWER").bots.kpiExport({ botId: btcBotId, from: "27.11.2026", to: "2026-11-27" }));
    expect(malformed.message).toContain("must be a date like");
  });

  it("another team's bot is not found", async () => {
    const error = await rejection(caller("OWNER").bots.kpiExport({ botId: otherTeamBotId, from: todayUtc(), to: todayUtc() }));
    expect(error.code).toBe("NOT_FOUND");
  });
});
