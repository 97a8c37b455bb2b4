// How one symbol's feed status follows the connection and its depth book, on a clock the test moves: LIVE while
// connected and synced however quiet; STALE, named, only past the graces; reported once per change.
import { BookSync, MarketStream, type DepthSnapshot } from "@bandkeeper/binance";
import { Decimal, type FeedStatus } from "@bandkeeper/core";
import { afterEach, describe, expect, it } from "vitest";
import { SymbolFeed, type ConnectionState } from "../src/exchange/symbol-feed";

let time = 1_000_000;
const clock = { now: () => time };
const settings = { depthLevels: 10, downGraceMs: 5_000, resyncGraceMs: 5_000, historyTrades: 100 };
const up: ConnectionState = { healthy: true, upSince: 0 };

let sync: BookSync | undefined;
afterEach(() => sync?.stop());

/** A symbol feed whose snapshots come from `snapshots` in order (a rejection for an Error). */
function symbolFeed(snapshots: (DepthSnapshot | Error)[]): { feed: SymbolFeed; statuses: FeedStatus[] } {
  // Never started: the book is driven by snapshots only, no socket is opened.
  const stream = new MarketStream({ url: "ws://127.0.0.1:9/stream", clock });
  sync = new BookSync({
    symbol: "BTCUSDT",
    stream,
    listen: false,
    snapshotAtStart: true,
    retryDelayMs: 1,
    fetchSnapshot: () => {
      const next = snapshots.shift() ?? new Error("no more snapshots");
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
  });
  const feed = new SymbolFeed("BTCUSDT", sync, settings, clock);
  const statuses: FeedStatus[] = [];
  feed.listeners.add({ onTrade: () => undefined, onBookTop: () => undefined, onFeedStatus: (s) => statuses.push(s) });
  return { feed, statuses };
}

const book = (lastUpdateId: number): DepthSnapshot => ({
  lastUpdateId,
  bids: [{ price: new Decimal(99), qty: new Decimal(1) }],
  asks: [{ price: new Decimal(101), qty: new Decimal(1) }],
});

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("SymbolFeed status", () => {
  it("is LIVE while connected and synced, however long nothing happens, and says so once", async () => {
    const { feed, statuses } = symbolFeed([book(7)]);
    sync?.start();
    await settle();
    feed.judge(up, time);
    for (let i = 0; i < 60; i++) {
      time += 60_000; // an hour without a single event
      feed.judge(up, time);
    }
    expect(statuses).toEqual([{ live: true, time: 1_000_000 }]);
  });

  it("holds its status through a short disconnect, turns STALE named past the grace, and LIVE once the book is confirmed", async () => {
    const { feed, statuses } = symbolFeed([book(7)]);
    sync?.start();
    await settle();
    feed.judge(up, time);
    const downSince = time;
    const down: ConnectionState = { healthy: false, reason: "closed (1006)", downSince, upSince: 0 };
    time += 4_999;
    feed.judge(down, time);
    expect(statuses.map((s) => s.live)).toEqual([true]);
    time += 1;
    feed.judge(down, time);
    time += 3_000;
    feed.judge(down, time); // still down: not reported again although the seconds grew
    expect(statuses.slice(1)).toEqual([{ live: false, reason: "market-data connection down for 5.0 s (closed (1006))", time: downSince + 5_000 }]);

    // Back up, but the book may have missed events meanwhile: the STALE stands until a probe or an event confirms it.
    const back: ConnectionState = { healthy: true, upSince: time };
    time += 1_000;
    feed.judge(back, time);
    expect(statuses).toHaveLength(2);
    expect(feed.probeResult(book(7), time)).toBe("in-sync");
    feed.judge(back, time);
    expect(statuses.at(-1)).toEqual({ live: true, time });
  });

  it("goes STALE at once when the connection was cut for silence", async () => {
    const { feed, statuses } = symbolFeed([book(7)]);
    sync?.start();
    await settle();
    feed.judge(up, time);
    feed.judge({ healthy: false, reason: "no frame for 30 s", downSince: time, upSince: 0 }, time);
    expect(statuses.at(-1)).toEqual({ live: false, reason: "market-data connection silent (no frame for 30 s)", time });
  });

  it("names a depth resync that keeps failing once it has lasted past the grace", async () => {
    const startedAt = time;
    const { feed, statuses } = symbolFeed([new Error("HTTP 503"), new Error("HTTP 503"), new Error("HTTP 503")]);
    sync?.start();
    await settle();
    time += 4_000;
    feed.judge(up, time);
    expect(statuses).toEqual([]);
    time += 1_000;
    feed.judge(up, time);
    expect(statuses).toEqual([{ live: false, reason: "depth resync failing for 5.0 s (snapshot fetch failed: no more snapshots)", time: startedAt + 5_000 }]);
  });

  it("reports a book the exchange moved past twice in a row as a stuck stream", async () => {
    const { feed, statuses } = symbolFeed([book(7), book(9), book(12)]);
    sync?.start();
    await settle();
    feed.judge(up, time);
    expect(feed.probeResult(book(8), time)).toBe("behind");
    feed.stuckProbes += 1;
    sync?.resync("probe");
    await settle();
    feed.judge(up, time);
    expect(statuses.map((s) => s.live)).toEqual([true]);
    feed.stuckProbes += 1;
    sync?.resync("probe");
    await settle();
    feed.judge(up, time);
    expect(statuses.at(-1)).toEqual({ live: false, reason: "no depth events while the exchange's book moved (2 probes)", time });
  });
});
