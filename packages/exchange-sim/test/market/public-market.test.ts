import { describe, expect, it } from "vitest";

import type { ExecutionReportEvent, MarketEvent, NewOrderFull } from "../../src/exchange/venue";
import type { PublicLevel, PublicTrade } from "../../src/market/model";
import { ReplayMarket, type ReplayRecord } from "../../src/market/replay";
import { caught, harness, START } from "../exchange/helpers";

const level = (side: "bid" | "ask", price: string, qty: string): PublicLevel => ({ side, price, qty });
const sellPrint = (price: string, qty: string): PublicTrade => ({ price, qty, buyerIsMaker: true });
const buyPrint = (price: string, qty: string): PublicTrade => ({ price, qty, buyerIsMaker: false });

const openingBook: ReplayRecord = {
  time: 0,
  step: {
    reset: true,
    levels: [level("bid", "59999.00", "1.0"), level("bid", "59998.00", "2.0"), level("ask", "60001.00", "1.0"), level("ask", "60002.00", "2.0")],
    trades: [],
    lastUpdateId: 1000,
  },
};

/** An exchange whose BTCUSDT public market plays `later` (times in ms after the opening book). */
function scripted(later: ReplayRecord[], queuePosition = true) {
  const market = new ReplayMarket("BTCUSDT", [openingBook, ...later], { startAt: START });
  const h = harness({ markets: { BTCUSDT: market }, queuePosition });
  const mm = h.account();
  const at = (ms: number) => {
    h.clock.time = START + ms;
    h.exchange.tick();
  };
  const bid = (price: string, quantity = "0.10000") =>
    h.exchange.placeOrder(mm, { symbol: "BTCUSDT", side: "BUY", type: "LIMIT_MAKER", quantity, price });
  const ask = (price: string, quantity = "0.10000") =>
    h.exchange.placeOrder(mm, { symbol: "BTCUSDT", side: "SELL", type: "LIMIT_MAKER", quantity, price });
  const executed = (orderId: number) =>
    h.exchange.queryOrder(mm, { symbol: "BTCUSDT", orderId: String(orderId) }).executedQty;
  return { h, mm, at, bid, ask, executed };
}

