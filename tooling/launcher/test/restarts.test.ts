// `npm start`, Ctrl-C, `npm start` again: five rounds on one data folder, each stopped while the demo bots have
// orders resting. Every round: no journal error in the output, bots quoting and the journal moving (not frozen),
// a paper account made in the first round still there with its balances, and after Ctrl-C no process or port left.
// The web app is built once (at most) for all rounds.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrismaClient } from "@bandkeeper/db/client";
import { DEMO_SIMULATOR_CREDENTIALS } from "@bandkeeper/db/seed";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  descendants,
  embeddedDatabaseUrl,
  embeddedPostgresPort,
  freePorts,
  killProduct,
  leftovers,
  outputContains,
  productEnv,
  signedGet,
  startProduct as startProductProcess,
  untilQuoting,
  type Product,
} from "./product";

const ROUNDS = 5;
const dataDir = mkdtempSync(join(tmpdir(), "bk-restarts-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// A test that fails half-way leaves nothing running for the next one.
const products: Product[] = [];
afterEach(async () => {
  for (const product of products.splice(0)) if (product.child.exitCode === null) await killProduct(product);
});
const startProduct = (...args: Parameters<typeof startProductProcess>) => {
  const product = startProductProcess(...args);
  products.push(product);
  return product;
};

const PAPER = { apiKey: "paper-restarts-key", apiSecret: "paper-restarts-secret" };
const PAPER_BALANCES = { USDT: "25000", BTC: "0.75" };
const DEMO = { apiKey: DEMO_SIMULATOR_CREDENTIALS.apiKey, apiSecret: DEMO_SIMULATOR_CREDENTIALS.apiSecret };

type Balance = { asset: string; free: string; locked: string };

/** The account's balances of the given assets as the simulator reports them, free and locked together. */
async function totals(simulatorUrl: string, key: { apiKey: string; apiSecret: string }, assets: readonly string[]) {
  const account = await signedGet(simulatorUrl, "/api/v3/account", key);
  if (account.status !== 200) return { status: account.status, body: account.body };
  const balances = (account.body as { balances: Balance[] }).balances;
  return Object.fromEntries(assets.map((asset) => {
    const balance = balances.find((b) => b.asset === asset);
    return [asset, balance ? String(Number(balance.free) + Number(balance.locked)) : "missing"];
  }));
}

describe("npm start, five times on one data folder", () => {
  it(
    "each round quotes, journals without error, keeps the paper account, and leaves nothing after Ctrl-C",
    async () => {
      const ports = await freePorts();
      const simulatorUrl = `http://127.0.0.1:${ports.simulator}`;
      const timings: { round: number; upS: number; quotingS: number; stopS: number }[] = [];
      const testStart = Date.now();
      for (let round = 1; round <= ROUNDS; round++) {
        const roundStart = Date.now();
        const product = startProduct(dataDir, productEnv(ports), ["--reuse-build"]);
        await outputContains(product, "Bandkeeper is running.", 480_000);
        const upAt = Date.now();
        await untilQuoting(product, ports.metrics, 3, 60_000);
        const quotingAt = Date.now();

        if (round === 1) {
          const created = await fetch(`${simulatorUrl}/admin/accounts`, {
            method: "POST",
            body: JSON.stringify({ ...PAPER, balances: PAPER_BALANCES }),
          });
          expect(created.status, await created.clone().text()).toBe(200);
        }
        // The paper account and its balances survive every restart.
        expect(await totals(simulatorUrl, PAPER, ["USDT", "BTC"]), `round ${round}: the paper account`).toEqual({ USDT: "25000", BTC: "0.75" });
        // The demo account still authenticates and has its orders resting on all three symbols.
        const open = await signedGet(simulatorUrl, "/api/v3/openOrders", DEMO);
        expect(open.status, `round ${round}: the demo account's open orders`).toBe(200);
        const symbols = new Set((open.body as { symbol: string }[]).map((order) => order.symbol));
        expect([...symbols].sort(), `round ${round}: symbols with orders resting`).toEqual(["BNBUSDT", "BTCUSDT", "ETHUSDT"]);

        // Not frozen: this round's orders and the bots' states and market snapshots reach Postgres.
        const prisma = createPrismaClient(embeddedDatabaseUrl(dataDir));
        try {
          const since = new Date(roundStart);
          const journaled = async () => {
            const [orders, bots, snapshots, refused] = await Promise.all([
              prisma.order.count({ where: { placedAt: { gte: since }, status: "NEW" } }),
              prisma.bot.findMany({ select: { symbol: true, actualState: true } }),
              prisma.botMarketSnapshot.count({ where: { updatedAt: { gte: new Date(Date.now() - 5_000) } } }),
              prisma.journalFailure.count(),
            ]);
            return {
              restingOrders: orders >= 6,
              quoting: bots.every((bot) => bot.actualState === "QUOTING"),
              freshSnapshots: snapshots,
              refusedRecords: refused,
            };
          };
          const deadline = Date.now() + 20_000;
          let state = await journaled();
          while (!(state.restingOrders && state.quoting && state.freshSnapshots === 3 && state.refusedRecords === 0) && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 500));
            state = await journaled();
          }
          expect(state, `round ${round}: the journal reached Postgres`).toEqual({ restingOrders: true, quoting: true, freshSnapshots: 3, refusedRecords: 0 });
        } finally {
          await prisma.$disconnect();
        }

        const roundOutput = product.output();
        expect(roundOutput, `round ${round}: a journal error`).not.toMatch(/journal flush failed|journal record refused|duplicate key/i);

        const started = descendants(product.pid);
        const postgresPort = embeddedPostgresPort(dataDir);
        const stopAt = Date.now();
        product.ctrlC();
        expect(await product.exited, product.output().slice(-3000)).toBe(0);
        const stoppedAt = Date.now();
        expect(product.output().slice(roundOutput.length), `round ${round}: the stop`).not.toMatch(/SIGKILL|unreachable|Unhandled|journal flush failed/);
        expect(await leftovers(started, [ports.web, ports.simulator, ports.metrics, postgresPort]), `round ${round}: left behind`).toEqual([]);
        timings.push({ round, upS: (upAt - roundStart) / 1000, quotingS: (quotingAt - upAt) / 1000, stopS: (stoppedAt - stopAt) / 1000 });
      }
      console.info(`five rounds in ${((Date.now() - testStart) / 1000).toFixed(0)} s`);
      console.table(timings);
    },
    1_500_000,
  );
});
