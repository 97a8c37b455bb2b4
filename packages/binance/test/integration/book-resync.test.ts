// The local order book against the simulator over real sockets: a forced sequence gap on the diff-depth stream
// and dropped stream connections, each followed by a snapshot refetch and a book that matches bookTicker again.
import { startExchangeSimulator, type RunningSimulator } from "@bandkeeper/exchange-sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBinanceClient, type BinanceClient } from "../../src/client";
import type { BookSync, BookSyncStatus } from "../../src/market-data/book-sync";
import { bookTickerStream, type MarketStream } from "../../src/streams/market-stream";
import { simulatorBaseUrls } from "../../src/urls";
import { until } from "../helpers";

let sim: RunningSimulator;
let client: BinanceClient;

beforeAll(async () => {
  sim = await startExchangeSimulator({ symbols: ["BTCUSDT"], market: { seed: 11 } });
  client = createBinanceClient({
    baseUrls: simulatorBaseUrls(sim.baseUrl),
    requestTimeoutMs: 5000,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
  });
});

afterAll(async () => {
  await sim.close();
});

interface Harness {
  stream: MarketStream;
  sync: BookSync;
  statuses: BookSyncStatus[];
  opens: () => number;
  /** Book updates whose best bid and ask were compared with the bookTicker event of the same update id. */
  agreed: () => number;
  disagreements: string[];
}

let harness: Harness | undefined;

afterEach(async () => {
  harness?.sync.stop();
  await harness?.stream.stop();
  harness = undefined;
  sim.faults.reset();
});

function startHarness(): Harness {
  const stream = client.marketStream([bookTickerStream("BTCUSDT")]);
  const sync = client.bookSync("BTCUSDT", stream, { snapshotLimit: 1000, retryDelayMs: 50 });
  const tickers = new Map<number, { bid: string; ask: string }>();
  const statuses: BookSyncStatus[] = [];
  const disagreements: string[] = [];
  let agreed = 0;
  let opens = 0;
  stream.onStatus((s) => {
    if (s.status === "open") opens += 1;
  });
  stream.onMessage((m) => {
    if (m.event.eventType !== "bookTicker") return;
    tickers.set(m.event.updateId, { bid: m.event.bidPrice.toFixed(), ask: m.event.askPrice.toFixed() });
  });
  sync.onStatus((s) => statuses.push(s));
  sync.onUpdate((book) => {
    // bookTicker may arrive just after the depth batch that ends at the same id: compare once both are in.
    const ticker = tickers.get(book.lastUpdateId);
    if (ticker === undefined) return;
    const bid = book.bestBid()?.price.toFixed();
    const ask = book.bestAsk()?.price.toFixed();
    if (bid === ticker.bid && ask === ticker.ask) agreed += 1;
    else disagreements.push(`at ${book.lastUpdateId}: book ${bid}/${ask}, bookTicker ${ticker.bid}/${ticker.ask}`);
  });
  stream.start();
  sync.start();
  harness = { stream, sync, statuses, opens: () => opens, agreed: () => agreed, disagreements };
  return harness;
}

describe("book sync against the simulator", () => {
  it("detects a forced gap in the diff-depth stream, refetches the snapshot and matches bookTicker again", async () => {
    const h = startHarness();
    await until(() => h.sync.book.state === "synced" && h.agreed() >= 3, "first sync agreeing with bookTicker", 15_000);
    const resyncsBefore = h.sync.status.resyncs;
    const syncsBefore = h.statuses.filter((s) => s.reason?.startsWith("synced at") === true).length;

    const forced = await fetch(`${sim.baseUrl}/admin/faults`, { method: "POST", body: JSON.stringify({ dropDepthUpdates: 2 }) });
    expect(forced.status).toBe(200);
    await until(() => h.sync.status.resyncs > resyncsBefore, "gap detected", 15_000);
    expect(h.statuses.some((s) => s.reason?.startsWith("gap:") === true)).toBe(true);
    await until(
      () => h.statuses.filter((s) => s.reason?.startsWith("synced at") === true).length > syncsBefore,
      "synced from a new snapshot",
      15_000,
    );
    const agreedAfterResync = h.agreed();
    await until(() => h.sync.book.state === "synced" && h.agreed() >= agreedAfterResync + 3, "book agreeing with bookTicker after the resync", 15_000);
    expect(h.disagreements).toEqual([]);
    expect(sim.faults.settings.dropDepthUpdates).toBe(0);
  }, 60_000);

  it("reconnects after an abrupt drop of stream connections and rebuilds the book", async () => {
    const h = startHarness();
    await until(() => h.sync.book.state === "synced" && h.agreed() >= 3, "first sync agreeing with bookTicker", 15_000);
    const idAtDrop = h.sync.book.lastUpdateId;
    sim.server.dropConnections(false);
    await until(() => h.opens() >= 2 && h.stream.status === "open", "stream reconnected", 15_000);
    // Events missed while disconnected show as a gap and a new snapshot; none missed means the sequence simply goes on.
    const agreedAfterResync = h.agreed();
    await until(() => h.sync.book.state === "synced" && h.agreed() >= agreedAfterResync + 3, "book agreeing with bookTicker after the reconnect", 15_000);
    expect(h.sync.book.lastUpdateId).toBeGreaterThan(idAtDrop);
    expect(h.disagreements).toEqual([]);
  }, 60_000);
});
