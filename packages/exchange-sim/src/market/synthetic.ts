import Decimal from "decimal.js";

import { formatUnits, powerOfTenDecimals } from "../exchange/num";
import type { MarketModel, MarketStep, PublicLevel, PublicTrade } from "./model";
import { SeededRandom } from "./random";

export interface SyntheticMarketOptions {
  symbol: string;
  /** Same seed, same market (for the same step times). */
  seed?: number;
  startPrice?: string;
  tickSize?: string;
  stepSize?: string;
  /** Simulation step; the market changes on a fixed grid of this many ms from its first advance. */
  stepMs?: number;
  /** Annualised log drift (0.1 = +10%/year). */
  drift?: number;
  /** Annualised volatility of log returns (0.5 = 50%). */
  volatility?: number;
  /** Chance per second of a jump, and its size as a fraction of price (sign random). */
  jumpProbabilityPerSecond?: number;
  jumpSize?: number;
  /** Public levels per side, best bid to best ask distance, and spacing beyond the first five levels. */
  levels?: number;
  spreadTicks?: number;
  farLevelSpacingTicks?: number;
  /** Mean quantity of a public level (exponentially distributed, at least one step). */
  levelSize?: string;
  /** Public trades per second (Poisson), mean size (exponential) and share of buyer-initiated trades. */
  tradeRatePerSecond?: number;
  tradeSize?: string;
  buyProbability?: number;
}

interface SymbolDefaults {
  startPrice: string;
  stepSize: string;
  volatility: number;
  levelSize: string;
  tradeSize: string;
}

const DEFAULTS: Record<string, SymbolDefaults> = {
  BTCUSDT: { startPrice: "60000.00", stepSize: "0.00001", volatility: 0.5, levelSize: "0.5", tradeSize: "0.01" },
  ETHUSDT: { startPrice: "3000.00", stepSize: "0.0001", volatility: 0.6, levelSize: "5", tradeSize: "0.2" },
  BNBUSDT: { startPrice: "550.00", stepSize: "0.001", volatility: 0.55, levelSize: "20", tradeSize: "1" },
};
const FALLBACK: SymbolDefaults = {
  startPrice: "100.00",
  stepSize: "0.001",
  volatility: 0.6,
  levelSize: "100",
  tradeSize: "5",
};

const SECONDS_PER_YEAR = 365 * 24 * 3600;

/** An endless random market: geometric Brownian mid with jumps, a ladder of public levels, Poisson trades. */
export class SyntheticMarket implements MarketModel {
  readonly symbol: string;
  readonly finished = false;
  private readonly random: SeededRandom;
  private readonly tick: Decimal;
  private readonly step: Decimal;
  private readonly tickDecimals: number | undefined;
  private readonly stepDecimals: number | undefined;
  private readonly stepMs: number;
  private readonly driftPerStep: number;
  private readonly sigmaPerStep: number;
  private readonly jumpProbabilityPerStep: number;
  private readonly jumpSize: number;
  private readonly levelCount: number;
  private readonly spreadTicks: number;
  private readonly farSpacing: number;
  private readonly meanLevelSteps: number;
  private readonly tradeRatePerStep: number;
  private readonly meanTradeSteps: number;
  private readonly buyProbability: number;
  /** Mid price in ticks (a latent model variable; prices leave the model as tick-aligned decimal strings). */
  private midTicks: number;
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();
  private nextTime: number | undefined;

  constructor(options: SyntheticMarketOptions) {
    const d = DEFAULTS[options.symbol] ?? FALLBACK;
    this.symbol = options.symbol;
    this.random = new SeededRandom(options.seed ?? 1);
    this.tick = new Decimal(options.tickSize ?? "0.01");
    this.step = new Decimal(options.stepSize ?? d.stepSize);
    this.tickDecimals = powerOfTenDecimals(this.tick);
    this.stepDecimals = powerOfTenDecimals(this.step);
    this.stepMs = options.stepMs ?? 100;
    const dt = this.stepMs / 1000;
    this.driftPerStep = ((options.drift ?? 0) / SECONDS_PER_YEAR) * dt;
    this.sigmaPerStep = ((options.volatility ?? d.volatility) / Math.sqrt(SECONDS_PER_YEAR)) * Math.sqrt(dt);
    this.jumpProbabilityPerStep = (options.jumpProbabilityPerSecond ?? 0.0005) * dt;
    this.jumpSize = options.jumpSize ?? 0.002;
    this.levelCount = options.levels ?? 20;
    this.spreadTicks = Math.max(1, options.spreadTicks ?? 1);
    this.farSpacing = Math.max(1, options.farLevelSpacingTicks ?? 10);
    this.meanLevelSteps = new Decimal(options.levelSize ?? d.levelSize).div(this.step).toNumber();
    this.tradeRatePerStep = (options.tradeRatePerSecond ?? 5) * dt;
    this.meanTradeSteps = new Decimal(options.tradeSize ?? d.tradeSize).div(this.step).toNumber();
    this.buyProbability = options.buyProbability ?? 0.5;
    this.midTicks = new Decimal(options.startPrice ?? d.startPrice).div(this.tick).toNumber();
  }

