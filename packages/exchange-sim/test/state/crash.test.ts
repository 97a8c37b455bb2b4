// What a killed or damaged state directory gives back: a SIGKILLed simulator process restarts from its last
// written batch (real process, real socket); a damaged snapshot or journal is reported by name and the last good
// state is used; with no readable snapshot at all the simulator refuses to start instead of forgetting accounts.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index";
import { balances, maker, signed, startQuietSim, stateDir, taker } from "./helpers";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function newDir(): string {
  const dir = stateDir();
  dirs.push(dir);
  return dir;
}

interface SimProcess {
  child: ChildProcess;
  /** Enough of RunningSimulator for the REST helpers. */
  sim: RunningSimulator;
  output: () => string;
  exited: Promise<number | null>;
}

async function spawnSim(dir: string): Promise<SimProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import", "tsx", "src/cli.ts", "--port", "0", "--symbols", "BTCUSDT", "--seed", "5",
      "--api-key", maker.apiKey, "--api-secret", maker.apiSecret, "--balances", "USDT=1000000,BTC=10",
      "--state-dir", dir, "--unlimited",
    ],
    { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  while (!/state\s+\//.test(output) && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const baseUrl = /REST\s+(http:\/\/\S+)\/api\/v3/.exec(output)?.[1];
  if (!baseUrl) {
    child.kill("SIGKILL");
    throw new Error(`the simulator did not start:\n${output}`);
  }
  return { child, sim: { baseUrl } as RunningSimulator, output: () => output, exited };
}

interface OrderReply {
  orderId: number;
  status: string;
}

async function restingBid(sim: RunningSimulator, clientOrderId: string): Promise<OrderReply> {
  // Far below the synthetic market, so it rests and stays open.
  const reply = await signed(sim, maker, "POST", "/api/v3/order", {
    symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", quantity: "0.1", price: "30000", newClientOrderId: clientOrderId,
  });
  return reply.body as OrderReply;
}

describe("a SIGKILLed simulator process", () => {
  it("restarts from its last batch: the resting order, the balance it locks, and ids that never repeat", async () => {
    const dir = newDir();
    const first = await spawnSim(dir);
    let placed: OrderReply;
    let before: Awaited<ReturnType<typeof balances>>;
    try {
      placed = await restingBid(first.sim, "survives-kill");
      before = await balances(first.sim, maker);
      expect(before).toContainEqual({ asset: "USDT", free: "997000.00000000", locked: "3000.00000000" });
      // Longer than a flush interval (100 ms): the order is on disk.
      await new Promise((resolve) => setTimeout(resolve, 400));
    } finally {
      first.child.kill("SIGKILL");
    }
    await first.exited;

    const second = await spawnSim(dir);
    try {
      expect(second.output()).toMatch(/state: .* was not closed cleanly/);
      expect(await balances(second.sim, maker)).toEqual(before);
      const open = (await signed(second.sim, maker, "GET", "/api/v3/openOrders", { symbol: "BTCUSDT" })).body;
      expect(open).toEqual([expect.objectContaining({ orderId: placed.orderId, clientOrderId: "survives-kill", status: "NEW" })]);
      const next = await restingBid(second.sim, "after-kill");
      expect(next.orderId).toBeGreaterThan(placed.orderId + 1_000_000);
      const cancelled = await signed(second.sim, maker, "DELETE", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: "survives-kill" });
      expect(cancelled.body).toMatchObject({ orderId: placed.orderId, status: "CANCELED" });
    } finally {
      second.child.kill("SIGTERM");
    }
    expect(await second.exited).toBe(0);
  }, 60_000);
});

describe("a simulator SIGKILLed while orders stream in", () => {
  it("comes back consistent: every order acknowledged before the last flush is there, and locked funds match the open orders", async () => {
    const dir = newDir();
    const first = await spawnSim(dir);
    const acknowledged: { orderId: number; clientOrderId: string; at: number; cancelled: boolean }[] = [];
    let killedAt = 0;
    try {
      const deadline = Date.now() + 2000;
      let i = 0;
      // Bounded in count too: a fast machine would otherwise pass the symbol's 200 open orders (MAX_NUM_ORDERS)
      // within the two seconds; 240 placements with every third cancelled leave 160 resting.
      while (Date.now() < deadline && i < 240) {
        // Eight orders in flight at a time, every third one cancelled again.
        const batch = Array.from({ length: 8 }, async () => {
          const n = i++;
          const clientOrderId = `stream-${n}`;
          const placed = await signed(first.sim, maker, "POST", "/api/v3/order", {
            symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", quantity: "0.01", price: String(30000 + (n % 50)), newClientOrderId: clientOrderId,
          });
          const entry = { orderId: (placed.body as OrderReply).orderId, clientOrderId, at: Date.now(), cancelled: false };
          acknowledged.push(entry);
          if (n % 3 === 0) {
            await signed(first.sim, maker, "DELETE", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: clientOrderId });
            entry.cancelled = true;
            entry.at = Date.now();
          }
        });
        await Promise.all(batch);
      }
      // Killed with requests still arriving.
      void restingBid(first.sim, "in-flight").catch(() => undefined);
      killedAt = Date.now();
    } finally {
      first.child.kill("SIGKILL");
    }
    await first.exited;
    expect(acknowledged.length).toBeGreaterThan(20);

    const second = await spawnSim(dir);
    try {
      const open = (await signed(second.sim, maker, "GET", "/api/v3/openOrders", { symbol: "BTCUSDT" })).body as { orderId: number; price: string; origQty: string }[];
      const openIds = new Set(open.map((order) => order.orderId));
      // Written at most one flush interval (100 ms) after it happened; 300 ms leaves room for a late timer.
      for (const order of acknowledged.filter((entry) => entry.at < killedAt - 300)) {
        expect(openIds.has(order.orderId), `${order.clientOrderId} ${order.cancelled ? "cancelled" : "open"}`).toBe(!order.cancelled);
      }
      const reserved = open.reduce((sum, order) => sum + Number(order.price) * Number(order.origQty), 0);
      const usdt = (await balances(second.sim, maker)).find((balance) => balance.asset === "USDT");
      expect(Number(usdt?.locked)).toBeCloseTo(reserved, 6);
      expect(Number(usdt?.free) + Number(usdt?.locked)).toBeCloseTo(1_000_000, 6);
    } finally {
      second.child.kill("SIGTERM");
    }
    expect(await second.exited).toBe(0);
  }, 60_000);
});

