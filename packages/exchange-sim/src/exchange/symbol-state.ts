import type Decimal from "decimal.js";

import type { MarketModel } from "../market/model";
import { OrderBookSide, PublicBookSide } from "./book";
import type { Instrument } from "./instruments";
import { ZERO } from "./num";
import type { OrderState } from "./order";
import type { MarketEvent, PriceLevel, RecentTrade, SymbolStatus } from "./venue";

const RECENT_TRADES_KEPT = 1000;

/** Book ticks changed since a depth stream's last event. */
export class DepthBatch {
  readonly bidTicks = new Set<number>();
  readonly askTicks = new Set<number>();
  /** The clock time at which this batch is due; undefined while nothing changed. */
  dueAt: number | undefined;

  constructor(
    readonly intervalMs: number,
    public lastEmittedId: number,
  ) {}

  touch(isBid: boolean, tick: number, now: number): void {
    (isBid ? this.bidTicks : this.askTicks).add(tick);
    this.dueAt ??= (Math.floor(now / this.intervalMs) + 1) * this.intervalMs;
  }

  clear(): void {
    this.bidTicks.clear();
    this.askTicks.clear();
    this.dueAt = undefined;
  }
}

interface WindowTrade {
  time: number;
  quote: Decimal;
  qty: Decimal;
}

/** Everything the exchange keeps for one symbol: both books, ids, trade history and stream batches. */
export class SymbolState {
  status: SymbolStatus;
  readonly bids = new OrderBookSide(true);
  readonly asks = new OrderBookSide(false);
  readonly publicBids = new PublicBookSide(true);
  readonly publicAsks = new PublicBookSide(false);
  readonly orders = new Map<number, OrderState>();
  /** Closed orders oldest first (from `closedHead`), for bounded retention. */
  readonly closedOrderIds: number[] = [];
  closedHead = 0;
  nextOrderId = 1;
  /** Last trade id issued; recorded ids (replay) map to ours by `tradeIdOffset`. */
  lastTradeId = 0;
  tradeIdOffset = 0;
  nextAggTradeId = 1;
  /** The book's update id (depth lastUpdateId, depthUpdate U/u, bookTicker u share it). */
  updateId = 0;
  updateIdOffset = 0;
  readonly batch100 = new DepthBatch(100, 0);
  readonly batch1000 = new DepthBatch(1000, 0);
  readonly recentTrades: RecentTrade[] = [];
  private readonly window: WindowTrade[] = [];
  private windowHead = 0;
  private windowQuote: Decimal = ZERO;
  private windowQty: Decimal = ZERO;
  private readonly windowMs: number;
  lastPrice: Decimal | undefined;
  /** Last bookTicker sent, to emit only on change. */
  /** The best levels last published on bookTicker. */
  lastTicker: { bid: number | undefined; ask: number | undefined; bidQty: Decimal; askQty: Decimal } | undefined;
  readonly listeners = new Set<(event: MarketEvent) => void>();

  constructor(
    readonly instrument: Instrument,
    readonly market: MarketModel,
  ) {
    this.status = instrument.info.status;
    const mins = Math.max(
      instrument.filter("PERCENT_PRICE_BY_SIDE")?.avgPriceMins ?? 0,
      instrument.filter("PERCENT_PRICE")?.avgPriceMins ?? 0,
      instrument.filter("NOTIONAL")?.avgPriceMins ?? 0,
    );
    this.windowMs = mins * 60_000;
  }

  get symbol(): string {
    return this.instrument.symbol;
  }

  /** A book change made by the exchange itself (an API order): the next update id. */
  touchOwn(isBid: boolean, tick: number, now: number): void {
    this.updateId++;
    this.updateIdOffset++;
    this.batch100.touch(isBid, tick, now);
    this.batch1000.touch(isBid, tick, now);
  }

  /** A public book change; the id is assigned once per market step by `advanceUpdateId`. */
  touchPublic(isBid: boolean, tick: number, now: number): void {
    this.batch100.touch(isBid, tick, now);
    this.batch1000.touch(isBid, tick, now);
  }

