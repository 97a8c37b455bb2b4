// The engine as an operator's probes and Prometheus see it: `src/main.ts` as a child process with
// ENGINE_METRICS_PORT=0, a real simulator and a Postgres of the test's own that it stops. /readyz is 200 while the
// database answers, the leases renew and the market stream is connected, and 503 naming the database once Postgres
// stops (while /healthz stays 200: the process is alive). /metrics carries what the dashboards and alert rules
// read: bot info, the symbol on every per-bot series, KPI ratios, balances, connections and reconnects (after the
// simulator drops every connection), rate-limit use per account and IP, the journal. Headless mode too.
import { mkdtempSync, rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDatabase } from "@bandkeeper/db/postgres";
import { DEMO_SIMULATOR_CREDENTIALS } from "@bandkeeper/db/seed";
import { startExchangeSimulator } from "@bandkeeper/exchange-sim";
import { describe, expect, it } from "vitest";
import { killEngine, SteeredMarket, spawnEngine, spawnEngineProcess, startWorld, twoSided, until, type EngineProcess } from "./harness";

interface Readiness {
  status: string;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** The metrics address the engine logged once it listened. */
function metricsBase(engine: EngineProcess): Promise<string> {
  return until(
    () => {
      const line = engine.logs.find((entry) => entry.msg === "metrics served");
      return typeof line?.url === "string" ? line.url.replace(/\/metrics$/, "") : undefined;
    },
    30_000,
    "the metrics served log line",
  );
}

async function readiness(base: string): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness };
}

async function scrape(base: string): Promise<string> {
  return (await fetch(`${base}/metrics`)).text();
}