  advance(now: number, emit: (step: MarketStep) => void): void {
    if (this.nextTime === undefined) {
      const start = Math.floor(now / this.stepMs) * this.stepMs;
      emit({ time: start, reset: true, levels: this.rebuildLevels(), trades: [] });
      this.nextTime = start + this.stepMs;
    }
    while (this.nextTime <= now) {
      emit(this.nextStep(this.nextTime));
      this.nextTime += this.stepMs;
    }
  }

  nextStepTime(): number | undefined {
    return this.nextTime;
  }

  private nextStep(time: number): MarketStep {
    const consumed: PublicLevel[] = [];
    const trades = this.generateTrades(consumed);
    let logReturn = this.driftPerStep + this.sigmaPerStep * this.random.normal();
    if (this.random.next() < this.jumpProbabilityPerStep) {
      logReturn += (this.random.next() < 0.5 ? -1 : 1) * this.jumpSize;
    }
    this.midTicks = Math.max(this.spreadTicks * 2, this.midTicks * Math.exp(logReturn));
    return { time, levels: [...consumed, ...this.rebuildLevels()], trades };
  }

  /** Trades hit the current best levels and take quantity from them (reported in `consumed`) before the book moves. */
  private generateTrades(consumed: PublicLevel[]): PublicTrade[] {
    const trades: PublicTrade[] = [];
    const count = this.random.poisson(this.tradeRatePerStep);
    for (let i = 0; i < count; i++) {
      const buy = this.random.next() < this.buyProbability;
      const side = buy ? this.asks : this.bids;
      const best = this.bestOf(side, !buy);
      if (best === undefined) continue;
      const available = side.get(best) ?? 0;
      const wanted = Math.max(1, Math.round(this.exponential(this.meanTradeSteps)));
      const steps = Math.min(wanted, available);
      if (steps <= 0) continue;
      if (steps === available) side.delete(best);
      else side.set(best, available - steps);
      consumed.push({ side: buy ? "ask" : "bid", price: this.priceOf(best), qty: this.qtyOf(available - steps) });
      trades.push({ price: this.priceOf(best), qty: this.qtyOf(steps), buyerIsMaker: !buy });
    }
    return trades;
  }

  /** Moves the ladder to the current mid; returns only the levels whose quantity changed. */
  private rebuildLevels(): PublicLevel[] {
    const bestBid = Math.floor(this.midTicks - this.spreadTicks / 2);
    const bestAsk = bestBid + this.spreadTicks;
    const changes: PublicLevel[] = [];
    for (const [isBid, book, best] of [
      [true, this.bids, bestBid],
      [false, this.asks, bestAsk],
    ] as const) {
      const wanted = new Set<number>();
      for (let i = 0; i < this.levelCount; i++) {
        const offset = i < 5 ? i : 5 + (i - 5) * this.farSpacing;
        wanted.add(isBid ? best - offset : best + offset);
      }
      const sideName = isBid ? "bid" : "ask";
      for (const tick of [...book.keys()].sort((a, b) => a - b)) {
        if (!wanted.has(tick)) {
          book.delete(tick);
          changes.push({ side: sideName, price: this.priceOf(tick), qty: "0" });
        }
      }
      for (const tick of [...wanted].sort((a, b) => a - b)) {
        const current = book.get(tick);
        if (current !== undefined && this.random.next() > 0.1) continue;
        const steps = Math.max(1, Math.round(this.exponential(this.meanLevelSteps)));
        if (steps === current) continue;
        book.set(tick, steps);
        changes.push({ side: sideName, price: this.priceOf(tick), qty: this.qtyOf(steps) });
      }
    }
    return changes;
  }

  private bestOf(book: Map<number, number>, highest: boolean): number | undefined {
    let best: number | undefined;
    for (const tick of book.keys()) {
      if (best === undefined || (highest ? tick > best : tick < best)) best = tick;
    }
    return best;
  }

  private exponential(mean: number): number {
    return -Math.log(1 - this.random.next()) * mean;
  }

  private priceOf(tick: number): string {
    return this.tickDecimals === undefined ? this.tick.mul(tick).toFixed(8) : formatUnits(tick, this.tickDecimals);
  }

  private qtyOf(steps: number): string {
    return this.stepDecimals === undefined ? this.step.mul(steps).toFixed(8) : formatUnits(steps, this.stepDecimals);
  }
}
