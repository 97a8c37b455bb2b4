// Public market data from REST: server time, depth snapshot, book ticker, recent trades.
import { asArray, asObject, bool, dec, num, str } from "../payload";
import { parsePriceLevels } from "./shared";
import type { BookTicker, DepthSnapshot, RecentTrade } from "../types";

export function parseServerTime(value: unknown): number {
  return num(asObject(value, "time"), "serverTime", "time");
}

export function parseDepthSnapshot(value: unknown, path = "depth"): DepthSnapshot {
  const o = asObject(value, path);
  return {
    lastUpdateId: num(o, "lastUpdateId", path),
    bids: parsePriceLevels(o.bids, `${path}.bids`),
    asks: parsePriceLevels(o.asks, `${path}.asks`),
  };
}

export function parseBookTicker(value: unknown, path = "bookTicker"): BookTicker {
  const o = asObject(value, path);
  return {
    symbol: str(o, "symbol", path),
    bidPrice: dec(o, "bidPrice", path),
    bidQty: dec(o, "bidQty", path),
    askPrice: dec(o, "askPrice", path),
    askQty: dec(o, "askQty", path),
  };
}

export function parseRecentTrades(value: unknown, path = "trades"): RecentTrade[] {
  return asArray(value, path).map((v, i) => {
    const p = `${path}[${i}]`;
    const o = asObject(v, p);
    return {
      id: num(o, "id", p),
      price: dec(o, "price", p),
      qty: dec(o, "qty", p),
      quoteQty: dec(o, "quoteQty", p),
      time: num(o, "time", p),
      isBuyerMaker: bool(o, "isBuyerMaker", p),
    };
  });
}
