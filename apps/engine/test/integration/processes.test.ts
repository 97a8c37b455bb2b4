// The engine as operators run it: `node --import tsx src/main.ts` child processes against the simulator and one
// Postgres. SIGTERM cancels and exits 0; kill -9 and a restart leave no orphan order and record every fill once
// (including one made while no engine ran); two engines split the bots, and a killed engine's bots quote again
// under the other within 10 seconds.
import Decimal from "decimal.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killEngine, openOrders, spawnEngine, startWorld, SYMBOLS, twoSided, until, type EngineProcess, type World } from "./harness";

let world: World;
const engines: EngineProcess[] = [];
/** Every client order id the simulator ever acknowledged for the account, in order. */
const placed: string[] = [];
/** Orders resting per symbol; and each moment two bot runs (client order id prefixes) rested on one symbol. */
const resting = new Map<string, Set<string>>();
const twoRunsAtOnce: string[] = [];
let offUser: () => void;

/** A bot run's client order ids share the prefix before the sequence number. */
const runOf = (clientOrderId: string) => clientOrderId.slice(0, clientOrderId.lastIndexOf("-"));

beforeAll(async () => {
  world = await startWorld("bk_engine_processes", { runningSymbols: ["BTCUSDT"] });
  offUser = world.sim.exchange.onUserEvent(world.accountId, (event) => {
    if (event.e !== "executionReport") return;
    const open = resting.get(event.s) ?? new Set<string>();
    resting.set(event.s, open);
    if (event.x === "NEW") {
      placed.push(event.c);
      open.add(event.c);
      const runs = new Set([...open].map(runOf));
      if (runs.size > 1) twoRunsAtOnce.push(`${event.s}: ${[...runs].join(", ")}`);
    } else if (event.X === "CANCELED" || event.X === "FILLED" || event.X === "EXPIRED") {
      open.delete(event.x === "CANCELED" ? event.C : event.c);
    }
  });
}, 60_000);
afterEach(async () => {
  for (const engine of engines.splice(0)) await killEngine(engine);
});
afterAll(async () => {
  offUser?.();
  await world?.close();
});

function start(env: Record<string, string> = {}): EngineProcess {
  const engine = spawnEngine(world, { ENGINE_LEASE_TTL_MS: "2000", ...env });
  engines.push(engine);
  return engine;
}

async function quoting(symbol: string, notAmong: readonly string[] = [], timeoutMs = 20_000) {
  return until(
    () => {
      const sides = twoSided(world, symbol);
      return sides && sides.open.every((o) => !notAmong.includes(o.clientOrderId)) ? sides : undefined;
    },
    timeoutMs,
    `${symbol} two-sided with fresh orders`,
  );
}

