// The bot's local order book in a replay: the recorded book changes (snapshot and diffs, or a tape's levels) at
// their recorded local receive time, as the live engine's depth book would hold them, and the best levels a side
// as core's BookDepth, delivered when they changed (as the live feed delivers them).
import { Decimal, type BookDepth, type BookLevel, type BookTop } from "@bandkeeper/core";
import type { MarketStep } from "@bandkeeper/exchange-sim/market/model";

/** Levels a side in each BookDepth, as the live engine's market feed delivers them. */
export const DEPTH_LEVELS = 10;

export class DepthBook {
  private readonly bids = new Map<string, string>();
  private readonly asks = new Map<string, string>();
  private shown = "";

  /** Applies one recorded change; returns the new best levels if they differ from the last returned. */
  apply(step: Omit<MarketStep, "time">, time: number): BookDepth | undefined {
    if (step.reset) {
      this.bids.clear();
      this.asks.clear();
    }
    for (const level of step.levels) {
      const side = level.side === "bid" ? this.bids : this.asks;
      if (Number(level.qty) === 0) side.delete(level.price);
      else side.set(level.price, level.qty);
    }
    const bids = best(this.bids, true);
    const asks = best(this.asks, false);
    const key = `${bids.map(([p, q]) => `${p}:${q}`).join(",")}|${asks.map(([p, q]) => `${p}:${q}`).join(",")}`;
    if (key === this.shown) return undefined;
    this.shown = key;
    return { bids: bids.map(toLevel), asks: asks.map(toLevel), time };
  }

  /** The best level of each side as a book top, or undefined while a side is empty. */
  top(time: number): BookTop | undefined {
    const [bid] = best(this.bids, true, 1);
    const [ask] = best(this.asks, false, 1);
    if (!bid || !ask) return undefined;
    return { bidPrice: new Decimal(bid[0]), bidQty: new Decimal(bid[1]), askPrice: new Decimal(ask[0]), askQty: new Decimal(ask[1]), time };
  }
}

/** The `count` best prices of a side, best first (a partial selection: books here are up to 1,000 deep). */
function best(side: Map<string, string>, highestFirst: boolean, count = DEPTH_LEVELS): [string, string][] {
  const picked: [number, string, string][] = [];
  for (const [price, qty] of side) {
    const value = Number(price);
    const worst = picked[picked.length - 1];
    if (picked.length === count && worst && (highestFirst ? value <= worst[0] : value >= worst[0])) continue;
    let at = picked.length;
    while (at > 0 && (highestFirst ? value > (picked[at - 1] as [number, string, string])[0] : value < (picked[at - 1] as [number, string, string])[0])) at--;
    picked.splice(at, 0, [value, price, qty]);
    if (picked.length > count) picked.pop();
  }
  return picked.map(([, price, qty]) => [price, qty]);
}

const toLevel = ([price, qty]: [string, string]): BookLevel => ({ price: new Decimal(price), qty: new Decimal(qty) });
