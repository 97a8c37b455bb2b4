// Postgres going away under two engines, through a TCP proxy the test can cut (every connection dropped, new ones
// refused): a real network outage in front of a real database. Two engines must never run one bot, and a database
// that does not answer is not another engine holding the bot:
// - an outage shorter than the lease allows costs no quote (the very same orders rest throughout);
// - a longer one stops every bot before its lease could expire (its orders cancelled), and once the database
//   answers each engine renews its own bots and quotes them again: none moves to the other engine;
// - an engine cut off alone stops its bots before the other engine, which still reaches the database, takes them
//   over; at no moment, then or when the engines share the bots again, do two runs of one bot rest orders.
import { createServer, connect, type Server, type Socket } from "node:net";
import { createPrismaClient, type PrismaClient } from "@bandkeeper/db/client";
import { describe, expect, it } from "vitest";
import { Supervisor } from "../../src/fleet/supervisor";
import { createLogger } from "../../src/observability/log";
import { EngineMetrics } from "../../src/observability/metrics";
import { wallClock } from "../../src/wall-clock";
import { openOrders, startWorld, twoSided, until, type World } from "./harness";

const TTL_MS = 3_000;
const SYMBOLS = ["BTCUSDT", "ETHUSDT"] as const;

/** A TCP proxy to Postgres that can be cut: `cut()` drops every connection and refuses new ones until `restore()`. */
class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(port = 0): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  async restore(): Promise<void> {
    if (!this.server) await this.start(this.port);
  }
}

function throughProxy(url: string, proxy: CuttableProxy): string {
  const parsed = new URL(url);
  parsed.hostname = "127.0.0.1";
  parsed.port = String(proxy.port);
  return parsed.toString();
}

function engineOn(world: World, url: string, prisma: PrismaClient): Supervisor {
  return new Supervisor({
    prisma,
    databaseUrl: url,
    encryptionKey: world.encryptionKey,
    defaultSimulatorUrl: world.sim.baseUrl,
    clock: wallClock,
    // Lease rounds fail loudly during the outages, as they should: quiet unless asked.
    logger: process.env.ENGINE_TEST_LOG === "1" ? createLogger({ level: "info" }) : createLogger({ write: () => undefined }),
    metrics: new EngineMetrics(),
    timing: { leaseTtlMs: TTL_MS, leaseTickMs: 200, journalFlushMs: 100, kpiFlushMs: 200, reconcileMs: 1_000 },
  });
}

/** The run part of a client order id (bk<bot><run>-<n>): orders of two runs of one bot resting at once is a double run. */
function runOf(clientOrderId: string): string {
  return clientOrderId.slice(0, clientOrderId.lastIndexOf("-"));
}

/**
 * Watches every order the exchange accepts: runs of one bot must follow each other, so once a newer run has placed
 * an order an older run never places one again (that would be two runs quoting one bot).
 */
function watchForDoubleRuns(world: World): { stop: () => string[] } {
  const runs = new Map<string, string[]>();
  const seen: string[] = [];
  const off = world.sim.exchange.onUserEvent(world.accountId, (event) => {
    if (event.e !== "executionReport" || event.x !== "NEW") return;
    const order = runs.get(event.s) ?? [];
    runs.set(event.s, order);
    const run = runOf(event.c);
    const at = order.indexOf(run);
    if (at === -1) order.push(run);
    else if (at !== order.length - 1) seen.push(`${event.s}: ${event.c} placed after run ${order.at(-1)} began`);
  });
  return {
    stop: () => {
      off();
      return seen;
    },
  };
}

async function leaseOwners(world: World): Promise<Record<string, string>> {
  const rows = await world.db.prisma.botLease.findMany();
  return Object.fromEntries(rows.map((row) => [row.botId, row.engineInstanceId]));
}

async function bothQuoting(world: World, what: string): Promise<void> {
  await until(() => (SYMBOLS.every((symbol) => twoSided(world, symbol)) ? true : undefined), 30_000, what);
}

function restingIds(world: World): string[] {
  return SYMBOLS.flatMap((symbol) => openOrders(world, symbol).map((o) => o.clientOrderId)).sort();
}

