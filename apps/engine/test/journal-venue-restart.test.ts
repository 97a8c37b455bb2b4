// The incident of `npm start` stopped and started again: the simulator comes back without its data and numbers
// orders and trades from 1 again, under a running engine or before a new one starts. The journal must keep writing
// (nothing refused, nothing set aside), and each fill of either epoch is one row under the order that made it, even
// one whose execution report was lost and which only fill recovery finds.
import { DEMO_SIMULATOR_CREDENTIALS } from "@bandkeeper/db/seed";
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import { describe, expect, it } from "vitest";
import { inProcessEngine, startWorld, SYMBOLS, until, type World } from "./integration/harness";

const SYMBOL = "BTCUSDT";
const BALANCES = { USDT: "5000000", BTC: "50", ETH: "1000", BNB: "5000" };

describe("a venue that restarts its id sequences", () => {
  it("under a running engine does not freeze the journal: orders and fills of both epochs land, each fill once, under its own order", async () => {
    const world = await startWorld("bk_engine_venue_restart", { runningSymbols: [SYMBOL] });
    const botId = world.botIds[SYMBOL]!;
    let sim: RunningSimulator = world.sim;
    const engine = inProcessEngine(world, ENGINE_TIMING);
    const restartVenue = async () => (sim = await restartedVenue(world, sim));
    try {
      await engine.start();
      await restartVenue();
      const epoch1 = await quotingAndFilled(world, sim, "epoch 1");
      const restartedAt = new Date();
      await restartVenue();
      // Its execution report is lost: recovery must find the order that made the trade, not the epoch-1 order that
      // carried the same exchange order id.
      const epoch2 = await quotingAndFilled(world, sim, "epoch 2", { loseExecutionReport: true });

      // The venue did hand out ids already on record, to other orders of ours.
      const reused = await until(async () => {
        const rows = await world.db.prisma.$queryRaw<{ exchangeOrderId: string; orders: number }[]>`
          SELECT "exchangeOrderId", count(*)::int AS orders FROM "Order"
          WHERE "botId" = ${botId} AND "exchangeOrderId" IS NOT NULL
          GROUP BY "exchangeOrderId" HAVING bool_or("placedAt" < ${restartedAt}) AND bool_or("placedAt" > ${restartedAt})`;
        return rows.length > 0 ? rows : undefined;
      }, 10_000, "an exchange order id of epoch 2 already on record from epoch 1");
      expect(reused[0]!.orders).toBeGreaterThan(1);

      // Every fill of each epoch is one row, under the order the venue says made it.
      for (const epoch of [epoch1, epoch2]) {
        for (const trade of epoch.trades) {
          const rows = await until(async () => {
            const found = await world.db.prisma.fill.findMany({ where: { botId, tradeId: String(trade.id), order: { clientOrderId: trade.clientOrderId } } });
            return found.length > 0 ? found : undefined;
          }, 10_000, `the fill of trade ${trade.id}`);
          expect(rows).toHaveLength(1);
        }
      }
      expect(await world.db.prisma.fill.count({ where: { botId } })).toBe(epoch1.trades.length + epoch2.trades.length);

      // Nothing was refused, and the engine's heartbeat says its journal keeps up.
      expect(await world.db.prisma.journalFailure.count()).toBe(0);
      const engineRow = await until(async () => {
        const row = await world.db.prisma.engineInstance.findUniqueOrThrow({ where: { id: engine.engineId! } });
        return row.journalCaughtUpAt && row.heartbeatAt.getTime() - row.journalCaughtUpAt.getTime() < 2_000 ? row : undefined;
      }, 5_000, "a heartbeat with the journal caught up");
      expect(engineRow).toMatchObject({ journalSetAside: 0 });
      // What the dashboard reads is not frozen: the bot's market snapshot is rewritten after the restart, and the
      // venue's resting orders are journaled as open. (The bot's reported state may lag by design: soft states are
      // reported once they held for a while.)
      await until(async () => {
        const snapshot = await world.db.prisma.botMarketSnapshot.findUnique({ where: { botId } });
        return snapshot && snapshot.updatedAt > restartedAt ? true : undefined;
      }, 5_000, "a market snapshot written after the restart");
      const accountId = sim.exchange.accountByApiKey(DEMO_SIMULATOR_CREDENTIALS.apiKey)!.accountId;
      const resting = sim.exchange.openOrders(accountId, SYMBOL).map((o) => o.clientOrderId);
      await until(async () => {
        const open = await world.db.prisma.order.findMany({ where: { botId, status: { in: ["NEW", "PARTIALLY_FILLED"] } }, select: { clientOrderId: true } });
        const journaled = open.map((o) => o.clientOrderId);
        return resting.every((id) => journaled.includes(id)) ? true : undefined;
      }, 10_000, "the resting orders journaled as open");
    } catch (error) {
      // What the journal holds, for whoever reads a failure.
      const fills = await world.db.prisma.fill.findMany({ select: { tradeId: true, exchangeOrderId: true, order: { select: { clientOrderId: true } } } });
      console.error(JSON.stringify({ fills, failures: await world.db.prisma.journalFailure.findMany() }));
      throw error;
    } finally {
      await engine.stop();
      await sim.close();
      await world.db.drop();
    }
  }, 300_000);

  it("an engine started after the venue restarted its trade ids recovers a lost fill numbered below the journal's newest", async () => {
    const world = await startWorld("bk_engine_venue_restart_recovery", { runningSymbols: [SYMBOL] });
    let sim: RunningSimulator = world.sim;
    let engine = inProcessEngine(world, ENGINE_TIMING);
    try {
      await engine.start();
      sim = await restartedVenue(world, sim);
      // Public trades take trade ids too: let epoch 1 run a while, so its fill is numbered well above epoch 2's.
      await world.markets[SYMBOL]!.afterSteps(60);
      const epoch1 = await quotingAndFilled(world, sim, "epoch 1");
      await engine.stop();

      // `npm start` again: the venue empty, a new engine whose fill recovery starts from the journal.
      sim = await restartedVenue(world, sim);
      engine = inProcessEngine(world, ENGINE_TIMING);
      await engine.start();
      const epoch2 = await quotingAndFilled(world, sim, "epoch 2", { loseExecutionReport: true });
      expect(epoch2.trades[0]!.id).toBeLessThan(epoch1.trades[0]!.id);
    } finally {
      await engine.stop();
      await sim.close();
      await world.db.drop();
    }
  }, 300_000);
});

