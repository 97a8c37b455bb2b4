// The incident of `npm start` stopped and started again: the simulator comes back without its data and numbers
// orders and trades from 1 again while the engine runs on. The journal must keep writing (nothing refused, nothing
// set aside), the bot's state in Postgres must follow the bot, and each fill of either epoch is one row under the
// order that made it.
import { DEMO_SIMULATOR_CREDENTIALS } from "@bandkeeper/db/seed";
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import { describe, expect, it } from "vitest";
import { inProcessEngine, startWorld, SYMBOLS, until, type World } from "./integration/harness";

const SYMBOL = "BTCUSDT";
const BALANCES = { USDT: "5000000", BTC: "50", ETH: "1000", BNB: "5000" };

describe("a venue that restarts its id sequences under a running engine", () => {
  it("does not freeze the journal: orders and fills of both epochs land, each fill once, under its own order", async () => {
    const world = await startWorld("bk_engine_venue_restart", { runningSymbols: [SYMBOL] });
    const botId = world.botIds[SYMBOL]!;
    let sim: RunningSimulator = world.sim;
    // Fill recovery every half second: epoch 2's fill reaches the journal only through it.
    const engine = inProcessEngine(world, { leaseTickMs: 200, fillRecoveryMs: 500, reconcileMs: 1_000 });
    // The venue restarts empty on the same port: the same account and keys, every sequence from 1 (the bundled
    // simulator avoids that by itself; this test wants a venue that does not).
    const restartVenue = async () => {
      // Cut first: a graceful close can wait on WebSocket handshakes the engine is busy reopening.
      sim.server.dropConnections(false);
      await sim.close();
      sim = await startExchangeSimulator({
        port: world.sim.port,
        symbols: [...SYMBOLS],
        accounts: [{ ...DEMO_SIMULATOR_CREDENTIALS, balances: BALANCES }],
        market: { models: world.markets },
        idBase: 1,
      });
    };
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
      // The bot's state in Postgres is not frozen: it changed after the venue restarted, and it is the state of the
      // bot's newest state event. The venue's resting orders are journaled as open.
      const bot = await world.db.prisma.bot.findUniqueOrThrow({ where: { id: botId } });
      expect(bot.stateChangedAt.getTime()).toBeGreaterThan(restartedAt.getTime());
      const lastState = await world.db.prisma.botEvent.findFirstOrThrow({ where: { botId, type: "state" }, orderBy: { time: "desc" } });
      expect(lastState.toState).toBe(bot.actualState);
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
  }, 120_000);
});

interface Epoch {
  trades: { id: number; clientOrderId: string }[];
}

/** Waits for the bot to rest both sides on `sim`, prints through its bid once, and returns the venue's record. */
async function quotingAndFilled(world: World, sim: RunningSimulator, what: string, options: { loseExecutionReport?: boolean } = {}): Promise<Epoch> {
  const accountId = sim.exchange.accountByApiKey(DEMO_SIMULATOR_CREDENTIALS.apiKey)!.accountId;
  const open = () => sim.exchange.openOrders(accountId, SYMBOL);
  await until(() => (open().some((o) => o.side === "BUY") && open().some((o) => o.side === "SELL") ? true : undefined), 30_000, `${what}: two-sided`);
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
