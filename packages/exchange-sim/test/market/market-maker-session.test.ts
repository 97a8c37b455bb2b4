import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";

import { SimulatedExchange } from "../../src/exchange/simulated-exchange";
import { ExchangeError, type ExecutionReportEvent } from "../../src/exchange/venue";
import { EmptyMarket } from "../../src/market/empty";
import { SyntheticMarket } from "../../src/market/synthetic";
import { ManualClock } from "../exchange/helpers";

const TICK = new Decimal("0.01");

/** A passive quoter like the engine's: one bid and one ask near the mid, re-quoted by cancelReplace. */
function session(seed: number, steps: number) {
  const clock = new ManualClock();
  const exchange = new SimulatedExchange({
    clock,
    markets: {
      // Frequent jumps: without them a quote re-centred every 100 ms is almost never reached.
      BTCUSDT: new SyntheticMarket({ symbol: "BTCUSDT", seed, jumpProbabilityPerSecond: 0.05 }),
      ETHUSDT: new EmptyMarket("ETHUSDT"),
      BNBUSDT: new EmptyMarket("BNBUSDT"),
    },
  });
  const { accountId } = exchange.createAccount({ apiKey: "mm", secret: "s", balances: { USDT: "1000000", BTC: "20" } });
  const reports: ExecutionReportEvent[] = [];
  exchange.onUserEvent(accountId, (e) => {
    if (e.e === "executionReport") reports.push(e);
  });
  const unexpected: string[] = [];
  let crossed = 0;
  const quotes: Record<"BUY" | "SELL", string | undefined> = { BUY: undefined, SELL: undefined };

  for (let step = 0; step < steps; step++) {
    clock.advance(100);
    exchange.tick();
    const ticker = exchange.bookTicker("BTCUSDT");
    if (new Decimal(ticker.bidPrice).gte(ticker.askPrice)) crossed++;
    const mid = new Decimal(ticker.bidPrice).add(ticker.askPrice).div(2);
    for (const side of ["BUY", "SELL"] as const) {
      const away = mid.mul(side === "BUY" ? 0.9997 : 1.0003).div(TICK);
      const price = (side === "BUY" ? away.floor() : away.ceil()).mul(TICK).toFixed(2);
      const open = exchange.openOrders(accountId, "BTCUSDT").find((o) => o.side === side);
      if (open && new Decimal(open.price).sub(price).abs().lt("5")) continue;
      const order = { symbol: "BTCUSDT", side, type: "LIMIT_MAKER", quantity: "0.01000", price };
      try {
        if (open) {
          exchange.cancelReplace(accountId, {
            ...order,
            cancelReplaceMode: "ALLOW_FAILURE",
            cancelOrderId: String(open.orderId),
          });
        } else {
          exchange.placeOrder(accountId, order);
        }
        quotes[side] = price;
      } catch (err) {
        if (!(err instanceof ExchangeError)) throw err;
        const inner = err.data?.newOrderResponse;
        const innerCode = inner && "code" in inner ? inner.code : undefined;
        if (err.code !== -2010 && err.code !== -2021 && err.code !== -2022) unexpected.push(`${err.code} ${err.msg}`);
        if (innerCode !== undefined && innerCode !== -2010) unexpected.push(`inner ${innerCode}`);
      }
    }
  }
  return { exchange, accountId, reports, unexpected, crossed, quotes };
}

describe("a passive market maker on the synthetic market", () => {
  it("quotes, re-quotes and gets occasionally filled, with consistent balances", () => {
    const { exchange, accountId, reports, unexpected, crossed } = session(11, 2000);
    expect(unexpected).toEqual([]);
    expect(crossed).toBe(0);
    const fills = reports.filter((r) => r.x === "TRADE");
    expect(reports.filter((r) => r.x === "NEW").length).toBeGreaterThan(20);
    expect(fills.length).toBeGreaterThan(0);
    expect(fills.every((f) => f.m)).toBe(true);
    const trades = exchange.myTrades(accountId, { symbol: "BTCUSDT", limit: "1000" });
    const boughtNet = trades.reduce(
      (sum, t) => (t.isBuyer ? sum.add(t.qty).sub(t.commission) : sum.sub(t.qty)),
      new Decimal(0),
    );
    const btc = exchange.account(accountId).balances.find((b) => b.asset === "BTC");
    expect(new Decimal(btc?.free ?? 0).add(btc?.locked ?? 0).toFixed(8)).toBe(new Decimal(20).add(boughtNet).toFixed(8));
  });

  it("is reproducible: the same seed gives the same session", () => {
    const a = session(4, 600);
    const b = session(4, 600);
    expect(a.reports.length).toBeGreaterThan(10);
    expect(b.reports).toEqual(a.reports);
    expect(b.exchange.account(b.accountId)).toEqual(a.exchange.account(a.accountId));
  });
});
