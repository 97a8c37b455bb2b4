// Snapshots taken while the exchange trades: written in slices beside the running journal, and a directory caught
// in the middle of one (as a kill would leave it) still loads the whole state from the previous generation.
import { cpSync, readdirSync, rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../src/index";
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

/** 40 bids, every other one cancelled, and a sell that fills the best five. */
async function trade(sim: RunningSimulator): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await signed(sim, maker, "POST", "/api/v3/order", {
      symbol: "BTCUSDT", side: "BUY", type: "LIMIT", timeInForce: "GTC", quantity: "0.1", price: String(50000 - i), newClientOrderId: `bid-${i}`,
    });
    if (i % 2 === 1) await signed(sim, maker, "DELETE", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: `bid-${i}` });
  }
  await signed(sim, taker, "POST", "/api/v3/order", { symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: "0.5" });
}

async function picture(sim: RunningSimulator) {
  return {
    balances: await balances(sim, maker),
    open: (await signed(sim, maker, "GET", "/api/v3/openOrders", { symbol: "BTCUSDT" })).body,
    trades: (await signed(sim, maker, "GET", "/api/v3/myTrades", { symbol: "BTCUSDT" })).body,
    cancelled: (await signed(sim, maker, "GET", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: "bid-1" })).body,
  };
}

const waitFor = async (check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe("snapshots while trading", () => {
  it("compacts a growing journal in the background, and the state reads back whole", async () => {
    const dir = newDir();
    // A tiny journal limit: the trading below crosses it several times.
    let sim = await startQuietSim(dir, { persistence: { flushIntervalMs: 20, compactBytes: 4000 } });
    let before;
    try {
      await trade(sim);
      await waitFor(() => (sim.state?.stats.snapshots ?? 0) >= 3);
      expect(sim.state?.stats.snapshots).toBeGreaterThanOrEqual(3);
      before = await picture(sim);
      expect((before.open as unknown[]).length).toBe(15);
      expect((before.trades as unknown[]).length).toBe(5);
    } finally {
      await sim.close();
    }
    // Two generations kept: the newest and the one to fall back on.
    expect(readdirSync(dir).filter((name) => name.startsWith("snapshot-")).length).toBe(2);
    sim = await startQuietSim(dir);
    try {
      expect(sim.state?.notes).toEqual([]);
      expect(await picture(sim)).toEqual(before);
    } finally {
      await sim.close();
    }
  });

  it("a directory caught while a snapshot is being written loads from the generation before it", async () => {
    const dir = newDir();
    const sim = await startQuietSim(dir, { persistence: { flushIntervalMs: 20 } });
    const copy = newDir();
    let before;
    try {
      await trade(sim);
      before = await picture(sim);
      sim.state?.snapshot();
      // Copied before the snapshot's first slice runs: its temporary file is unfinished, the new journal empty.
      cpSync(dir, copy, { recursive: true });
      expect(readdirSync(copy).some((name) => name.endsWith(".json.tmp"))).toBe(true);
    } finally {
      await sim.close();
    }
    const restarted = await startQuietSim(copy);
    try {
      expect(restarted.state?.notes).toEqual([expect.stringMatching(/was not closed cleanly/)]);
      expect(await picture(restarted)).toEqual(before);
    } finally {
      await restarted.close();
    }
  });
});
