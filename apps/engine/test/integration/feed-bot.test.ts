// A bot on a thin pair over real sockets (headless fleet, default config): a quiet but connected market keeps it
// quoting, far past the old 5 s staleness limits; a dead market-data connection takes it out of QUOTING with a
// state that names the connection, within the silence bound, and it quotes again once the connection recovers.
import { afterEach, describe, expect, it } from "vitest";
import type { MarketFeedSettings } from "../../src/exchange/market-feed";
import { until } from "./harness";
import { thinFleet, THIN_SYMBOL as SYMBOL, type ThinFleet } from "./thin-fleet";
import { ThinMarket } from "./thin-market";

interface StateLine {
  at: number;
  to: string;
  reason: string | null;
}

type Rig = ThinFleet & { states: StateLine[] };

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function startRig(market: ThinMarket, marketFeed: Partial<MarketFeedSettings> = {}): Promise<Rig> {
  const states: StateLine[] = [];
  const onLogLine = (line: string) => {
    const entry = JSON.parse(line) as { msg: string; to?: string; reason?: string | null };
    if (entry.msg === "bot state") states.push({ at: performance.now(), to: entry.to ?? "", reason: entry.reason ?? null });
  };
  rig = { ...(await thinFleet(market, { botId: "thin-bot", marketFeed, onLogLine })), states };
  await rig.fleet.start();
  return rig;
}

function twoSided(r: Rig): true | undefined {
  return r.twoSided() ? true : undefined;
}

describe("a bot on a thin pair", () => {
  it("keeps quoting on a quiet, connected market for 15 s (no HALTED), with Binance's own timings", async () => {
    const r = await startRig(new ThinMarket({ symbol: SYMBOL }));
    await until(() => twoSided(r), 5_000, "both sides quoted");
    // The core reports a soft state once it has held for a while: wait for that report before the quiet spell.
    await until(() => (r.states.at(-1)?.to === "QUOTING" ? true : undefined), 15_000, "QUOTING reported");
    const quotingFrom = r.states.length;
    const orders = r.sim.exchange.openOrders(r.accountId, SYMBOL).map((o) => o.clientOrderId).sort();
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    // Nothing happened in the market, so nothing needed doing: the same two orders, no state change since.
    expect(r.states.slice(quotingFrom).map((s) => `${s.to} (${s.reason})`)).toEqual([]);
    expect(r.states.slice(r.states.findIndex((s) => s.to === "QUOTING")).map((s) => s.to)).not.toContain("HALTED");
    expect(r.sim.exchange.openOrders(r.accountId, SYMBOL).map((o) => o.clientOrderId).sort()).toEqual(orders);
  }, 40_000);

  it("leaves QUOTING with a state naming the market-data connection when the stream goes dead, and quotes again after", async () => {
    const r = await startRig(new ThinMarket({ symbol: SYMBOL, bookChangeEveryMs: 500 }), { heartbeatMs: 300, silentAfterMs: 1_500, checkEveryMs: 200 });
    await until(() => twoSided(r), 5_000, "both sides quoted");
    await until(() => (r.states.at(-1)?.to === "QUOTING" ? true : undefined), 15_000, "QUOTING reported");
    r.sim.faults.apply({ blackholeStreams: true });
    const cutAt = performance.now();
    // The default onStale (PULL): both quotes cancelled within the silence bound, the housekeeping period and a
    // round trip (the WebSocket API still works; only market data is dead).
    await until(() => (r.sim.exchange.openOrders(r.accountId, SYMBOL).length === 0 ? true : undefined), 5_000, "quotes pulled");
    const pulledMs = performance.now() - cutAt;
    expect(pulledMs).toBeLessThan(1_500 + 200 + 500);
    // The reported state names the connection (the core reports a soft state after it settles).
    const stale = await until(() => r.states.find((s) => s.at > cutAt && s.to !== "QUOTING"), 15_000, "a state other than QUOTING");
    console.log(`bot on a dead feed: quotes pulled ${pulledMs.toFixed(0)} ms after the cut; reported ${stale.to} (${stale.reason}) after ${(stale.at - cutAt).toFixed(0)} ms`);
    expect(stale.reason ?? "").toMatch(/market-data connection silent/);

    r.sim.faults.apply({ blackholeStreams: false });
    const backAt = performance.now();
    await until(() => twoSided(r), 10_000, "two-sided again");
    console.log(`bot after recovery: two-sided ${(performance.now() - backAt).toFixed(0)} ms after the stream came back`);
    await until(() => (r.states.at(-1)?.to === "QUOTING" ? true : undefined), 15_000, "QUOTING reported again");
  }, 40_000);
});
