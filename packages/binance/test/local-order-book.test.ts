import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { LocalOrderBook } from "../src/market-data/local-order-book";
import { readStreamCapture } from "../src/recordings/stream-capture";
import type { BookTickerEvent, DepthSnapshot, DepthUpdateEvent, PriceLevel } from "../src/types";
import { fixturePath } from "./helpers";

const lvl = (price: string, qty: string): PriceLevel => ({ price: new Decimal(price), qty: new Decimal(qty) });

function diff(U: number, u: number, bids: [string, string][] = [], asks: [string, string][] = []): DepthUpdateEvent {
  return {
    eventType: "depthUpdate",
    eventTime: 0,
    symbol: "BTCUSDT",
    firstUpdateId: U,
    finalUpdateId: u,
    bids: bids.map(([p, q]) => lvl(p, q)),
    asks: asks.map(([p, q]) => lvl(p, q)),
  };
}

function snapshot(lastUpdateId: number): DepthSnapshot {
  return {
    lastUpdateId,
    bids: [lvl("99", "1"), lvl("100", "2"), lvl("98", "3")],
    asks: [lvl("102", "1"), lvl("101", "2")],
  };
}

const show = (book: LocalOrderBook) => ({
  state: book.state,
  bookId: book.state === "synced" ? book.lastUpdateId : undefined,
  bid: book.bestBid()?.price.toFixed(),
  ask: book.bestAsk()?.price.toFixed(),
});

describe('LocalOrderBook procedure (docs/binance-api.md, "Local order book")', () => {
  type Step = { diff: DepthUpdateEvent } | { snapshot: DepthSnapshot };
  const cases: {
    name: string;
    steps: Step[];
    outcomes: string[];
    final: ReturnType<typeof show>;
  }[] = [
    {
      name: "first event asks for a snapshot, later ones are buffered",
      steps: [{ diff: diff(10, 12) }, { diff: diff(13, 15) }],
      outcomes: ["snapshot-needed", "buffered"],
      final: { state: "needs-snapshot", bookId: undefined, bid: undefined, ask: undefined },
    },
    {
      name: "snapshot older than the first buffered U is refetched",
      steps: [{ diff: diff(10, 12) }, { snapshot: snapshot(9) }, { snapshot: snapshot(11) }],
      outcomes: ["snapshot-needed", "stale", "synced"],
      final: { state: "synced", bookId: 12, bid: "100", ask: "101" },
    },
    {
      name: "buffered events with u <= lastUpdateId are dropped, the straddling one applied",
      steps: [
        { diff: diff(10, 12, [["100", "0"]]) },
        { diff: diff(13, 15, [["100", "5"]]) },
        { diff: diff(16, 18, [], [["100.5", "1"]]) },
        { snapshot: snapshot(16) },
      ],
      outcomes: ["snapshot-needed", "buffered", "buffered", "synced"],
      // 10-12 and 13-15 are in the snapshot already (bid 100 stays at 2, not deleted, not 5).
      final: { state: "synced", bookId: 18, bid: "100", ask: "100.5" },
    },
    {
      name: "first remaining event not straddling lastUpdateId+1 asks for a resync",
      steps: [{ diff: diff(10, 12) }, { diff: diff(20, 22) }, { snapshot: snapshot(15) }],
      outcomes: ["snapshot-needed", "buffered", "resync-requested"],
      final: { state: "needs-snapshot", bookId: undefined, bid: undefined, ask: undefined },
    },
    {
      name: "live events apply in sequence; zero quantity deletes a level",
      steps: [
        { diff: diff(10, 12) },
        { snapshot: snapshot(12) },
        { diff: diff(13, 14, [["100", "0"]], [["101", "0"]]) },
        { diff: diff(15, 15, [["99.5", "1"]]) },
      ],
      outcomes: ["snapshot-needed", "synced", "applied", "applied"],
      final: { state: "synced", bookId: 15, bid: "99.5", ask: "102" },
    },
    {
      name: "an event entirely before the book is ignored",
      steps: [{ diff: diff(10, 12) }, { snapshot: snapshot(12) }, { diff: diff(13, 14) }, { diff: diff(11, 13, [["200", "1"]]) }],
      outcomes: ["snapshot-needed", "synced", "applied", "ignored"],
      final: { state: "synced", bookId: 14, bid: "100", ask: "101" },
    },
    {
      name: "a gap clears the book and asks for a resync; the next snapshot rebuilds it",
      steps: [
        { diff: diff(10, 12) },
        { snapshot: snapshot(12) },
        { diff: diff(14, 16) },
        { diff: diff(17, 18, [["100.2", "1"]]) },
        { snapshot: snapshot(15) },
      ],
      outcomes: ["snapshot-needed", "synced", "resync-requested", "buffered", "synced"],
      final: { state: "synced", bookId: 18, bid: "100.2", ask: "101" },
    },
  ];

  it.each(cases)("$name", ({ steps, outcomes, final }) => {
    const book = new LocalOrderBook("BTCUSDT");
    const seen = steps.map((step) => ("diff" in step ? book.applyDiff(step.diff) : book.applySnapshot(step.snapshot)).kind);
    expect(seen).toEqual(outcomes);
    expect(show(book)).toEqual(final);
  });

  it("keeps both sides sorted and returns the top levels", () => {
    const book = new LocalOrderBook("BTCUSDT");
    book.applyDiff(diff(1, 1));
    book.applySnapshot(snapshot(1));
    book.applyDiff(diff(2, 2, [["99.9", "4"], ["97", "1"]], [["101.5", "7"]]));
    expect(book.topBids(10).map((l) => l.price.toFixed())).toEqual(["100", "99.9", "99", "98", "97"]);
    expect(book.topAsks(2).map((l) => [l.price.toFixed(), l.qty.toFixed()])).toEqual([
      ["101", "2"],
      ["101.5", "7"],
    ]);
  });
});

