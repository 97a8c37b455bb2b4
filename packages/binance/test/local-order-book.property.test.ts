import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LocalOrderBook } from "../src/market-data/local-order-book";
import type { DepthUpdateEvent } from "../src/types";

/** Prices on a 0.01 tick, some deliberately huge so their doubles collide and the Decimal tie-break matters. */
const price = fc.oneof(
  fc.integer({ min: 1, max: 3000 }).map((n) => new Decimal(n).div(100)),
  fc.integer({ min: 0, max: 50 }).map((n) => new Decimal("123456789012345678").plus(new Decimal(n).div(100))),
);
const qty = fc.oneof(fc.constant(new Decimal(0)), fc.integer({ min: 1, max: 1000 }).map((n) => new Decimal(n).div(1000)));
const levels = fc.array(fc.tuple(price, qty), { maxLength: 40 });

describe("LocalOrderBook sides against a reference model", () => {
  it("keeps exactly the non-zero levels, bids high to low and asks low to high", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(levels, levels), { minLength: 1, maxLength: 60 }), (updates) => {
        const book = new LocalOrderBook("X");
        book.applyDiff({ eventType: "depthUpdate", eventTime: 0, symbol: "X", firstUpdateId: 1, finalUpdateId: 1, bids: [], asks: [] });
        book.applySnapshot({ lastUpdateId: 1, bids: [], asks: [] });
        const model = { bids: new Map<string, Decimal>(), asks: new Map<string, Decimal>() };
        updates.forEach(([bids, asks], i) => {
          const event: DepthUpdateEvent = {
            eventType: "depthUpdate",
            eventTime: 0,
            symbol: "X",
            firstUpdateId: i + 2,
            finalUpdateId: i + 2,
            bids: bids.map(([p, q]) => ({ price: p, qty: q })),
            asks: asks.map(([p, q]) => ({ price: p, qty: q })),
          };
          expect(book.applyDiff(event).kind).toBe("applied");
          for (const [side, ls] of [["bids", bids], ["asks", asks]] as const) {
            for (const [p, q] of ls) {
              if (q.isZero()) model[side].delete(p.toFixed());
              else model[side].set(p.toFixed(), q);
            }
          }
        });
        const expected = (side: "bids" | "asks") =>
          [...model[side].entries()]
            .sort(([a], [b]) => (side === "bids" ? new Decimal(b).comparedTo(a) : new Decimal(a).comparedTo(b)))
            .map(([p, q]) => `${p}@${q.toFixed()}`);
        const actual = (ls: { price: Decimal; qty: Decimal }[]) => ls.map((l) => `${l.price.toFixed()}@${l.qty.toFixed()}`);
        expect(actual(book.topBids(10_000))).toEqual(expected("bids"));
        expect(actual(book.topAsks(10_000))).toEqual(expected("asks"));
        expect(book.levelCount).toEqual({ bids: model.bids.size, asks: model.asks.size });
      }),
      { numRuns: 200 },
    );
  });
});
