// A quoting bot under the simulator's fault injection: market-stream drops, WebSocket API drops, 5xx before
// execution and -1007 after it. After each fault the bot is two-sided again, in the band, with exactly one order
// per side, every one of them an order it placed and knows; an order of unknown outcome is resolved by a query
// with the same client order id and never placed a second time.
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Supervisor } from "../../src/fleet/supervisor";
import { inBand, inProcessEngine, openOrders, setConfig, startWorld, twoSided, until, type World } from "./harness";
import { type BotLogEntry } from "@bandkeeper/core";

const SYMBOL = "BTCUSDT";
let world: World;
let engine: Supervisor;
const log: BotLogEntry[] = [];
/** Orders resting on the simulator per side, from its own execution reports, and the most ever seen at once. */
const resting = { BUY: new Set<string>(), SELL: new Set<string>() };
const mostResting = { BUY: 0, SELL: 0 };
const placements = new Map<string, number>();
let offUser: () => void;

beforeAll(async () => {
  world = await startWorld("bk_engine_faults", { runningSymbols: [SYMBOL] });
  // The mid follows the steered market at once, so each scenario is about the fault, not the reference's lag.
  await setConfig(world, SYMBOL, { reference: { method: "MID" } });
  offUser = world.sim.exchange.onUserEvent(world.accountId, (event) => {
    if (event.e !== "executionReport" || event.s !== SYMBOL) return;
    const side = resting[event.S];
    if (event.x === "NEW") {
      side.add(event.c);
      placements.set(event.c, (placements.get(event.c) ?? 0) + 1);
      mostResting[event.S] = Math.max(mostResting[event.S], side.size);
    } else if (event.X === "CANCELED" || event.X === "FILLED" || event.X === "EXPIRED") {
      side.delete(event.x === "CANCELED" ? event.C : event.c);
    }
  });
  engine = inProcessEngine(world, { reconcileMs: 1_000, fillRecoveryMs: 500 }, (_botId, entry) => log.push(entry));
  await engine.start();
  await settled();
}, 60_000);

afterAll(async () => {
  offUser?.();
  await engine?.stop();
  await world?.close();
});

/** Two-sided in the band with one order a side, each known to the engine (journaled as NEW by this bot). */
async function settled(): Promise<void> {
  await until(
    async () => {
      const sides = twoSided(world, SYMBOL);
      if (!sides || sides.bids.length !== 1 || sides.asks.length !== 1 || !inBand(world, SYMBOL)) return undefined;
      const ids = sides.open.map((o) => o.clientOrderId);
      const known = await world.db.prisma.order.count({ where: { clientOrderId: { in: ids }, botId: world.botIds[SYMBOL]!, status: "NEW" } });
      return known === ids.length ? true : undefined;
    },
    20_000,
    "one known order a side, in the band",
  ).catch((error: unknown) => {
    // What the engine did last, for whoever reads a failure.
    console.error(JSON.stringify(openOrders(world, SYMBOL).map((o) => [o.side, o.price, o.clientOrderId])), world.markets[SYMBOL]!.midPrice.toFixed());
    console.error(log.filter((e) => e.kind !== "market" && e.kind !== "reference").slice(-40).map((e) => JSON.stringify(e)).join("\n"));
    throw error;
  });
}

/** Moves the market 0.15%: both quotes leave the band (0.2%-0.4%) and are replaced, neither is reached. */
async function forceRequote(direction: 1 | -1): Promise<void> {
  const market = world.markets[SYMBOL]!;
  market.moveTo(market.midPrice.times(new Decimal(1).plus(0.0015 * direction)));
  await market.afterSteps(1);
}

function expectNoDuplicates(options: { trades?: number } = {}): void {
  expect(mostResting.BUY).toBeLessThanOrEqual(2);
  expect(mostResting.SELL).toBeLessThanOrEqual(2);
  expect([...placements.values()].every((count) => count === 1)).toBe(true);
  expect(world.sim.exchange.myTrades(world.accountId, { symbol: SYMBOL })).toHaveLength(options.trades ?? 0);
}

/**
 * Arms two server errors and forces a requote, whose placements and cancels are the next requests, until one of
 * the errors lands on a placement (a background request - reconciliation, fill recovery - may take them first).
 * The bot settles after every round. Returns the placements whose outcome the bot did not learn.
 */