/** The value of the first series of `name` whose labels include every `label="value"` given. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("operations: probes and metrics of a running engine", () => {
  it("ready while Postgres answers, not ready once it stops; /metrics as the dashboards read it", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "bk-engine-ready-"));
    const database = await startDatabase({ projectDataDir: dataDir });
    const world = await startWorld("bk_engine_ready", { runningSymbols: ["BTCUSDT"], serverUrl: database.url });
    const engine = spawnEngine(world, { ENGINE_LEASE_TTL_MS: "2000", ENGINE_METRICS_PORT: "0", ENGINE_METRICS_HOST: "127.0.0.1" });
    const botId = world.botIds.BTCUSDT!;
    try {
      const base = await metricsBase(engine);
      await until(() => twoSided(world, "BTCUSDT"), 30_000, "BTCUSDT two-sided").catch((error: unknown) => {
        console.error(engine.logs.slice(-30).map((l) => JSON.stringify(l)).join("\n"), engine.stderr.join(""));
        throw error;
      });
      const ready = await until(async () => {
        const answer = await readiness(base);
        return answer.status === 200 ? answer : undefined;
      }, 10_000, "/readyz 200");
      expect(ready.body.status).toBe("ready");
      expect(Object.keys(ready.body.checks).sort()).toEqual(["database", "leases", "marketData"]);

      // KPI ratios need a few drained seconds, and the QUOTING state is reported once it has held for 2 s.
      let last = "";
      const text = await until(async () => {
        last = await scrape(base);
        const kpis = sample(last, "bandkeeper_bot_kpi_ratio", { bot: botId, kpi: "two_sided", window: "1m" }) !== undefined;
        return kpis && sample(last, "bandkeeper_bot_state", { bot: botId, state: "QUOTING" }) === 1 ? last : undefined;
      }, 15_000, "the 1-minute KPI gauges and the QUOTING state").catch((error: unknown) => {
        console.error(last.split("\n").filter((line) => line.startsWith("bandkeeper_bot_")).join("\n"));
        throw error;
      });
      expect(sample(text, "bandkeeper_bot_info", { bot: botId, name: "Simulator/BTCUSDT", account: "Simulator", symbol: "BTCUSDT" })).toBe(1);
      expect(sample(text, "bandkeeper_bot_state", { bot: botId, symbol: "BTCUSDT", state: "QUOTING" })).toBe(1);
      expect(sample(text, "bandkeeper_orders_total", { bot: botId, symbol: "BTCUSDT", side: "BUY" })).toBeGreaterThan(0);
      // The first quotes come from the start-up decision (a still market prompts no other): counted apart from the
      // market-event decisions, which only a moving market makes.
      expect(sample(text, "bandkeeper_other_decision_seconds_count", { bot: botId, symbol: "BTCUSDT" })).toBeGreaterThan(0);
      for (const window of ["1m", "5m", "1h"]) {
        const ratio = sample(text, "bandkeeper_bot_kpi_ratio", { bot: botId, symbol: "BTCUSDT", kpi: "spread_compliance", window });
        expect(ratio, window).toBeGreaterThanOrEqual(0);
        expect(ratio, window).toBeLessThanOrEqual(1);
        expect(sample(text, "bandkeeper_bot_kpi_running_seconds", { bot: botId, window })).toBeGreaterThan(0);
      }
      expect(sample(text, "bandkeeper_account_balance", { account: "Simulator", asset: "USDT", state: "free" })).toBeGreaterThan(0);
      expect(sample(text, "bandkeeper_account_balance", { account: "Simulator", asset: "BTC", state: "locked" })).toBeGreaterThanOrEqual(0);
      expect(sample(text, "bandkeeper_exchange_connected", { connection: "market_stream" })).toBe(1);
      expect(sample(text, "bandkeeper_exchange_connected", { connection: "websocket_api", account: "Simulator" })).toBe(1);
      // The day's order count only grows; a 10-second or 1-minute window may have just rolled over to 0.
      expect(sample(text, "bandkeeper_rate_limit_used", { scope: "Simulator", limit: "ORDERS_1DAY" })).toBeGreaterThan(0);
      expect(sample(text, "bandkeeper_rate_limit_used", { scope: "Simulator", limit: "ORDERS_10SECOND" })).toBeGreaterThanOrEqual(0);
      expect(text).toMatch(/^bandkeeper_rate_limit_used\{scope="ip 127\.0\.0\.1:\d+",limit="REQUEST_WEIGHT_1MINUTE"\} \d+$/m);
      expect(sample(text, "bandkeeper_journal_pending")).toBeGreaterThanOrEqual(0);
      expect(sample(text, "bandkeeper_journal_failed_flushes_total")).toBe(0);
      expect(sample(text, "bandkeeper_journal_records_set_aside_total")).toBe(0);

      // Every connection dropped: both come back, and each reconnect is counted.
      const dropped = await fetch(`${world.sim.baseUrl}/admin/connections/drop`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(dropped.status).toBe(200);
      const reconnected = await until(async () => {
        const body = await scrape(base);
        const market = sample(body, "bandkeeper_exchange_reconnects_total", { connection: "market_stream" }) ?? 0;
        const api = sample(body, "bandkeeper_exchange_reconnects_total", { connection: "websocket_api", account: "Simulator" }) ?? 0;
        return market >= 1 && api >= 1 && sample(body, "bandkeeper_exchange_connected", { connection: "market_stream" }) === 1 ? body : undefined;
      }, 20_000, "both connections reconnected and counted");
      expect(sample(reconnected, "bandkeeper_exchange_connected", { connection: "websocket_api" })).toBe(1);

      // Postgres stops: the database check fails at once, the leases once they go unrenewed; the process lives on.
      await world.db.prisma.$disconnect();
      await database.stop();
      const notReady = await until(async () => {
        const answer = await readiness(base);
        return answer.status === 503 && answer.body.checks.database?.ok === false && answer.body.checks.leases?.ok === false ? answer : undefined;
      }, 15_000, "/readyz 503 with the database and the leases failing");
      expect(notReady.body.status).toBe("not ready");
      expect(notReady.body.checks.database?.detail).toBeTruthy();
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await killEngine(engine);
      await world.sim.close();
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("headless: ready without a database; bot info, KPI ratios and rate-limit use per account and IP", async () => {
    const market = new SteeredMarket("BTCUSDT");
    const sim = await startExchangeSimulator({
      port: 0,
      symbols: ["BTCUSDT"],
      accounts: [{ ...DEMO_SIMULATOR_CREDENTIALS, balances: { USDT: "1000000", BTC: "20" } }],
      market: { models: { BTCUSDT: market } },
    });
    const dir = await mkdtemp(join(tmpdir(), "bk-headless-metrics-"));
    const file = join(dir, "bots.yaml");
    await writeFile(
      file,
      ["accounts:", "  - { name: sim, venue: SIMULATOR, apiKey: '${KEY}', apiSecret: '${SECRET}' }", "bots:", "  - { account: sim, symbol: BTCUSDT }", ""].join("\n"),
    );
    const engine = spawnEngineProcess(
      { SIMULATOR_URL: sim.baseUrl, KEY: DEMO_SIMULATOR_CREDENTIALS.apiKey, SECRET: DEMO_SIMULATOR_CREDENTIALS.apiSecret, ENGINE_METRICS_PORT: "0" },
      ["--config", file],
    );
    try {
      const base = await metricsBase(engine);
      const text = await until(async () => {
        const body = await scrape(base);
        return sample(body, "bandkeeper_bot_kpi_ratio", { kpi: "two_sided", window: "1m" }) !== undefined && sample(body, "bandkeeper_rate_limit_used", { scope: "sim" }) !== undefined
          ? body
          : undefined;
      }, 30_000, "headless KPI and rate-limit gauges");
      expect(sample(text, "bandkeeper_bot_info", { name: "sim/BTCUSDT", account: "sim", symbol: "BTCUSDT" })).toBe(1);
      expect(sample(text, "bandkeeper_rate_limit_used", { scope: "sim", limit: "ORDERS_1DAY" })).toBeGreaterThan(0);
      expect(text).toMatch(/^bandkeeper_rate_limit_used\{scope="ip 127\.0\.0\.1:\d+",limit="REQUEST_WEIGHT_1MINUTE"\} \d+$/m);
      expect(sample(text, "bandkeeper_orders_total", { symbol: "BTCUSDT" })).toBeGreaterThan(0);
      const ready = await readiness(base);
      expect(ready.status).toBe(200);
      expect(ready.body.checks).toEqual({ bots: { ok: true, detail: "1 of 1 running" }, marketData: { ok: true, detail: "1 market stream(s) connected" } });

      engine.child.kill("SIGTERM");
      expect((await engine.exited).code).toBe(0);
    } finally {
      await killEngine(engine);
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
