import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";

import type { AccountId, NewOrderParams } from "../../src/exchange/venue";
import { ExchangeError } from "../../src/exchange/venue";
import { SeededRandom } from "../../src/market/random";
import { harness } from "./helpers";

const ASSETS = ["USDT", "BTC"];

describe("conservation under random order flow", () => {
  it.each([1, 2, 3])("seed %i: assets are conserved, reservations match open orders, the book never crosses", (seed) => {
    const random = new SeededRandom(seed);
    const h = harness();
    const accounts: AccountId[] = [];
    for (let i = 0; i < 4; i++) accounts.push(h.account({ USDT: "100000", BTC: "2" }, { maker: "0.001", taker: "0.002" }));
    const initial = new Map(ASSETS.map((a) => [a, new Decimal(a === "USDT" ? "400000" : "8")]));
    const fees = new Map(ASSETS.map((a) => [a, new Decimal(0)]));
    let rejected = 0;
    let traded = 0;

    for (let step = 0; step < 600; step++) {
      h.clock.advance(3);
      const account = accounts[random.int(accounts.length)] as AccountId;
      const roll = random.next();
      const side = random.next() < 0.5 ? "BUY" : "SELL";
      const price = (60000 + random.int(21) - 10).toFixed(2);
      const quantity = (0.001 + random.int(50) * 0.001).toFixed(3);
      let params: NewOrderParams;
      if (roll < 0.15) {
        const open = h.exchange.openOrders(account, "BTCUSDT");
        const victim = open[random.int(open.length)];
        if (victim) h.exchange.cancelOrder(account, { symbol: "BTCUSDT", orderId: String(victim.orderId) });
        continue;
      } else if (roll < 0.25) {
        params = { symbol: "BTCUSDT", side, type: "MARKET", quantity };
      } else if (roll < 0.5) {
        params = { symbol: "BTCUSDT", side, type: "LIMIT_MAKER", quantity, price };
      } else {
        const tif = ["GTC", "IOC", "FOK"][random.int(3)] as string;
        params = { symbol: "BTCUSDT", side, type: "LIMIT", timeInForce: tif, quantity, price };
      }
      try {
        h.exchange.placeOrder(account, params);
      } catch (err) {
        if (!(err instanceof ExchangeError) || err.code !== -2010) throw err;
        rejected++;
      }

      const ticker = h.exchange.bookTicker("BTCUSDT");
      if (Number(ticker.bidPrice) > 0 && Number(ticker.askPrice) > 0) {
        expect(new Decimal(ticker.bidPrice).lt(ticker.askPrice)).toBe(true);
      }
    }

    for (const account of accounts) {
      for (const t of h.exchange.myTrades(account, { symbol: "BTCUSDT", limit: "1000" })) {
        fees.set(t.commissionAsset, (fees.get(t.commissionAsset) as Decimal).add(t.commission));
        traded++;
      }
    }
    expect(traded).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(0);

    const totals = new Map(ASSETS.map((a) => [a, new Decimal(0)]));
    const reservedQuote = new Map<AccountId, Decimal>();
    const reservedBase = new Map<AccountId, Decimal>();
    for (const account of accounts) {
      const balances = h.exchange.account(account).balances;
      for (const b of balances) {
        expect(new Decimal(b.free).gte(0)).toBe(true);
        totals.set(b.asset, (totals.get(b.asset) as Decimal).add(b.free).add(b.locked));
      }
      let quote = new Decimal(0);
      let base = new Decimal(0);
      for (const o of h.exchange.openOrders(account, "BTCUSDT")) {
        const remaining = new Decimal(o.origQty).sub(o.executedQty);
        if (o.side === "BUY") quote = quote.add(remaining.mul(o.price));
        else base = base.add(remaining);
      }
      reservedQuote.set(account, quote);
      reservedBase.set(account, base);
      const locked = (asset: string) => new Decimal(balances.find((b) => b.asset === asset)?.locked ?? "0");
      expect(locked("USDT").toFixed(8)).toBe(quote.toFixed(8));
      expect(locked("BTC").toFixed(8)).toBe(base.toFixed(8));
    }
    for (const asset of ASSETS) {
      // Balances print truncated to 8 decimals, so allow a hair per account.
      const drift = (totals.get(asset) as Decimal).add(fees.get(asset) as Decimal).sub(initial.get(asset) as Decimal).abs();
      expect(drift.lte("0.0000001")).toBe(true);
    }

    const depth = h.exchange.depth("BTCUSDT", "5000");
    const bookBids = depth.bids.reduce((s, [, q]) => s.add(q), new Decimal(0));
    const openBids = [...reservedQuote.keys()]
      .flatMap((a) => h.exchange.openOrders(a, "BTCUSDT"))
      .filter((o) => o.side === "BUY")
      .reduce((s, o) => s.add(new Decimal(o.origQty).sub(o.executedQty)), new Decimal(0));
    expect(bookBids.toFixed(8)).toBe(openBids.toFixed(8));
  });
});
