import { dec } from "../../src/money";
import type { BookTop, MarketTrade } from "../../src/pricing";

export function trade(price: string, qty: string, time: number, isBuyerMaker = false): MarketTrade {
  return { price: dec(price), qty: dec(qty), time, isBuyerMaker };
}

export function book(bid: string, ask: string, time: number, bidQty = "1", askQty = "1"): BookTop {
  return { bidPrice: dec(bid), bidQty: dec(bidQty), askPrice: dec(ask), askQty: dec(askQty), time };
}
