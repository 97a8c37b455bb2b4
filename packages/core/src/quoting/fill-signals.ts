import type { BotConfig } from "../config/bot-config";
import type { MarketTrade } from "../pricing/market-data";
import { SweepDetector, type SweepSignal } from "./sweep-detector";
import { TradeActivityEstimator, type TradeActivity } from "./trade-activity";
import { VolatilityEstimator } from "./volatility";

/** The settings the signals read; the rest of fillAvoidance says how quotes react to them. */
export type FillSignalSettings = Pick<BotConfig["fillAvoidance"], "volatilityWindowMs" | "sweepWindowMs" | "sweepMinMove" | "sweepMinAggressorShare">;

/** The fill-avoidance estimators a bot feeds with every public trade, configured from its BotConfig. */
export class FillSignals {
  private readonly volatilityEstimator: VolatilityEstimator;
  private readonly sweepDetector: SweepDetector;
  private readonly activity = new TradeActivityEstimator();

  constructor(settings: FillSignalSettings) {
    this.volatilityEstimator = new VolatilityEstimator(settings.volatilityWindowMs);
    this.sweepDetector = new SweepDetector({
      windowMs: settings.sweepWindowMs,
      minMove: settings.sweepMinMove,
      minAggressorShare: settings.sweepMinAggressorShare,
    });
  }

  onTrade(trade: MarketTrade): void {
    this.volatilityEstimator.onTrade(trade);
    this.sweepDetector.onTrade(trade);
    this.activity.onTrade(trade);
  }

  /** Any market event (a book top too) starts the clock the trade rate is measured on. */
  observe(time: number): void {
    this.activity.observe(time);
  }

  at(now: number): { readonly volatility: number; readonly sweep: SweepSignal; readonly activity: TradeActivity } {
    return { volatility: this.volatilityEstimator.volatility(now), sweep: this.sweepDetector.signal(now), activity: this.activity.at(now) };
  }
}
