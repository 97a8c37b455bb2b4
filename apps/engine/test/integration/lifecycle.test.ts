// The engine when the things around it fail: the database goes away while it stops (it still cancels on the
// exchange, then exits 0 with one line, never an uncaught error), and an account whose keys the exchange refuses
// while it quotes (a named state, one event per episode, retries that back off to a cap, recovery on its own).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptSecret } from "@bandkeeper/db/crypto";
import { DEMO_SIMULATOR_CREDENTIALS } from "@bandkeeper/db/seed";
import { startDatabase } from "@bandkeeper/db/postgres";
import { describe, expect, it } from "vitest";
import { inProcessEngine, killEngine, openOrders, spawnEngine, startWorld, twoSided, until } from "./harness";

const DEMO_BALANCES = { USDT: "5000000", BTC: "50", ETH: "1000", BNB: "5000" };

describe("engine lifecycle", () => {
  it("loses Postgres during shutdown: cancels its orders on the exchange, then exits 0 with one line", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "bk-engine-dbloss-"));
    const database = await startDatabase({ projectDataDir: dataDir });
    const world = await startWorld("bk_engine_dbloss", { runningSymbols: ["BTCUSDT"], serverUrl: database.url });
    const engine = spawnEngine(world, { ENGINE_LEASE_TTL_MS: "2000" });
    try {
      await until(() => twoSided(world, "BTCUSDT"), 30_000, "BTCUSDT two-sided").catch((error: unknown) => {
        console.error(engine.logs.slice(-30).map((l) => JSON.stringify(l)).join("\n"), engine.stderr.join(""));
        throw error;
      });
      await world.db.prisma.$disconnect();
      await database.stop();

      engine.child.kill("SIGTERM");
      const exit = await engine.exited;
      const stderr = engine.stderr.join("");
      expect(exit, stderr).toEqual({ code: 0, signal: null });
      expect(openOrders(world, "BTCUSDT")).toEqual([]);
      const lines = stderr.split("\n").filter((line) => line.trim() !== "");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^engine stopped; the database was unreachable, so \d+ journal records and the bot leases were not written \(orders were cancelled on the exchange first; the next start reconciles\): \S/,
      );
      // The stop said what it could not do in its own words; nothing escaped as an uncaught error.
      expect(engine.logs.filter((entry) => entry.msg === "stopping")).toHaveLength(1);
      expect(stderr).not.toMatch(/Unhandled|uncaught| {4}at /i);
    } finally {
      await killEngine(engine);
      await world.sim.close();
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it("an account whose keys are refused while quoting: FAULTED with the reason, one event, backing off to the cap, recovering by itself once the keys work", async () => {
    const world = await startWorld("bk_engine_auth", { runningSymbols: ["BTCUSDT"] });
    const botId = world.botIds.BTCUSDT!;
    const logs: { time: number; msg: string }[] = [];
    const sim = world.sim;
    const timing = { restartDelayMs: 200, authRetryMaxMs: 1_600, leaseTickMs: 100, reconcileMs: 500 };
    const engine = inProcessEngine(world, timing, undefined, (line) => {
      const entry = JSON.parse(line) as { msg: string };
      logs.push({ time: Date.now(), msg: entry.msg });
      if (process.env.ENGINE_TEST_LOG === "1") console.log(line);
    });
    try {
      await engine.start();
      await until(() => twoSided(world, "BTCUSDT"), 30_000, "BTCUSDT two-sided");
      // The simulator forgets the account's key (as it did when it restarted without persisted accounts).
      const revoked = await fetch(`${sim.baseUrl}/admin/accounts/revoke`, {
        method: "POST",
        body: JSON.stringify({ apiKey: DEMO_SIMULATOR_CREDENTIALS.apiKey }),
      });
      expect(revoked.status).toBe(200);

      const attempts = () => logs.filter((l) => l.msg === "account authentication failed; retrying with backoff" || l.msg === "account authentication still failing");
      await until(() => (attempts().length >= 6 ? true : undefined), 30_000, "six authentication attempts");

      const times = attempts().map((attempt) => attempt.time);
      const gaps = times.slice(1).map((time, i) => time - times[i]!);
      console.info(`gaps between authentication attempts (ms): ${gaps.join(", ")}`);
      // 200, 400, 800, then the 1 600 cap (each plus a lease tick of 100 ms and the start attempt itself): not a
      // fixed few seconds for ever.
      expect(gaps[0]).toBeLessThan(1_000);
      expect(gaps[2]).toBeGreaterThanOrEqual(750);
      expect(gaps[3]).toBeGreaterThanOrEqual(1_550);
      expect(gaps[4]).toBeGreaterThanOrEqual(1_550);
      expect(gaps[4]).toBeLessThan(3_000);

      const faulted = await until(
        async () => {
          const bot = await world.db.prisma.bot.findUniqueOrThrow({ where: { id: botId } });
          const attempt = Number(/\(attempt (\d+);/.exec(bot.stateReason ?? "")?.[1] ?? 0);
          return attempt >= 6 ? bot : undefined;
        },
        5_000,
        "the sixth attempt journaled",
      );
      expect(faulted.actualState).toBe("FAULTED");
      expect(faulted.stateReason).toMatch(/^account authentication failed: Binance 401 -2015: .+ \(attempt \d+; next at \d\d:\d\d:\d\d UTC\)$/);
      const events = () => world.db.prisma.botEvent.findMany({ where: { botId, type: { startsWith: "account_auth" } }, orderBy: { time: "asc" } });
      expect((await events()).map((e) => ({ type: e.type, toState: e.toState }))).toEqual([{ type: "account_auth_failed", toState: "FAULTED" }]);

      // The keys are fixed: a new key on the simulator, saved on the account as the dashboard saves it. The bot quotes
      // again on its own, connecting anew with the new key.
      const fixed = { apiKey: "bk-rotated-key", apiSecret: "bk-rotated-secret" };
      const { accountId } = sim.addAccount({ ...fixed, balances: DEMO_BALANCES });
      await world.db.prisma.exchangeAccount.updateMany({
        data: { apiKeyCiphertext: encryptSecret(fixed.apiKey, world.encryptionKey), apiSecretCiphertext: encryptSecret(fixed.apiSecret, world.encryptionKey) },
      });
      await until(() => {
        const open = sim.exchange.openOrders(accountId, "BTCUSDT");
        return open.some((o) => o.side === "BUY") && open.some((o) => o.side === "SELL") ? true : undefined;
      }, 15_000, "BTCUSDT two-sided again");
      const recovered = await until(
        async () => {
          const rows = await events();
          return rows.length === 2 ? rows : undefined;
        },
        5_000,
        "the recovery journaled",
      );
      expect(recovered.map((e) => e.type)).toEqual(["account_auth_failed", "account_auth_recovered"]);
      expect(recovered[1]!.reason).toMatch(/^account authentication works again after \d+ failed attempts over \d+ s$/);
      const bot = await until(
        async () => {
          const row = await world.db.prisma.bot.findUniqueOrThrow({ where: { id: botId } });
          return row.actualState === "QUOTING" ? row : undefined;
        },
        10_000,
        "the bot QUOTING",
      );
      expect(bot.stateReason ?? "").not.toContain("authentication");

      // The time without a kernel still counts (docs/kpis.md): running, not two-sided, and one breach episode at
      // least as long as the outage (from the refused reconciliation to the restart).
      // (Both events are written a moment after the downtime's own marks: allow a little.)
      const outageMs = recovered[1]!.time.getTime() - recovered[0]!.time.getTime() - 100;
      const kpis = await until(
        async () => {
          const rows = await world.db.prisma.kpiBucket.findMany({ where: { botId } });
          const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((total, r) => total + f(r), 0);
          const notTwoSided = sum((r) => r.runningMs - r.twoSidedMs);
          const longest = Math.max(0, ...rows.map((r) => r.latencyMaxMs));
          return notTwoSided >= outageMs && longest >= outageMs ? { notTwoSided, longest } : undefined;
        },
        10_000,
        "the outage in the KPI rows",
      );
      expect(kpis.longest).toBeGreaterThanOrEqual(outageMs);
    } finally {
      await engine.stop();
      await sim.close();
      await world.db.drop();
    }
  }, 90_000);
});
