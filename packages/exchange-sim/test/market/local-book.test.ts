import { describe, expect, it } from "vitest";

import { SimulatedExchange } from "../../src/exchange/simulated-exchange";
import type { DepthUpdateEvent, PriceLevel } from "../../src/exchange/venue";
import { EmptyMarket } from "../../src/market/empty";
import { captureRecords, ReplayMarket } from "../../src/market/replay";
import { ManualClock, recordingPath } from "../exchange/helpers";

/** A client's local book kept exactly as docs/binance-api.md, "Local order book" says, from a REST snapshot and buffered diffs. */
class LocalBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  private bookId: number | undefined;
  private readonly buffered: DepthUpdateEvent[] = [];
  gaps = 0;

  onDiff(event: DepthUpdateEvent): void {
    if (this.bookId === undefined) {
      this.buffered.push(event);
      return;
    }
    this.apply(event);
  }

  start(snapshot: { lastUpdateId: number; bids: PriceLevel[]; asks: PriceLevel[] }): void {
    for (const [p, q] of snapshot.bids) this.bids.set(p, q);
    for (const [p, q] of snapshot.asks) this.asks.set(p, q);
    this.bookId = snapshot.lastUpdateId;
    const pending = this.buffered.splice(0).filter((e) => e.u > snapshot.lastUpdateId);
    if (pending[0] && !(pending[0].U <= snapshot.lastUpdateId + 1)) this.gaps++;
    for (const e of pending) this.apply(e);
  }

  private apply(event: DepthUpdateEvent): void {
    const id = this.bookId as number;
    if (event.u < id) return;
    if (event.U > id + 1) this.gaps++;
    for (const [side, levels] of [
      [this.bids, event.b],
      [this.asks, event.a],
    ] as const) {
      for (const [p, q] of levels) {
        if (Number(q) === 0) side.delete(p);
        else side.set(p, q);
      }
    }
    this.bookId = event.u;
  }

  top(side: "bids" | "asks", n: number): PriceLevel[] {
    const sorted = [...this[side].entries()].sort((a, b) => (side === "bids" ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));
    return sorted.slice(0, n);
  }
}

describe("depth stream + snapshot reproduce the merged book", () => {
  it("on both diff streams, while a replay runs and API orders come and go", async () => {
    const clock = new ManualClock(1_000_000);
    const market = new ReplayMarket("BTCUSDT", captureRecords("BTCUSDT", recordingPath("btcusdt_20240808.gz")), {
      startAt: clock.time + 1,
    });
    await market.ready(clock.time + 5_000);
    const exchange = new SimulatedExchange({
      clock,
      markets: { BTCUSDT: market, ETHUSDT: new EmptyMarket("ETHUSDT"), BNBUSDT: new EmptyMarket("BNBUSDT") },
    });
    const { accountId } = exchange.createAccount({ apiKey: "k", secret: "s", balances: { USDT: "10000000", BTC: "100" } });
    const book = new LocalBook();
    const slowBook = new LocalBook();
    exchange.onMarketEvent("BTCUSDT", (e) => {
      if (e.stream === "depth@100ms") book.onDiff(e.data);
      if (e.stream === "depth") slowBook.onDiff(e.data);
    });

    let placed = 0;
    for (let step = 0; step < 300; step++) {
      await market.ready(clock.time + 5_000);
      clock.time += 37;
      exchange.tick();
      // The client takes its snapshot a little after subscribing, as the procedure says.
      if (step === 5) {
        book.start(exchange.depth("BTCUSDT", "5000"));
        slowBook.start(exchange.depth("BTCUSDT", "5000"));
      }
      if (step % 3 === 0) {
        const t = exchange.bookTicker("BTCUSDT");
        const side = step % 2 === 0 ? "BUY" : "SELL";
        const ref = Number(side === "BUY" ? t.bidPrice : t.askPrice);
        // Near the touch, where public diffs keep changing the same levels, and further out, where only our
        // orders change them.
        const away = step % 4 === 0 ? (step % 7) * 0.5 : 5 + (step % 37) * 0.73;
        const price = (side === "BUY" ? ref - away : ref + away).toFixed(2);
        try {
          exchange.placeOrder(accountId, { symbol: "BTCUSDT", side, type: "LIMIT_MAKER", quantity: "0.00500", price });
          placed++;
        } catch {
          // A price the moving book crossed meanwhile: rejected, nothing to track.
        }
      }
      if (step % 5 === 0) {
        const open = exchange.openOrders(accountId, "BTCUSDT");
        const victim = open[step % Math.max(open.length, 1)];
        if (victim) exchange.cancelOrder(accountId, { symbol: "BTCUSDT", orderId: String(victim.orderId) });
      }
    }
    // Stop reading, play what was read ahead, and let the last batches of both streams close.
    await market.close();
    for (let next = exchange.nextEventTime(); next !== undefined; next = exchange.nextEventTime()) {
      clock.time = next;
      exchange.tick();
    }

    expect(placed).toBeGreaterThan(50);
    expect(book.gaps).toBe(0);
    const depth = exchange.depth("BTCUSDT", "5000");
    expect(depth.bids.length).toBeGreaterThan(900);
    expect(book.top("bids", 5000)).toEqual(depth.bids);
    expect(book.top("asks", 5000)).toEqual(depth.asks);
    // The 1000 ms stream carries the same changes in coarser batches.
    expect(slowBook.gaps).toBe(0);
    expect(slowBook.top("bids", 5000)).toEqual(depth.bids);
    expect(slowBook.top("asks", 5000)).toEqual(depth.asks);
  });
});