// Fill recovery every half second: a fill whose execution report is lost reaches the journal only through it.
const ENGINE_TIMING = { leaseTickMs: 200, fillRecoveryMs: 500, reconcileMs: 1_000 };

/**
 * The venue restarted empty on the same port: the same account and keys, every sequence from 1 (the bundled
 * simulator avoids that by itself; these tests want a venue that does not).
 */
async function restartedVenue(world: World, sim: RunningSimulator): Promise<RunningSimulator> {
  // Cut first: a graceful close can wait on WebSocket handshakes the engine is busy reopening.
  sim.server.dropConnections(false);
  await sim.close();
  return startExchangeSimulator({
    port: world.sim.port,
    symbols: [...SYMBOLS],
    accounts: [{ ...DEMO_SIMULATOR_CREDENTIALS, balances: BALANCES }],
    market: { models: world.markets },
    idBase: 1,
  });
}

interface Epoch {
  trades: { id: number; clientOrderId: string }[];
}

/** Waits for the bot to rest both sides on `sim`, prints through its bid once, and returns the venue's record. */
async function quotingAndFilled(world: World, sim: RunningSimulator, what: string, options: { loseExecutionReport?: boolean } = {}): Promise<Epoch> {
  const accountId = sim.exchange.accountByApiKey(DEMO_SIMULATOR_CREDENTIALS.apiKey)!.accountId;
  const open = () => sim.exchange.openOrders(accountId, SYMBOL);
  // The engine finds the restarted venue through its reconnect backoff (doubling to 30 s while the venue is down),
  // so a loaded machine, where the restart takes seconds, may wait one long step: this test is about the journal.
  await until(() => (open().some((o) => o.side === "BUY") && open().some((o) => o.side === "SELL") ? true : undefined), 90_000, `${what}: two-sided`);
  const market = world.markets[SYMBOL]!;
  if (options.loseExecutionReport) sim.faults.apply({ userDataDropNext: 10 });
  // Well below the bid, wherever inventory skew has put it.
  market.print(market.midPrice.times(0.992), "0.001", "SELL");
  const trades = await until(() => {
    const mine = sim.exchange.myTrades(accountId, { symbol: SYMBOL });
    return mine.length > 0 ? mine : undefined;
  }, 10_000, `${what}: a fill on the venue`);
  const withClientIds = trades.map((trade) => {
    const order = sim.exchange.queryOrder(accountId, { symbol: SYMBOL, orderId: String(trade.orderId) });
    return { id: trade.id, clientOrderId: order.clientOrderId };
  });
  // The engine has heard of the fills before the venue goes away (a venue that forgets also forgets its trades).
  const journaled = (trade: { id: number; clientOrderId: string }) =>
    world.db.prisma.fill.count({ where: { tradeId: String(trade.id), order: { clientOrderId: trade.clientOrderId } } });
  await until(async () => ((await Promise.all(withClientIds.map(journaled))).every((n) => n > 0) ? true : undefined), 10_000, `${what}: the fills journaled`);
  return { trades: withClientIds };
}