describe("a database outage under two engines", () => {
  it("quotes through a short one; a long one stops the bots until it answers, and each engine keeps its own bots", async () => {
    const world = await startWorld("bk_engine_dboutage", { runningSymbols: [...SYMBOLS] });
    const target = new URL(world.db.url);
    // One proxy per engine, so the database can come back to one engine a moment before the other.
    const proxies = [0, 1].map(() => new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) }));
    await Promise.all(proxies.map((proxy) => proxy.start()));
    const urls = proxies.map((proxy) => throughProxy(world.db.url, proxy));
    const prismas = urls.map((url) => createPrismaClient(url));
    const engines = prismas.map((prisma, i) => engineOn(world, urls[i]!, prisma));
    const cut = () => Promise.all(proxies.map((proxy) => proxy.cut()));
    const doubleRuns = watchForDoubleRuns(world);
    try {
      await Promise.all(engines.map((engine) => engine.start()));
      await bothQuoting(world, "both bots two-sided");
      await until(async () => (new Set(Object.values(await leaseOwners(world))).size === 2 ? true : undefined), 15_000, "one bot per engine");
      // The hand-back that shares the bots restarts one of them: its new run must be quoting before the count starts.
      await bothQuoting(world, "both bots two-sided, one per engine");
      const owners = await leaseOwners(world);

      // Shorter than the lease allows: not one order moves (the steered market stands still meanwhile).
      const before = restingIds(world);
      await cut();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(restingIds(world)).toEqual(before);
      await Promise.all(proxies.map((proxy) => proxy.restore()));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(restingIds(world)).toEqual(before);

      // Longer than the TTL: every bot stops before its lease could have expired unrenewed...
      const cutAt = Date.now();
      await cut();
      await until(() => (restingIds(world).length === 0 ? true : undefined), TTL_MS, "every order cancelled before the leases could expire");
      const fencedAfterMs = Date.now() - cutAt;
      expect(fencedAfterMs).toBeLessThan(TTL_MS);
      await new Promise((resolve) => setTimeout(resolve, 2 * TTL_MS - fencedAfterMs));
      expect(restingIds(world)).toEqual([]);
      // ...and quotes again once the database answers, with the engine that held it before: the engine the database
      // answers first does not take the other's bot meanwhile, though its lease expired long ago.
      await proxies[0]!.restore();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await proxies[1]!.restore();
      await bothQuoting(world, "both bots two-sided after the outage");
      expect(await leaseOwners(world)).toEqual(owners);
      expect(doubleRuns.stop()).toEqual([]);
    } finally {
      doubleRuns.stop();
      await Promise.all(proxies.map((proxy) => proxy.restore()));
      await Promise.all(engines.map((engine) => engine.stop()));
      await Promise.all(prismas.map((prisma) => prisma.$disconnect()));
      await cut();
      await world.close();
    }
  }, 120_000);

  it("an engine cut off alone stops its bots before the other engine takes them over: never two runs of one bot", async () => {
    const world = await startWorld("bk_engine_partition", { runningSymbols: [...SYMBOLS] });
    const target = new URL(world.db.url);
    const proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    const cutOffUrl = throughProxy(world.db.url, proxy);
    const cutOffPrisma = createPrismaClient(cutOffUrl);
    const cutOff = engineOn(world, cutOffUrl, cutOffPrisma);
    const other = engineOn(world, world.db.url, world.db.prisma);
    const doubleRuns = watchForDoubleRuns(world);
    try {
      await cutOff.start();
      await other.start();
      await bothQuoting(world, "both bots two-sided");
      await until(async () => (new Set(Object.values(await leaseOwners(world))).size === 2 ? true : undefined), 15_000, "one bot per engine");

      await proxy.cut();
      // The other engine takes the cut-off engine's bot once its lease expires, and quotes both.
      await until(async () => {
        const owners = Object.values(await leaseOwners(world));
        return owners.length === 2 && owners.every((engine) => engine === other.engineId) ? true : undefined;
      }, 4 * TTL_MS, "the other engine holding both bots");
      await bothQuoting(world, "both bots two-sided on the other engine");
      await proxy.restore();
      // Back, the cut-off engine learns its lease is gone; the engines share the bots again by the usual hand-back.
      await until(async () => (new Set(Object.values(await leaseOwners(world))).size === 2 ? true : undefined), 20_000, "one bot per engine again");
      await bothQuoting(world, "both bots two-sided, one per engine");
      expect(doubleRuns.stop()).toEqual([]);
    } finally {
      doubleRuns.stop();
      await proxy.restore();
      await cutOff.stop();
      await other.stop();
      await cutOffPrisma.$disconnect();
      await proxy.cut();
      await world.close();
    }
  }, 120_000);
});
