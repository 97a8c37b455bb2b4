// The real engine against the real simulator over real sockets, with a real Postgres.
import { generateEncryptionKey, parseEncryptionKey } from "@bandkeeper/db";
import { seedDemo, DEMO_SIMULATOR_CREDENTIALS } from "@bandkeeper/db/seed";
import { createTestDatabase, type TestDatabase } from "@bandkeeper/db/testing";
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Supervisor } from "../../src/fleet/supervisor";
import { createLogger } from "../../src/observability/log";
import { EngineMetrics } from "../../src/observability/metrics";
import { wallClock } from "../../src/wall-clock";
import { auditEventLog } from "../replay/audit-checker";
import { fileAuditTrails } from "../../src/audit/audit-trail";
import { testServerUrl, until } from "@bandkeeper/testkit";

const auditDir = mkdtempSync(join(tmpdir(), "bk-audit-"));
const key = parseEncryptionKey(generateEncryptionKey());
let db: TestDatabase;
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startExchangeSimulator({
    port: 0,
    symbols: ["BTCUSDT", "ETHUSDT", "BNBUSDT"],
    accounts: [{ ...DEMO_SIMULATOR_CREDENTIALS, balances: { USDT: "5000000", BTC: "50", ETH: "1000", BNB: "5000" } }],
  });
  db = await createTestDatabase(testServerUrl, "bk_engine_it");
  await seedDemo(db.prisma, { encryptionKey: key, simulator: { ...DEMO_SIMULATOR_CREDENTIALS, baseUrl: sim.baseUrl } });
});
afterAll(async () => {
  rmSync(auditDir, { recursive: true, force: true });
  await sim?.close();
  await db?.drop();
});

function openOrders(symbol: string) {
  const accountId = sim.exchange.accountByApiKey(DEMO_SIMULATOR_CREDENTIALS.apiKey)!.accountId;
  return sim.exchange.openOrders(accountId, symbol);
}

describe("engine on the simulator", () => {
  it("quotes every seeded bot two-sided inside the band, journals it, and cancels everything on shutdown", async () => {
    const metrics = new EngineMetrics();
    const supervisor = new Supervisor({
      prisma: db.prisma,
      databaseUrl: db.url,
      encryptionKey: key,
      defaultSimulatorUrl: sim.baseUrl,
      clock: wallClock,
      logger: createLogger({ level: "warn" }),
      metrics,
      timing: { leaseTickMs: 200, journalFlushMs: 100, kpiFlushMs: 200 },
      auditTrail: fileAuditTrails(auditDir),
    });
    const started = Date.now();
    await supervisor.start();
    try {
      for (const symbol of ["BTCUSDT", "ETHUSDT", "BNBUSDT"]) {
        const orders = await until(() => {
          const open = openOrders(symbol);
          return open.some((o) => o.side === "BUY") && open.some((o) => o.side === "SELL") ? open : undefined;
        }, 10_000, `${symbol} two-sided`);
        const mid = sim.exchange.bookTicker(symbol);
        const reference = (Number(mid.bidPrice) + Number(mid.askPrice)) / 2;
        for (const order of orders) {
          const distance = Math.abs(Number(order.price) - reference) / reference;
          expect(distance).toBeGreaterThan(0.0015);
          expect(distance).toBeLessThan(0.0045);
          expect(Number(order.price) * Number(order.origQty)).toBeGreaterThanOrEqual(10_000);
          expect(order.type).toBe("LIMIT_MAKER");
        }
      }
      const twoSidedAfterMs = Date.now() - started;
      expect(twoSidedAfterMs).toBeLessThan(10_000);

      await until(async () => ((await db.prisma.bot.count({ where: { actualState: "QUOTING" } })) === 3 ? true : undefined), 5_000, "bots QUOTING in Postgres");
      await until(async () => ((await db.prisma.kpiBucket.aggregate({ _sum: { twoSidedMs: true } }))._sum.twoSidedMs ?? 0) > 0 ? true : undefined, 5_000, "KPI buckets");
      await until(async () => ((await db.prisma.order.count({ where: { status: "NEW" } })) >= 6 ? true : undefined), 5_000, "acknowledged orders journaled");
      expect(await db.prisma.botConfigVersion.count({ where: { appliedAt: { not: null } } })).toBe(3);

      // The dashboard's market snapshot: each bot's reference price between the book's best bid and ask.
      const snapshots = await until(async () => {
        const rows = await db.prisma.botMarketSnapshot.findMany({ where: { referencePrice: { not: null }, bestBid: { not: null } } });
        return rows.length === 3 ? rows : undefined;
      }, 5_000, "market snapshots of the three bots");
      for (const snapshot of snapshots) {
        const reference = Number(snapshot.referencePrice);
        expect(Number(snapshot.bestBid)).toBeLessThan(Number(snapshot.bestAsk));
        expect(Math.abs(reference - Number(snapshot.bestBid)) / reference).toBeLessThan(0.001);
      }

      // Prometheus: states, KPI flags, acknowledgement latency and rate-limit use, per bot and account.
      const quotingBots = (text: string) => text.match(/^bandkeeper_bot_state\{[^}]*state="QUOTING"\} 1$/gm)?.length ?? 0;
      const twoSidedBots = (text: string) => text.match(/^bandkeeper_bot_kpi_flag\{[^}]*kpi="two_sided"\} 1$/gm)?.length ?? 0;
      const exposition = await until(async () => {
        const text = await metrics.registry.metrics();
        const gauges = text.includes('bandkeeper_rate_limit_used{scope="Simulator",limit="ORDERS_10SECOND"}');
        return gauges && quotingBots(text) === 3 && twoSidedBots(text) === 3 ? text : undefined;
      }, 10_000, "state, KPI and rate-limit gauges of the three bots");
      expect(exposition).toMatch(/^bandkeeper_order_ack_seconds_count\{account="Simulator",kind="place"\} [1-9]/m);
      expect(exposition).toMatch(/^bandkeeper_orders_total\{[^}]*side="BUY"\} [1-9]/m);
    } finally {
      await supervisor.stop();
    }
    for (const symbol of ["BTCUSDT", "ETHUSDT", "BNBUSDT"]) expect(openOrders(symbol)).toEqual([]);
    expect(await db.prisma.bot.count({ where: { actualState: "STOPPED" } })).toBe(3);
    expect(await db.prisma.botLease.count()).toBe(0);

    // Each bot run left an audit trail from which an auditor recomputes the KPIs the engine journaled.
    const files = await readdir(auditDir);
    expect(files, files.join(", ")).toHaveLength(3);
    for (const file of files) {
      const text = await readFile(join(auditDir, file), "utf8");
      const header = JSON.parse(text.slice(0, text.indexOf("\n"))) as { source: string; botId: string };
      expect(header.source).toBe("live");
      const audit = auditEventLog(text);
      const journaled = await db.prisma.kpiBucket.aggregate({ where: { botId: header.botId }, _sum: { runningMs: true, twoSidedMs: true } });
      expect(audit.ordersAcked).toBeGreaterThanOrEqual(2);
      expect(Math.abs(audit.runningMs - (journaled._sum.runningMs ?? 0))).toBeLessThanOrEqual(5);
      expect(Math.abs(audit.twoSidedMs - (journaled._sum.twoSidedMs ?? 0))).toBeLessThanOrEqual(5);
      const rolledUp = await db.prisma.kpiHourBucket.aggregate({ where: { botId: header.botId }, _sum: { runningMs: true, twoSidedMs: true } });
      expect(rolledUp._sum).toEqual(journaled._sum);
    }
  }, 60_000);
});