describe("engine processes", () => {
  it("SIGTERM: cancels its orders, hands back its leases and exits 0 within a few seconds", async () => {
    const engine = start();
    await quoting("BTCUSDT");
    const signalledAt = Date.now();
    engine.child.kill("SIGTERM");
    const exit = await engine.exited;
    const tookMs = Date.now() - signalledAt;
    expect(exit).toEqual({ code: 0, signal: null });
    console.info(`SIGTERM to exit 0 in ${tookMs} ms`);
    expect(tookMs).toBeLessThan(5_000);
    expect(openOrders(world, "BTCUSDT")).toEqual([]);
    expect(await world.db.prisma.botLease.count()).toBe(0);
    const bot = await world.db.prisma.bot.findUniqueOrThrow({ where: { id: world.botIds.BTCUSDT! } });
    expect(bot.actualState).toBe("STOPPED");
  }, 40_000);

  it("kill -9 and restart: no orphan order, every fill recorded exactly once (one made while no engine ran)", async () => {
    const market = world.markets.BTCUSDT!;
    const first = start();
    await quoting("BTCUSDT");
    // A live fill: a buyer lifts our ask (the print is beyond any in-band ask); the engine hears it on the
    // user-data stream.
    market.print(market.midPrice.times(1.0045), "1", "BUY");
    await until(async () => ((await world.db.prisma.fill.count()) === 1 ? true : undefined), 10_000, "the live fill journaled");
    await quoting("BTCUSDT");

    first.child.kill("SIGKILL");
    await first.exited;
    const beforeRestart = [...placed];
    // While no engine runs, a seller hits the bid the dead engine left behind.
    const [leftBid] = openOrders(world, "BTCUSDT").filter((o) => o.side === "BUY");
    expect(leftBid).toBeDefined();
    market.print(new Decimal(leftBid!.price).minus("0.01"), "1", "SELL");
    await until(() => (world.sim.exchange.myTrades(world.accountId, { symbol: "BTCUSDT" }).length === 2 ? true : undefined), 5_000, "the fill while down");
    expect(openOrders(world, "BTCUSDT").length).toBeGreaterThan(0);

    start();
    // Quoting again only with orders of the new run: the dead engine's resting ask was cancelled as an orphan.
    await quoting("BTCUSDT", beforeRestart);
    await until(
      () => (openOrders(world, "BTCUSDT").every((o) => !beforeRestart.includes(o.clientOrderId)) ? true : undefined),
      10_000,
      "no order of the dead engine left open",
    );
    const exchangeTrades = world.sim.exchange.myTrades(world.accountId, { symbol: "BTCUSDT" }).map((t) => String(t.id)).sort();
    const fills = await until(
      async () => {
        const rows = await world.db.prisma.fill.findMany({ where: { symbol: "BTCUSDT" } });
        return rows.length >= exchangeTrades.length ? rows : undefined;
      },
      15_000,
      "every exchange trade journaled",
    );
    expect(fills.map((f) => f.tradeId).sort()).toEqual(exchangeTrades);
    // Both tied to the bot and to the order row they filled (the one made while down to the dead run's order).
    expect(fills.map((f) => ({ bot: f.botId, maker: f.isMaker, order: f.orderId !== null }))).toEqual([
      { bot: world.botIds.BTCUSDT, maker: true, order: true },
      { bot: world.botIds.BTCUSDT, maker: true, order: true },
    ]);
    // The journal no longer shows the dead run's orders open: each was settled by a query after the restart.
    await until(
      async () => ((await world.db.prisma.order.count({ where: { clientOrderId: { in: beforeRestart }, status: { in: ["NEW", "PENDING_NEW", "PENDING_CANCEL", "UNKNOWN"] } } })) === 0 ? true : undefined),
      20_000,
      "the dead run's orders settled in the journal",
    );
  }, 60_000);

  it("two engines split the bots; a killed engine's bots quote again under the other within 10 s", async () => {
    await world.db.prisma.bot.updateMany({ data: { desiredState: "RUNNING" } });
    twoRunsAtOnce.length = 0;
    const a = start({ ENGINE_LEASE_TTL_MS: "3000" });
    for (const symbol of SYMBOLS) await quoting(symbol);
    const b = start({ ENGINE_LEASE_TTL_MS: "3000" });
    const split = await until(
      async () => {
        const leases = await world.db.prisma.botLease.findMany({ include: { engineInstance: true } });
        const byPid = new Map<number, string[]>();
        for (const lease of leases) byPid.set(lease.engineInstance.pid, [...(byPid.get(lease.engineInstance.pid) ?? []), lease.botId]);
        const counts = [byPid.get(a.pid)?.length ?? 0, byPid.get(b.pid)?.length ?? 0];
        return leases.length === 3 && counts.includes(2) && counts.includes(1) ? byPid : undefined;
      },
      30_000,
      "the bots split 2/1 between the engines",
    );
    for (const symbol of SYMBOLS) await quoting(symbol);
    // Through start-up, the second engine joining and the hand-over of a bot, no symbol ever had orders of two
    // bot runs resting at once: no two engines ran one bot.
    expect(twoRunsAtOnce).toEqual([]);
    const victim = split.get(a.pid)!.length > 0 ? a : b;
    const survivor = victim === a ? b : a;
    const victimSymbols = SYMBOLS.filter((symbol) => split.get(victim.pid)!.includes(world.botIds[symbol]!));

    const before = [...placed];
    victim.child.kill("SIGKILL");
    const killedAt = Date.now();
    await victim.exited;
    for (const symbol of victimSymbols) {
      await quoting(symbol, before, 10_000).catch((error: unknown) => {
        console.error(survivor.logs.slice(-40).map((l) => JSON.stringify(l)).join("\n"));
        throw error;
      });
    }
    const takeoverMs = Date.now() - killedAt;
    console.info(`bots of the killed engine quoting again under the other after ${takeoverMs} ms`);
    expect(takeoverMs).toBeLessThan(10_000);
    const leases = await world.db.prisma.botLease.findMany({ include: { engineInstance: true } });
    expect(leases.map((lease) => lease.engineInstance.pid)).toEqual([survivor.pid, survivor.pid, survivor.pid]);
    // One order a side per symbol: nothing the dead engine placed is left beside the survivor's quotes.
    for (const symbol of SYMBOLS) {
      await until(() => {
        const sides = twoSided(world, symbol);
        return sides && sides.bids.length === 1 && sides.asks.length === 1 ? true : undefined;
      }, 10_000, `${symbol} one order a side`);
    }
  }, 90_000);
});
