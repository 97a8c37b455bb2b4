// The bot's depth book in a replay: the recorded changes applied in order, the ten best levels a side delivered
// only when they changed.
import { describe, expect, it } from "vitest";
import { DEPTH_LEVELS, DepthBook } from "../../src/replay/depth-book";

const level = (side: "bid" | "ask", price: string, qty: string) => ({ side, price, qty });
const prices = (levels: readonly { price: { toFixed(): string } }[]) => levels.map((l) => l.price.toFixed());

describe("DepthBook", () => {
  it("starts from a snapshot, applies diffs, and gives the best levels best first", () => {
    const book = new DepthBook();
    const snapshot = [
      ...Array.from({ length: 15 }, (_, i) => level("bid", (100 - i).toFixed(2), "1")),
      ...Array.from({ length: 15 }, (_, i) => level("ask", (101 + i).toFixed(2), "2")),
    ];
    const first = book.apply({ reset: true, levels: snapshot, trades: [] }, 1_000);
    expect(first?.time).toBe(1_000);
    expect(first?.bids).toHaveLength(DEPTH_LEVELS);
    expect(prices(first?.bids ?? [])).toEqual(["100", "99", "98", "97", "96", "95", "94", "93", "92", "91"]);
    expect(prices(first?.asks ?? []).slice(0, 3)).toEqual(["101", "102", "103"]);
    // A new best bid, the old best removed, a deep level changed (not among the ten: nothing new to deliver).
    const second = book.apply({ levels: [level("bid", "100.50", "3"), level("bid", "100.00", "0")], trades: [] }, 1_100);
    expect(prices(second?.bids ?? []).slice(0, 3)).toEqual(["100.5", "99", "98"]);
    expect(second?.bids[0]?.qty.toFixed()).toBe("3");
    expect(book.apply({ levels: [level("ask", "114.00", "9")], trades: [] }, 1_200)).toBeUndefined();
    // A reset replaces the book.
    const third = book.apply({ reset: true, levels: [level("bid", "50", "1"), level("ask", "51", "1")], trades: [] }, 1_300);
    expect(prices(third?.bids ?? [])).toEqual(["50"]);
    expect(prices(third?.asks ?? [])).toEqual(["51"]);
  });
});