async function failPlacements(mode: "timeout" | "error", direction: 1 | -1): Promise<BotLogEntry[]> {
  for (let round = 0; round < 5; round += 1) {
    const before = log.length;
    world.sim.faults.apply({ serverErrorMode: mode, serverErrorsNext: 2 });
    await forceRequote(round % 2 === 0 ? direction : (-direction as 1 | -1));
    await until(() => (world.sim.faults.settings.serverErrorsNext === 0 ? true : undefined), 10_000, "the faults to be consumed");
    await settled();
    const unknown = log.slice(before).filter((entry) => entry.kind === "unknown");
    if (unknown.length > 0) return unknown;
  }
  throw new Error("no server error landed on a placement in five rounds");
}

describe("faults", () => {
  it("survives a market-stream drop: reconnects, resubscribes and follows the market again", async () => {
    const before = openOrders(world, SYMBOL).map((o) => o.clientOrderId);
    world.sim.server.streams.dropAll(false);
    await until(() => (world.sim.server.streams.connectionCount === 1 ? true : undefined), 15_000, "the market stream to reconnect");
    await forceRequote(1);
    await until(() => (openOrders(world, SYMBOL).some((o) => !before.includes(o.clientOrderId)) ? true : undefined), 15_000, "quotes moved by fresh data");
    await settled();
    expectNoDuplicates();
  }, 40_000);

  it("survives a WebSocket API drop: orders go over REST meanwhile and user data resumes", async () => {
    world.sim.server.wsApi.dropAll(false);
    await forceRequote(-1);
    await until(() => (world.sim.server.wsApi.connectionCount === 1 ? true : undefined), 15_000, "the WebSocket API to reconnect");
    await settled();
    // User data flows again: a requote after the reconnect is acknowledged and journaled through it.
    await forceRequote(1);
    await settled();
    expectNoDuplicates();
  }, 40_000);

  it("resolves -1007 (executed, outcome unknown) by querying the same client order id, never placing it twice", async () => {
    const unknown = await failPlacements("timeout", -1);
    for (const entry of unknown) {
      // The order existed on the exchange all along: the bot adopted it (acknowledged through the query or the
      // user-data event) rather than placing another.
      const id = entry.kind === "unknown" ? entry.clientOrderId : "";
      expect(placements.get(id)).toBe(1);
      const row = await world.db.prisma.order.findFirstOrThrow({ where: { clientOrderId: id } });
      expect(["NEW", "CANCELED"]).toContain(row.status);
    }
    expectNoDuplicates();
  }, 40_000);

  it("recovers from 5xx before execution: the order is found missing and replaced", async () => {
    const unknown = await failPlacements("error", 1);
    for (const entry of unknown) {
      const id = entry.kind === "unknown" ? entry.clientOrderId : "";
      expect(placements.has(id)).toBe(false);
      const row = await until(async () => {
        const order = await world.db.prisma.order.findFirst({ where: { clientOrderId: id } });
        return order && order.status !== "UNKNOWN" ? order : undefined;
      }, 10_000, `order ${id} resolved`);
      expect(row.status).not.toBe("NEW");
    }
    expectNoDuplicates();
  }, 40_000);

  it("records a fill whose execution report was lost exactly once (from myTrades) and quotes that side again", async () => {
    // Every user-data event of the fill (execution report, balances) is dropped. The print is below any in-band bid.
    world.sim.faults.apply({ userDataDropNext: 10 });
    const market = world.markets[SYMBOL]!;
    market.print(market.midPrice.times(0.9955), "1", "SELL");
    const [trade] = await until(() => {
      const trades = world.sim.exchange.myTrades(world.accountId, { symbol: SYMBOL });
      return trades.length === 1 ? trades : undefined;
    }, 5_000, "the fill on the exchange");
    const fill = await until(() => world.db.prisma.fill.findFirst({ where: { tradeId: String(trade!.id) } }).then((row) => row ?? undefined), 15_000, "the fill recovered");
    const order = await world.db.prisma.order.findUniqueOrThrow({ where: { id: fill.orderId! } });
    expect({ bot: order.botId, side: order.side, exchangeOrderId: order.exchangeOrderId }).toEqual({
      bot: world.botIds[SYMBOL],
      side: "BUY",
      exchangeOrderId: String(trade!.orderId),
    });
    world.sim.faults.apply({ userDataDropNext: 0 });
    await settled();
    expect(await world.db.prisma.fill.count()).toBe(1);
    expectNoDuplicates({ trades: 1 });
  }, 40_000);
});