describe("LocalOrderBook on the real BTCUSDT capture", () => {
  it("matches the recorded bookTicker at every identical update id", async () => {
    // bookTicker is real time and depth comes in 100 ms batches, so a ticker usually arrives before the diff
    // that brings the book to its id: compare whenever the book and a ticker share an id, in either order.
    const book = new LocalOrderBook("BTCUSDT");
    const tickers = new Map<number, BookTickerEvent>();
    let compared = 0;
    const compare = (ticker: BookTickerEvent): void => {
      expect(book.bestBid()?.price.equals(ticker.bidPrice)).toBe(true);
      expect(book.bestBid()?.qty.equals(ticker.bidQty)).toBe(true);
      expect(book.bestAsk()?.price.equals(ticker.askPrice)).toBe(true);
      expect(book.bestAsk()?.qty.equals(ticker.askQty)).toBe(true);
      compared += 1;
    };
    for await (const record of readStreamCapture(fixturePath("captures/btcusdt_20240808_first3000.gz"))) {
      if (record.kind === "depthSnapshot") {
        expect(book.applySnapshot(record.snapshot).kind).toBe("synced");
        continue;
      }
      if (record.kind !== "market") continue;
      const event = record.event;
      if (event.eventType === "depthUpdate") {
        const outcome = book.applyDiff(event);
        expect(["snapshot-needed", "buffered", "applied", "ignored"]).toContain(outcome.kind);
        const ticker = tickers.get(book.lastUpdateId);
        if (outcome.kind === "applied" && ticker !== undefined) compare(ticker);
      } else if (event.eventType === "bookTicker") {
        tickers.set(event.updateId, event);
        if (book.state === "synced" && event.updateId === book.lastUpdateId) compare(event);
      }
    }
    expect(book.state).toBe("synced");
    // 43 depth batches in this slice end on an id that also has a bookTicker.
    expect(compared).toBe(43);
  });
});
