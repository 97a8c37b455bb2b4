// What an engine finds when it takes a bot over: orders an earlier run placed that no row knows (its engine was
// SIGKILLed before the journal's next batch). They carry the bot's client order id prefix, so the new run adopts
// them: each gets its row, is cancelled on the tracked path and ends CANCELED in Postgres. The exchange is never
// left holding, or cancelling, an order of ours that Postgres does not know. A stranger's order is still cancelled.
import { describe, expect, it } from "vitest";
import { inProcessEngine, openOrders, startWorld, twoSided, until, type World } from "./harness";

/** An order placed on the simulator directly, as a run of the bot that died before journaling it would have. */
function placeAsEarlierRun(world: World, clientOrderId: string, side: "BUY" | "SELL", offset: number) {
  const mid = world.markets.BTCUSDT!.midPrice;
  return world.sim.exchange.placeOrder(world.accountId, {
    symbol: "BTCUSDT",
    side,
    type: "LIMIT_MAKER",
    quantity: "0.2",
    price: mid.times(1 + offset).toFixed(2),
    newClientOrderId: clientOrderId,
  });
}

async function rowOf(world: World, clientOrderId: string) {
  return world.db.prisma.order.findUnique({ where: { exchangeAccountId_clientOrderId: { exchangeAccountId: (await world.db.prisma.exchangeAccount.findFirstOrThrow()).id, clientOrderId } } });
}

describe("taking a bot over", () => {
  it("adopts the earlier run's unjournaled orders (at start and when one turns up later): each gets its row and ends CANCELED", async () => {
    const world = await startWorld("bk_engine_adopt", { runningSymbols: ["BTCUSDT"] });
    const botId = world.botIds.BTCUSDT!;
    const earlierRun = `bk${botId.slice(-6)}zz0-`;
    const atStart = placeAsEarlierRun(world, `${earlierRun}1`, "BUY", -0.003);
    const stranger = placeAsEarlierRun(world, "someone-else-1", "SELL", 0.003);
    const engine = inProcessEngine(world, { leaseTickMs: 200, reconcileMs: 1_000 });
    try {
      expect(await world.db.prisma.order.count()).toBe(0);
      await engine.start();
      await until(() => twoSided(world, "BTCUSDT"), 30_000, "BTCUSDT two-sided");

      const adopted = await until(async () => {
        const row = await rowOf(world, `${earlierRun}1`);
        return row?.status === "CANCELED" ? row : undefined;
      }, 10_000, "the earlier run's order CANCELED in Postgres");
      expect(adopted).toMatchObject({ botId, exchangeOrderId: String(atStart.orderId), side: "BUY" });
      expect(adopted.quantity.toFixed()).toBe("0.2");
      expect(adopted.closedAt).not.toBeNull();
      // The stranger's is gone from the book too, and is not ours to journal.
      expect(openOrders(world, "BTCUSDT").map((o) => o.clientOrderId)).not.toContain("someone-else-1");
      expect(await rowOf(world, "someone-else-1")).toBeNull();
      expect(stranger.orderId).toBeGreaterThan(atStart.orderId);

      // A placement of the dead run that reaches the book only now (it was in flight when its engine died).
      const late = placeAsEarlierRun(world, `${earlierRun}2`, "SELL", 0.0035);
      const lateRow = await until(async () => {
        const row = await rowOf(world, `${earlierRun}2`);
        return row?.status === "CANCELED" ? row : undefined;
      }, 10_000, "the late order CANCELED in Postgres");
      expect(lateRow.exchangeOrderId).toBe(String(late.orderId));
      expect(openOrders(world, "BTCUSDT").some((o) => o.clientOrderId.startsWith(earlierRun))).toBe(false);
      const events = await world.db.prisma.botEvent.findMany({ where: { botId, type: "order_adopted" } });
      expect(events).toHaveLength(2);
    } finally {
      await engine.stop();
      await world.close();
    }
  }, 90_000);

  it("settles an earlier run's row that start-up left open in a later round (its query refused, or the row late)", async () => {
    const world = await startWorld("bk_engine_settle", { runningSymbols: ["BTCUSDT"] });
    const botId = world.botIds.BTCUSDT!;
    // An earlier run's order, cancelled on the exchange while no engine listened.
    const clientOrderId = `bk${botId.slice(-6)}zz1-1`;
    const placed = placeAsEarlierRun(world, clientOrderId, "BUY", -0.003);
    const cancelled = world.sim.exchange.cancelOrder(world.accountId, { symbol: "BTCUSDT", origClientOrderId: clientOrderId });
    const engine = inProcessEngine(world, { leaseTickMs: 200, reconcileMs: 300, fillRecoveryMs: 500 });
    try {
      await engine.start();
      await until(() => twoSided(world, "BTCUSDT"), 30_000, "BTCUSDT two-sided");
      // Past the settlement after start-up (reconcileMs after the start): only a later round can settle the row,
      // which Postgres gets only now (as a journal write of the dead run that lands late would).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const account = await world.db.prisma.exchangeAccount.findFirstOrThrow();
      await world.db.prisma.order.create({
        data: {
          botId,
          exchangeAccountId: account.id,
          symbol: "BTCUSDT",
          clientOrderId,
          exchangeOrderId: String(placed.orderId),
          side: "BUY",
          type: "LIMIT_MAKER",
          price: cancelled.price,
          quantity: "0.2",
          status: "NEW",
          placedAt: new Date(),
        },
      });
      const settled = await until(async () => {
        const row = await rowOf(world, clientOrderId);
        return row?.status === "CANCELED" ? row : undefined;
      }, 10_000, "the earlier run's row CANCELED");
      expect(settled.closedAt).not.toBeNull();
    } finally {
      await engine.stop();
      await world.close();
    }
  }, 90_000);
});
