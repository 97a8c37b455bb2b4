// A thin pair for the feed tests: a still book of a few levels around the mid and a public print every
// `tradeEveryMs` (or never), with a handful of prints at the very start so GET /api/v3/trades has history.
import type { MarketModel, MarketStep, PublicLevel, PublicTrade } from "@bandkeeper/exchange-sim/market/model";

export interface ThinMarketOptions {
  symbol?: string;
  mid?: number;
  /** Price step between the book's levels. */
  tick?: number;
  /** A print at the touch this often; Infinity = the opening prints only. */
  tradeEveryMs?: number;
  /** Prints in the opening step. */
  openingTrades?: number;
  /** The touch quantities flicker this often (the prices stay); Infinity = a still book. */
  bookChangeEveryMs?: number;
}

/** How often the model looks for something to emit; nothing is emitted unless a print or a level change is due. */
const STEP_MS = 50;

export class ThinMarket implements MarketModel {
  readonly finished = false;
  readonly symbol: string;
  private readonly mid: number;
  private readonly tick: number;
  private readonly tradeEveryMs: number;
  private readonly openingTrades: number;
  private readonly bookChangeEveryMs: number;
  private nextBookChangeAt = Number.POSITIVE_INFINITY;
  private flickers = 0;
  private nextStep: number | undefined;
  private nextTradeAt = Number.POSITIVE_INFINITY;
  private started = false;
  private prints = 0;
  private bookChange: PublicLevel[] = [];

  constructor(options: ThinMarketOptions = {}) {
    this.symbol = options.symbol ?? "BTCUSDT";
    this.mid = options.mid ?? 60_000;
    this.tick = options.tick ?? 1;
    this.tradeEveryMs = options.tradeEveryMs ?? Number.POSITIVE_INFINITY;
    this.openingTrades = options.openingTrades ?? 3;
    this.bookChangeEveryMs = options.bookChangeEveryMs ?? Number.POSITIVE_INFINITY;
  }

  get midPrice(): number {
    return this.mid;
  }

  /** Public prints emitted so far (the opening ones included). */
  get printed(): number {
    return this.prints;
  }

  /** Changes one public level on the next step (a book change while no trade prints). */
  setLevel(side: "bid" | "ask", price: number, qty: string): void {
    this.bookChange.push({ side, price: price.toFixed(2), qty });
  }

  advance(now: number, emit: (step: MarketStep) => void): void {
    if (!this.started) {
      this.started = true;
      const levels: PublicLevel[] = [];
      for (let i = 1; i <= 5; i++) {
        levels.push({ side: "bid", price: (this.mid - i * this.tick).toFixed(2), qty: String(i) });
        levels.push({ side: "ask", price: (this.mid + i * this.tick).toFixed(2), qty: String(i) });
      }
      const trades = Array.from({ length: this.openingTrades }, (_, i) => this.trade(i));
      this.prints += trades.length;
      emit({ time: now, reset: true, levels, trades });
      this.nextTradeAt = now + this.tradeEveryMs;
      this.nextBookChangeAt = now + this.bookChangeEveryMs;
      this.nextStep = now + STEP_MS;
      return;
    }
    if (this.nextStep === undefined || now < this.nextStep) return;
    const trades: PublicTrade[] = [];
    if (now >= this.nextTradeAt) {
      trades.push(this.trade(this.prints));
      this.prints += 1;
      this.nextTradeAt = now + this.tradeEveryMs;
    }
    const levels = this.bookChange.splice(0);
    if (now >= this.nextBookChangeAt) {
      this.flickers += 1;
      const qty = this.flickers % 2 === 0 ? "1" : "1.5";
      levels.push({ side: "bid", price: (this.mid - this.tick).toFixed(2), qty }, { side: "ask", price: (this.mid + this.tick).toFixed(2), qty });
      this.nextBookChangeAt = now + this.bookChangeEveryMs;
    }
    if (trades.length > 0 || levels.length > 0) emit({ time: now, levels, trades });
    this.nextStep = now + STEP_MS;
  }

  nextStepTime(): number | undefined {
    return this.nextStep;
  }

  /** A small print at the touch, alternating sides: the book does not move. */
  private trade(n: number): PublicTrade {
    const sell = n % 2 === 0;
    return { price: (sell ? this.mid - this.tick : this.mid + this.tick).toFixed(2), qty: "0.001", buyerIsMaker: sell };
  }
}
