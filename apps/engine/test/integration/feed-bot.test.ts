// A bot on a thin pair over real sockets (headless fleet, default config): a quiet but connected market keeps it
// quoting, far past the old 5 s staleness limits; a dead market-data connection takes it out of QUOTING with a
// state that names the connection, within the silence bound, and it quotes again once the connection recovers.
import { DEMO_SIMULATOR_CREDENTIALS } from "@bandkeeper/db/seed";
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import { parseBotConfig } from "@bandkeeper/core";
import { afterEach, describe, expect, it } from "vitest";
import type { MarketFeedSettings } from "../../src/exchange/market-feed";
import { HeadlessFleet } from "../../src/headless/fleet";
import { createLogger } from "../../src/observability/log";
import { EngineMetrics } from "../../src/observability/metrics";
import { wallClock } from "../../src/wall-clock";
import { until } from "./harness";
import { ThinMarket } from "./thin-market";

const SYMBOL = "BTCUSDT";

interface StateLine {
  at: number;
  to: string;
  reason: string | null;
}

interface Rig {
  sim: RunningSimulator;
  fleet: HeadlessFleet;
  accountId: string;
  states: StateLine[];
}

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.fleet.stop();
  await rig?.sim.close();
  rig = undefined;
});

async function startRig(market: ThinMarket, marketFeed: Partial<MarketFeedSettings> = {}): Promise<Rig> {
  const sim = await startExchangeSimulator({
    port: 0,
    symbols: [SYMBOL],
    accounts: [{ ...DEMO_SIMULATOR_CREDENTIALS, balances: { USDT: "1000000", BTC: "20" } }],
    market: { models: { [SYMBOL]: market } },
  });
  const accountId = sim.exchange.accountByApiKey(DEMO_SIMULATOR_CREDENTIALS.apiKey)!.accountId;
  const config = parseBotConfig({});
  if (!config.ok) throw new Error("default config invalid");
  const states: StateLine[] = [];
  const fleet = new HeadlessFleet({
    config: {
      file: "feed-bot.test",
      accounts: [{ name: "sim", venue: "SIMULATOR", environment: "SIMULATOR", baseUrl: sim.baseUrl, apiKey: DEMO_SIMULATOR_CREDENTIALS.apiKey, signing: { apiSecret: DEMO_SIMULATOR_CREDENTIALS.apiSecret } }],
      bots: [{ id: "thin-bot", account: "sim", symbol: SYMBOL, config: config.config }],
    },
    defaultSimulatorUrl: sim.baseUrl,
    clock: wallClock,
    logger: createLogger({
      level: "info",
      write: (line) => {
        const entry = JSON.parse(line) as { msg: string; to?: string; reason?: string | null };
        if (entry.msg === "bot state") states.push({ at: performance.now(), to: entry.to ?? "", reason: entry.reason ?? null });
        if (process.env.ENGINE_TEST_LOG === "1") console.log(line);
      },
    }),
    metrics: new EngineMetrics(),
    marketFeed,
  });
  rig = { sim, fleet, accountId, states };
  await fleet.start();
  return rig;
}

function twoSided(r: Rig): true | undefined {
  const open = r.sim.exchange.openOrders(r.accountId, SYMBOL);
  return open.some((o) => o.side === "BUY") && open.some((o) => o.side === "SELL") ? true : undefined;
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