  advanceUpdateId(recordedLastUpdateId: number | undefined): void {
    if (recordedLastUpdateId === undefined) {
      this.updateId++;
      return;
    }
    const mapped = recordedLastUpdateId + this.updateIdOffset;
    this.updateId = mapped > this.updateId ? mapped : this.updateId + 1;
    this.updateIdOffset = this.updateId - recordedLastUpdateId;
  }

  nextTradeId(recordedId?: number): number {
    if (recordedId === undefined) {
      this.lastTradeId++;
      this.tradeIdOffset++;
      return this.lastTradeId;
    }
    const mapped = recordedId + this.tradeIdOffset;
    this.lastTradeId = mapped > this.lastTradeId ? mapped : this.lastTradeId + 1;
    this.tradeIdOffset = this.lastTradeId - recordedId;
    return this.lastTradeId;
  }

  recordTrade(trade: RecentTrade, price: Decimal, qty: Decimal, quote: Decimal): void {
    this.recentTrades.push(trade);
    if (this.recentTrades.length > RECENT_TRADES_KEPT * 2) this.recentTrades.splice(0, RECENT_TRADES_KEPT);
    this.lastPrice = price;
    if (this.windowMs > 0) {
      this.window.push({ time: trade.time, quote, qty });
      this.windowQuote = this.windowQuote.add(quote);
      this.windowQty = this.windowQty.add(qty);
    }
  }

  /** Binance's average price: VWAP of the last avgPriceMins minutes, else the last price, else the mid. */
  averagePrice(now: number): Decimal | undefined {
    while (this.windowHead < this.window.length) {
      const oldest = this.window[this.windowHead] as WindowTrade;
      if (oldest.time > now - this.windowMs) break;
      this.windowQuote = this.windowQuote.sub(oldest.quote);
      this.windowQty = this.windowQty.sub(oldest.qty);
      this.windowHead++;
    }
    if (this.windowHead > 4096 && this.windowHead * 2 > this.window.length) {
      this.window.splice(0, this.windowHead);
      this.windowHead = 0;
    }
    if (this.windowQty.gt(0)) return this.windowQuote.div(this.windowQty);
    if (this.lastPrice) return this.lastPrice;
    const bid = this.bestBidTick();
    const ask = this.bestAskTick();
    if (bid !== undefined && ask !== undefined) {
      return this.instrument.priceOfTick(bid).add(this.instrument.priceOfTick(ask)).div(2);
    }
    return undefined;
  }

  bestBidTick(): number | undefined {
    const a = this.bids.bestTick();
    const p = this.publicBids.bestTick();
    if (a === undefined) return p;
    if (p === undefined) return a;
    return a > p ? a : p;
  }

  bestAskTick(): number | undefined {
    const a = this.asks.bestTick();
    const p = this.publicAsks.bestTick();
    if (a === undefined) return p;
    if (p === undefined) return a;
    return a < p ? a : p;
  }

  mergedQty(isBid: boolean, tick: number): Decimal {
    return isBid
      ? this.bids.qtyAt(tick).add(this.publicBids.qtyAt(tick))
      : this.asks.qtyAt(tick).add(this.publicAsks.qtyAt(tick));
  }

  /** Up to `limit` merged levels from the best outward. */
  levels(isBid: boolean, limit: number): PriceLevel[] {
    const api = (isBid ? this.bids : this.asks).ladder.fromBest(isBid);
    const pub = (isBid ? this.publicBids : this.publicAsks).ladder.fromBest(isBid);
    const out: PriceLevel[] = [];
    let a = api.next();
    let p = pub.next();
    const better = (x: number, y: number): boolean => (isBid ? x > y : x < y);
    while (out.length < limit && (!a.done || !p.done)) {
      let tick: number;
      if (a.done) tick = p.value as number;
      else if (p.done) tick = a.value;
      else tick = better(a.value, p.value) ? a.value : p.value;
      if (!a.done && a.value === tick) a = api.next();
      if (!p.done && p.value === tick) p = pub.next();
      const qty = this.mergedQty(isBid, tick);
      if (qty.gt(0)) out.push([this.formatPrice(tick), qty.toFixed(8)]);
    }
    return out;
  }

  formatPrice(tick: number): string {
    return this.instrument.formatTick(tick);
  }
}