describe("API orders against the public market", () => {
  it("merges public levels and API orders in depth and bookTicker", () => {
    const { h, bid } = scripted([]);
    expect(h.exchange.depth("BTCUSDT", "5")).toEqual({
      lastUpdateId: 1000,
      bids: [["59999.00000000", "1.00000000"], ["59998.00000000", "2.00000000"]],
      asks: [["60001.00000000", "1.00000000"], ["60002.00000000", "2.00000000"]],
    });
    bid("59999.00");
    bid("60000.00");
    const depth = h.exchange.depth("BTCUSDT", "2");
    expect(depth.lastUpdateId).toBe(1002);
    expect(depth.bids).toEqual([["60000.00000000", "0.10000000"], ["59999.00000000", "1.10000000"]]);
    expect(h.exchange.bookTicker("BTCUSDT")).toEqual({
      symbol: "BTCUSDT",
      bidPrice: "60000.00000000",
      bidQty: "0.10000000",
      askPrice: "60001.00000000",
      askQty: "1.00000000",
    });
  });

  it("a print at our price fills us only after the public quantity queued ahead of us", () => {
    const { h, mm, at, bid, executed } = scripted([
      { time: 100, step: { levels: [], trades: [sellPrint("59999.00", "0.5")] } },
      { time: 200, step: { levels: [], trades: [sellPrint("59999.00", "0.55")] } },
      { time: 300, step: { levels: [], trades: [sellPrint("59999.00", "1.0")] } },
    ]);
    const order = bid("59999.00");
    at(100);
    expect(executed(order.orderId)).toBe("0.00000000");
    at(200);
    expect(executed(order.orderId)).toBe("0.05000000");
    at(300);
    expect(executed(order.orderId)).toBe("0.10000000");
    expect(h.exchange.openOrders(mm, "BTCUSDT")).toEqual([]);
  });

  it("without queue position a print at our price fills us up to its size", () => {
    const { at, bid, executed } = scripted([{ time: 100, step: { levels: [], trades: [sellPrint("59999.00", "0.04")] } }], false);
    const order = bid("59999.00");
    at(100);
    expect(executed(order.orderId)).toBe("0.04000000");
  });

  it("a print through our price fills us completely, at our price, as maker", () => {
    const { h, mm, at, bid, ask, executed } = scripted([
      { time: 100, step: { levels: [], trades: [sellPrint("59998.00", "0.01")] } },
      { time: 200, step: { levels: [], trades: [buyPrint("60002.00", "0.01")] } },
    ]);
    const b = bid("59999.50");
    const a = ask("60001.50");
    const far = bid("59990.00");
    at(100);
    expect(executed(b.orderId)).toBe("0.10000000");
    expect(executed(a.orderId)).toBe("0.00000000");
    at(200);
    expect(executed(a.orderId)).toBe("0.10000000");
    expect(executed(far.orderId)).toBe("0.00000000");
    const trades = h.exchange.myTrades(mm, { symbol: "BTCUSDT" });
    expect(trades.map((t) => [t.price, t.qty, t.isMaker, t.isBuyer])).toEqual([
      ["59999.50000000", "0.10000000", true, true],
      ["60001.50000000", "0.10000000", true, false],
    ]);
  });

  it("prints on the other side or away from our price do not fill us", () => {
    const { at, bid, executed } = scripted([
      { time: 100, step: { levels: [], trades: [buyPrint("60001.00", "5"), sellPrint("59999.01", "5")] } },
    ]);
    const order = bid("59999.00");
    at(100);
    expect(executed(order.orderId)).toBe("0.00000000");
  });

  it("a public ask moving through our bid trades with it at our price", () => {
    const { mm, h, at, bid, executed } = scripted([
      { time: 100, step: { levels: [level("ask", "60001.00", "0"), level("ask", "59999.40", "0.04")], trades: [], lastUpdateId: 1001 } },
    ]);
    const order = bid("59999.50");
    at(100);
    expect(executed(order.orderId)).toBe("0.04000000");
    const ours = h.userEvents(mm).filter((e): e is ExecutionReportEvent => e.e === "executionReport" && e.x === "TRADE");
    expect(ours[0]).toMatchObject({ L: "59999.50000000", l: "0.04000000", m: true });
    expect(h.exchange.bookTicker("BTCUSDT")).toMatchObject({ bidPrice: "59999.50000000", askPrice: "60002.00000000" });
  });

  it("a taker API order takes public liquidity at public prices", () => {
    const { h, mm } = scripted([]);
    const res = h.exchange.placeOrder(mm, { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "1.5" }) as NewOrderFull;
    expect(res.fills.map((f) => [f.price, f.qty])).toEqual([
      ["60001.00000000", "1.00000000"],
      ["60002.00000000", "0.50000000"],
    ]);
    expect(h.exchange.depth("BTCUSDT", "1").asks).toEqual([["60002.00000000", "1.50000000"]]);
  });

  it("LIMIT_MAKER is checked against the public best too", () => {
    const { ask } = scripted([]);
    const err = caught(() => ask("59999.00"));
    expect([err.code, err.msg]).toEqual([-2010, "Order would immediately match and take."]);
  });

  it("depthUpdate batches are contiguous (U = previous u + 1) and bookTicker u lies in the same id space", () => {
    const { h, at, bid } = scripted([
      { time: 50, step: { levels: [level("bid", "59999.00", "1.5")], trades: [], lastUpdateId: 1010 } },
      { time: 150, step: { levels: [level("ask", "60001.00", "0.5")], trades: [], lastUpdateId: 1020 } },
      { time: 420, step: { levels: [level("bid", "59998.00", "0")], trades: [], lastUpdateId: 1030 } },
    ]);
    const events: MarketEvent[] = h.marketEvents("BTCUSDT");
    const startId = h.exchange.depth("BTCUSDT").lastUpdateId;
    at(20);
    bid("59999.00");
    at(60);
    at(120);
    bid("59997.00");
    at(220);
    at(450);
    at(520);
    const diffs = events.filter((e) => e.stream === "depth@100ms").map((e) => e.data);
    expect(diffs.length).toBeGreaterThanOrEqual(3);
    let prev = startId;
    for (const d of diffs) {
      expect(d.U).toBe(prev + 1);
      expect(d.u).toBeGreaterThanOrEqual(d.U);
      prev = d.u;
    }
    expect(prev).toBe(h.exchange.depth("BTCUSDT").lastUpdateId);
    // Recorded ids pass through, shifted by the API changes made in between.
    expect(diffs.at(-1)?.u).toBe(1032);
    expect(diffs.flatMap((d) => d.b)).toContainEqual(["59998.00000000", "0.00000000"]);
    const tickers = events.filter((e) => e.stream === "bookTicker").map((e) => e.data);
    expect(tickers.length).toBeGreaterThan(0);
    for (const t of tickers) expect(t.u).toBeLessThanOrEqual(prev);
    const oneSecond = events.filter((e) => e.stream === "depth");
    expect(oneSecond).toHaveLength(0);
    at(1000);
    expect(events.filter((e) => e.stream === "depth").map((e) => (e.data).U)).toEqual([startId + 1]);
  });
});
