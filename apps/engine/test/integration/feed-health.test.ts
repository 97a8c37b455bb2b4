// The venue market feed against the real simulator over real sockets: a quiet but connected market stays LIVE far
// past the old 5 s staleness limits, a dead (blackholed) connection turns STALE with a named reason within the
// silence bound and LIVE again on recovery, a depth gap resyncs, and a book left behind with no event to show it
// (a quiet symbol) is caught by the REST probe and rebuilt.
import { createBinanceClient, simulatorBaseUrls, type BinanceClient } from "@bandkeeper/binance";
import type { BookDepth, BookTop, FeedStatus } from "@bandkeeper/core";
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import { afterEach, describe, expect, it } from "vitest";
import { MarketFeed, type FeedTrade, type MarketFeedRest, type MarketFeedSettings } from "../../src/exchange/market-feed";
import { wallClock } from "../../src/wall-clock";
import { until } from "./harness";
import { ThinMarket } from "./thin-market";

const SYMBOL = "BTCUSDT";

interface Recorder {
  statuses: (FeedStatus & { at: number })[];
  tops: BookTop[];
  depths: BookDepth[];
  trades: FeedTrade[];
}

interface Rig {
  sim: RunningSimulator;
  client: BinanceClient;
  feed: MarketFeed;
  market: ThinMarket;
  seen: Recorder;
  /** REST calls the feed made, by kind ("depth 5" is a probe). */
  calls: string[];
}

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.feed.stop();
  await rig?.sim.close();
  rig = undefined;
});

