// A simulator restarted on the same state directory is the same venue: accounts and keys, balances (locked ones
// too), resting orders in the book (matchable, cancellable by client order id), order and trade history, and id
// sequences that continue. Without a directory, a fresh simulator still never reuses an id.
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { startExchangeSimulator, type RunningSimulator } from "../../src/index";
import { rest } from "../server/helpers";
import { balances, maker, signed, startQuietSim, stateDir, taker } from "./helpers";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function newDir(): string {
  const dir = stateDir();
  dirs.push(dir);
  return dir;
}

interface OrderReply {
  orderId: number;
  clientOrderId: string;
  status: string;
  executedQty: string;
}

async function place(sim: RunningSimulator, who: typeof maker, params: Record<string, string>): Promise<OrderReply> {
  const reply = await signed(sim, who, "POST", "/api/v3/order", { symbol: "BTCUSDT", newOrderRespType: "RESULT", ...params });
  return reply.body as OrderReply;
}

async function myTrades(sim: RunningSimulator, who: typeof maker): Promise<{ id: number; orderId: number; qty: string }[]> {
  return (await signed(sim, who, "GET", "/api/v3/myTrades", { symbol: "BTCUSDT" })).body as { id: number; orderId: number; qty: string }[];
}

describe("a simulator restarted on its state directory", () => {
  it("keeps accounts, balances, resting orders, history and id sequences", async () => {
    const dir = newDir();
    let sim = await startQuietSim(dir);
    // A trade between the two accounts: maker's bid rests, taker sells into part of it.
    const bid = await place(sim, maker, { side: "BUY", type: "LIMIT", timeInForce: "GTC", quantity: "0.5", price: "50000", newClientOrderId: "keep-bid" });
    const sell = await place(sim, taker, { side: "SELL", type: "LIMIT", timeInForce: "GTC", quantity: "0.2", price: "50000" });
    expect(sell.status).toBe("FILLED");
    // A second resting order, far away, and one that is cancelled (closed history).
    const ask = await place(sim, maker, { side: "SELL", type: "LIMIT_MAKER", quantity: "1", price: "70000", newClientOrderId: "keep-ask" });
    const gone = await place(sim, maker, { side: "SELL", type: "LIMIT_MAKER", quantity: "1", price: "71000", newClientOrderId: "gone" });
    await signed(sim, maker, "DELETE", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: "gone" });

    const before = {
      maker: await balances(sim, maker),
      taker: await balances(sim, taker),
      open: (await signed(sim, maker, "GET", "/api/v3/openOrders", { symbol: "BTCUSDT" })).body,
      trades: await myTrades(sim, maker),
      depth: (await signed(sim, maker, "GET", "/api/v3/depth", { symbol: "BTCUSDT" })).body as { bids: unknown[]; asks: unknown[] },
    };
    expect(before.maker).toContainEqual({ asset: "USDT", free: "975000.00000000", locked: "15000.00000000" });
    expect(before.trades).toHaveLength(1);
    await sim.close();

    // The command line names the same accounts with other balances: the saved ones win.
    sim = await startQuietSim(dir);
    try {
      expect(sim.state?.notes).toEqual([]);
      expect(await balances(sim, maker)).toEqual(before.maker);
      expect(await balances(sim, taker)).toEqual(before.taker);
      expect((await signed(sim, maker, "GET", "/api/v3/openOrders", { symbol: "BTCUSDT" })).body).toEqual(before.open);
      expect(await myTrades(sim, maker)).toEqual(before.trades);
      const depth = (await signed(sim, maker, "GET", "/api/v3/depth", { symbol: "BTCUSDT" })).body as typeof before.depth;
      expect({ bids: depth.bids, asks: depth.asks }).toEqual({ bids: before.depth.bids, asks: before.depth.asks });

      // Closed orders stay queryable, by id and by client id.
      const cancelled = (await signed(sim, maker, "GET", "/api/v3/order", { symbol: "BTCUSDT", orderId: gone.orderId })).body;
      expect(cancelled).toMatchObject({ clientOrderId: "gone", status: "CANCELED" });
      const filled = (await signed(sim, taker, "GET", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: sell.clientOrderId })).body;
      expect(filled).toMatchObject({ orderId: sell.orderId, status: "FILLED", executedQty: "0.20000000" });

      // The resting bid still trades, with its remaining quantity, and the next ids follow the old ones.
      const second = await place(sim, taker, { side: "SELL", type: "LIMIT", timeInForce: "GTC", quantity: "0.3", price: "50000" });
      expect(second.status).toBe("FILLED");
      expect(second.orderId).toBeGreaterThan(gone.orderId);
      const trades = await myTrades(sim, maker);
      expect(trades).toHaveLength(2);
      expect(trades[1]?.id).toBe((trades[0]?.id ?? 0) + 1);
      const bidNow = (await signed(sim, maker, "GET", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: "keep-bid" })).body;
      expect(bidNow).toMatchObject({ orderId: bid.orderId, status: "FILLED", executedQty: "0.50000000" });

      // And the other resting order is cancelled by its client order id, releasing its reservation.
      const cancel = (await signed(sim, maker, "DELETE", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: "keep-ask" })).body;
      expect(cancel).toMatchObject({ orderId: ask.orderId, status: "CANCELED" });
      expect(await balances(sim, maker)).toContainEqual({ asset: "BTC", free: "10.49950000", locked: "0.00000000" });
    } finally {
      await sim.close();
    }
  });

  it("keeps a saved account's secret over another one given at start, and says so", async () => {
    const dir = newDir();
    await (await startQuietSim(dir)).close();
    const sim = await startQuietSim(dir, { accounts: [{ apiKey: maker.apiKey, apiSecret: "another-secret", balances: { USDT: "1" } }] });
    try {
      expect(sim.state?.notes).toEqual([`account ${maker.apiKey} is kept with the secret saved in ${dir}, not the one given now`]);
      expect(await balances(sim, maker)).toContainEqual({ asset: "USDT", free: "1000000.00000000", locked: "0.00000000" });
    } finally {
      await sim.close();
    }
  });

  it("keeps an account added at runtime through the admin API, and a revoked key revoked", async () => {
    const dir = newDir();
    const paper = { apiKey: "paper-key", apiSecret: "paper-secret" };
    let sim = await startQuietSim(dir);
    const created = await fetch(`${sim.baseUrl}/admin/accounts`, {
      method: "POST",
      body: JSON.stringify({ ...paper, balances: { USDT: "25000", BTC: "0.5" } }),
    });
    expect(created.status).toBe(200);
    await fetch(`${sim.baseUrl}/admin/accounts/revoke`, { method: "POST", body: JSON.stringify({ apiKey: taker.apiKey }) });
    await sim.close();

    sim = await startQuietSim(dir);
    try {
      expect(await balances(sim, paper)).toEqual([
        { asset: "USDT", free: "25000.00000000", locked: "0.00000000" },
        { asset: "BTC", free: "0.50000000", locked: "0.00000000" },
      ]);
      const refused = await signed(sim, taker, "GET", "/api/v3/account", {}, 401);
      expect(refused.body).toMatchObject({ code: -2015 });
    } finally {
      await sim.close();
    }
  });

  it("refuses a second simulator on a directory in use, naming the directory", async () => {
    const dir = newDir();
    const sim = await startQuietSim(dir);
    try {
      // The lock names this process; a lock of another, live process is refused.
      const { writeFileSync } = await import("node:fs");
      writeFileSync(`${dir}/lock`, `${process.ppid}\n`);
      await expect(startQuietSim(dir)).rejects.toThrow(new RegExp(`state directory ${dir} is in use by process ${process.ppid}`));
    } finally {
      await sim.close();
    }
  });
});