/** A directory with two generations: an account, a resting order, a trade, written and cleanly closed twice. */
async function twoGenerations(): Promise<{ dir: string; orderId: number }> {
  const dir = newDir();
  let sim = await startQuietSim(dir);
  const bid = await signed(sim, maker, "POST", "/api/v3/order", {
    symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", quantity: "1", price: "50000", newClientOrderId: "kept",
  });
  await signed(sim, taker, "POST", "/api/v3/order", {
    symbol: "BTCUSDT", side: "SELL", type: "LIMIT", timeInForce: "GTC", quantity: "0.25", price: "50000",
  });
  await sim.close();
  sim = await startQuietSim(dir);
  await sim.close();
  return { dir, orderId: (bid.body as OrderReply).orderId };
}

async function expectIntact(sim: RunningSimulator, orderId: number): Promise<void> {
  const open = (await signed(sim, maker, "GET", "/api/v3/openOrders", { symbol: "BTCUSDT" })).body;
  expect(open).toEqual([expect.objectContaining({ orderId, clientOrderId: "kept", executedQty: "0.25000000" })]);
  expect(await balances(sim, maker)).toContainEqual({ asset: "USDT", free: "950000.00000000", locked: "37500.00000000" });
  const trades = (await signed(sim, maker, "GET", "/api/v3/myTrades", { symbol: "BTCUSDT" })).body;
  expect(trades).toEqual([expect.objectContaining({ orderId, qty: "0.25000000", isMaker: true })]);
}

function newest(dir: string, prefix: string): string {
  const names = readdirSync(dir).filter((name) => name.startsWith(prefix) && !name.endsWith(".corrupt")).sort();
  return join(dir, names[names.length - 1] as string);
}

describe("a damaged state directory", () => {
  it("reports a damaged newest snapshot by name and rebuilds from the previous one and its journals", async () => {
    const { dir, orderId } = await twoGenerations();
    const damaged = newest(dir, "snapshot-");
    const text = readFileSync(damaged, "utf8");
    writeFileSync(damaged, text.slice(0, Math.floor(text.length / 2)));
    const sim = await startQuietSim(dir);
    try {
      expect(sim.state?.notes).toEqual([expect.stringContaining(`state file ${damaged}: not valid JSON`)]);
      expect(sim.state?.notes[0]).toMatch(/renamed it to \*\.corrupt and used .*snapshot-\d+\.json/);
      await expectIntact(sim, orderId);
    } finally {
      await sim.close();
    }
    expect(readdirSync(dir)).toContain(`${damaged.split("/").pop()}.corrupt`);
  });

  it("ignores an unfinished batch at the end of the journal, as a kill while writing leaves it", async () => {
    const { dir, orderId } = await twoGenerations();
    const journal = newest(dir, "journal-");
    appendFileSync(journal, `{"o":{"accountId":"account-1","symbol":"BTCUSDT","orderId":1,"clientOrderId":"half`);
    const sim = await startQuietSim(dir);
    try {
      expect(sim.state?.notes).toEqual([expect.stringMatching(new RegExp(`${journal}: ignored an unfinished batch at its end`))]);
      await expectIntact(sim, orderId);
    } finally {
      await sim.close();
    }
  });

  it("stops at a damaged journal line, names it, and keeps the state of the batches before it", async () => {
    const { dir, orderId } = await twoGenerations();
    const journal = newest(dir, "journal-");
    // A later batch that would cancel the order, after a damaged line: it must not be applied.
    appendFileSync(journal, `garbage that is not JSON\n{"c":{"nextExecutionId":1,"nextAccountNumber":1,"symbols":{}}}\n`);
    const sim = await startQuietSim(dir);
    try {
      expect(sim.state?.notes).toEqual([expect.stringMatching(new RegExp(`state file ${journal} is damaged at line \\d+`))]);
      await expectIntact(sim, orderId);
    } finally {
      await sim.close();
    }
  });

  it("refuses to start when no snapshot is readable, naming every damaged file", async () => {
    const dir = newDir();
    const sim = await startQuietSim(dir);
    await sim.close();
    const only = newest(dir, "snapshot-");
    writeFileSync(only, "{");
    await expect(startQuietSim(dir)).rejects.toThrow(new RegExp(`no readable snapshot in ${dir} \\(${only}: not valid JSON`));
  });
});