async function startRig(market: ThinMarket, settings: Partial<MarketFeedSettings>): Promise<Rig> {
  const sim = await startExchangeSimulator({ port: 0, symbols: [SYMBOL], market: { models: { [SYMBOL]: market } } });
  const client = createBinanceClient({ baseUrls: simulatorBaseUrls(sim.baseUrl), clock: wallClock, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
  await client.rest.syncTime();
  const calls: string[] = [];
  const rest: MarketFeedRest = {
    depth: (symbol, limit) => {
      calls.push(`depth ${limit}`);
      return client.rest.depth(symbol, limit);
    },
    recentTrades: (symbol, limit) => {
      calls.push("trades");
      return client.rest.recentTrades(symbol, limit);
    },
    toLocal: (serverTime) => client.serverTimeOffset.toLocal(serverTime),
  };
  const { heartbeatMs, pongTimeoutMs, silentAfterMs } = settings;
  const stream = client.marketStream([], {
    ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
    ...(pongTimeoutMs === undefined ? {} : { pongTimeoutMs }),
    ...(silentAfterMs === undefined ? {} : { staleAfterMs: silentAfterMs }),
  });
  const feed = new MarketFeed(stream, { clock: wallClock, rest, settings });
  const seen: Recorder = { statuses: [], tops: [], depths: [], trades: [] };
  feed.watch(SYMBOL, {
    onTrade: (t) => seen.trades.push(t),
    onBookTop: (t) => seen.tops.push(t),
    onBookDepth: (d) => seen.depths.push(d),
    onFeedStatus: (s) => seen.statuses.push({ ...s, at: performance.now() }),
  });
  rig = { sim, client, feed, market, seen, calls };
  return rig;
}

const live = (r: Rig) => (r.feed.status(SYMBOL)?.live === true ? true : undefined);

describe("market feed health", () => {
  it("keeps a quiet, connected market LIVE for 12 s with Binance's own timings, probing it by REST", async () => {
    // No print after the opening ones and a still book; default heartbeat (10 s) and silence limit (30 s).
    const r = await startRig(new ThinMarket({ symbol: SYMBOL }), { quietProbeMs: 3_000 });
    await until(() => live(r), 5_000, "LIVE");
    // The seed: three opening prints from REST, the still book from the snapshot.
    await until(() => (r.seen.trades.length === 3 ? true : undefined), 5_000, "the seeded trades");
    expect(r.seen.tops.at(-1)?.bidPrice.toFixed()).toBe("59999");
    expect(r.seen.depths.at(-1)?.bids.map((l) => l.price.toFixed())).toEqual(["59999", "59998", "59997", "59996", "59995"]);
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    expect(r.seen.statuses.map((s) => s.live)).toEqual([true]);
    // The quiet symbol was probed (depth limit 5) and found in sync: no resync, one snapshot in all.
    expect(r.calls.filter((c) => c === "depth 5").length).toBeGreaterThanOrEqual(3);
    expect(r.calls.filter((c) => c === "depth 1000")).toHaveLength(1);
  }, 30_000);

  it("reports a blackholed connection STALE, named, when its ping goes unanswered, and LIVE again once it recovers", async () => {
    const r = await startRig(new ThinMarket({ symbol: SYMBOL, bookChangeEveryMs: 500 }), {
      heartbeatMs: 300,
      pongTimeoutMs: 500,
      silentAfterMs: 3_000,
      checkEveryMs: 200,
    });
    await until(() => live(r), 5_000, "LIVE");
    r.sim.faults.apply({ blackholeStreams: true });
    const cutAt = performance.now();
    const stale = await until(() => r.seen.statuses.find((s) => !s.live), 5_000, "STALE");
    const detectMs = stale.at - cutAt;
    expect(stale.live === false && stale.reason).toMatch(/^market-data connection silent \(no answer to a ping for \d+ ms\)$/);
    // The heartbeat after 300 ms of silence plus 500 ms without its pong; the connection is not even cut yet.
    expect(detectMs).toBeGreaterThanOrEqual(500);
    expect(detectMs).toBeLessThan(300 + 500 + 400);

    r.sim.faults.apply({ blackholeStreams: false });
    const backAt = performance.now();
    await until(() => (r.seen.statuses.at(-1)?.live === true ? true : undefined), 10_000, "LIVE again");
    const recoverMs = (r.seen.statuses.at(-1)?.at ?? 0) - backAt;
    console.log(`blackholed stream: STALE after ${detectMs.toFixed(0)} ms (ping after 300 ms of silence, 500 ms to answer); LIVE ${recoverMs.toFixed(0)} ms after recovery`);
    expect(r.seen.statuses.map((s) => s.live)).toEqual([true, false, true]);
    // The book after recovery is the exchange's: a depth snapshot now agrees with the feed's last top.
    const snapshot = await r.client.rest.depth(SYMBOL, 5);
    await until(() => (r.seen.tops.at(-1)?.bidQty.eq(snapshot.bids[0]!.qty) ? true : undefined), 3_000, "the top to match the exchange");
  }, 30_000);

  it("rebuilds the book after a gap in the diff-depth stream and delivers the top the exchange has", async () => {
    const r = await startRig(new ThinMarket({ symbol: SYMBOL, bookChangeEveryMs: 200 }), {});
    await until(() => live(r), 5_000, "LIVE");
    const snapshotsBefore = r.calls.filter((c) => c === "depth 1000").length;
    r.sim.faults.apply({ dropDepthUpdates: 2 });
    await until(() => (r.calls.filter((c) => c === "depth 1000").length > snapshotsBefore ? true : undefined), 5_000, "a resync snapshot");
    await until(() => live(r), 5_000, "LIVE after the resync");
    // A resync within the grace does not flip the status.
    expect(r.seen.statuses.map((s) => s.live)).toEqual([true]);
    const depthAfter = r.seen.depths.length;
    await until(() => (r.seen.depths.length > depthAfter + 2 ? true : undefined), 5_000, "depth flowing again");
  }, 30_000);

  it("catches a book left behind on a quiet symbol with the REST probe, and delivers the exchange's book", async () => {
    const market = new ThinMarket({ symbol: SYMBOL });
    const r = await startRig(market, { quietProbeMs: 2_000, probeSettleMs: 300, checkEveryMs: 200 });
    await until(() => live(r), 5_000, "LIVE");
    // One change of the book whose diff never reaches us, and then silence: no later event can show the gap.
    r.sim.faults.apply({ dropDepthUpdates: 1 });
    market.setLevel("bid", 59_999, "7");
    await until(() => (r.sim.faults.settings.dropDepthUpdates === 0 ? true : undefined), 2_000, "the diff withheld");
    const droppedAt = performance.now();
    // bookTicker still told the new top at once; the depth book only learns it from the probe's resync.
    await until(() => (r.seen.tops.at(-1)?.bidQty.toFixed() === "7" ? true : undefined), 2_000, "the new top on bookTicker");
    expect(r.seen.depths.at(-1)?.bids[0]?.qty.toFixed()).toBe("1");
    await until(() => (r.seen.depths.at(-1)?.bids[0]?.qty.toFixed() === "7" ? true : undefined), 6_000, "the rebuilt depth book");
    const caughtMs = performance.now() - droppedAt;
    console.log(`depth book left behind on a quiet symbol: caught and rebuilt after ${caughtMs.toFixed(0)} ms (probe after 2000 ms of silence)`);
    expect(r.calls.filter((c) => c === "depth 1000")).toHaveLength(2);
    expect(r.seen.statuses.map((s) => s.live)).toEqual([true]);
  }, 30_000);

  it("charges its REST calls to the venue's weight budget: refused, the book waits (STALE named past the grace) and syncs once allowed", async () => {
    const sim = await startExchangeSimulator({ port: 0, symbols: [SYMBOL], market: { models: { [SYMBOL]: new ThinMarket({ symbol: SYMBOL }) } } });
    const client = createBinanceClient({ baseUrls: simulatorBaseUrls(sim.baseUrl), clock: wallClock });
    let allowed = false;
    const charged: number[] = [];
    const feed = MarketFeed.forClient(client, {
      clock: wallClock,
      settings: { resyncGraceMs: 1_000, retryDelayMs: 100, checkEveryMs: 100 },
      spendWeight: (weight) => {
        charged.push(weight);
        return allowed;
      },
    });
    rig = { sim, client, feed, market: new ThinMarket(), seen: { statuses: [], tops: [], depths: [], trades: [] }, calls: [] };
    const statuses: FeedStatus[] = [];
    feed.watch(SYMBOL, { onTrade: () => undefined, onBookTop: () => undefined, onFeedStatus: (s) => statuses.push(s) });
    const stale = await until(() => statuses.find((s) => !s.live), 5_000, "STALE");
    expect(stale.live === false && stale.reason).toMatch(/^depth resync failing for 1\.\d s \(snapshot fetch failed: request weight budget spent \(this call needs 50\)\)$/);
    // The first charges: the trade seed (weight 25) and the 1000-level snapshot (weight 50).
    expect(charged.slice(0, 2).sort((a, b) => a - b)).toEqual([25, 50]);
    allowed = true;
    await until(() => (statuses.at(-1)?.live === true ? true : undefined), 5_000, "LIVE once the budget allows");
  }, 20_000);
});