describe("the market of a restarted simulator", () => {
  it("resumes at the last saved price instead of its default start, so resting orders meet no price gap", async () => {
    const dir = newDir();
    const options = { symbols: ["BTCUSDT"], stateDir: dir, accounts: [] };
    let sim = await startExchangeSimulator({ ...options, market: { synthetic: { BTCUSDT: { startPrice: "65000.00" } } } });
    const lastTrade = async () => ((await rest(sim, "GET", "/api/v3/trades", { symbol: "BTCUSDT", limit: 1 })).body as { price: string }[])[0];
    const deadline = Date.now() + 5000;
    while ((await lastTrade()) === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const lastPrice = Number((await lastTrade())?.price);
    expect(lastPrice).toBeGreaterThan(64000);
    await sim.close();

    // Started without the override: the default market would open at 60,000.
    sim = await startExchangeSimulator(options);
    try {
      const ticker = (await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbol: "BTCUSDT" })).body as { bidPrice: string };
      expect(Math.abs(Number(ticker.bidPrice) - lastPrice) / lastPrice).toBeLessThan(0.005);
    } finally {
      await sim.close();
    }
  });
});

describe("ids without a state directory", () => {
  it("a fresh simulator starts its sequences from the clock, so a restart never reuses an order or trade id", async () => {
    const ids: number[] = [];
    for (let run = 0; run < 2; run++) {
      const sim = await startQuietSim(undefined);
      try {
        await place(sim, maker, { side: "BUY", type: "LIMIT", timeInForce: "GTC", quantity: "0.1", price: "50000" });
        const sell = await place(sim, taker, { side: "SELL", type: "LIMIT", timeInForce: "GTC", quantity: "0.1", price: "50000" });
        ids.push(sell.orderId, ...(await myTrades(sim, maker)).map((trade) => trade.id));
      } finally {
        await sim.close();
      }
    }
    const [firstOrder, firstTrade, secondOrder, secondTrade] = ids as [number, number, number, number];
    expect(firstOrder).toBeGreaterThan(1_700_000_000_000);
    expect(secondOrder).toBeGreaterThan(firstOrder);
    expect(secondTrade).toBeGreaterThan(firstTrade);
  });
});
