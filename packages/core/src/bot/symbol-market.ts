// The market side of a decision: what a bot reads from one symbol's trades and book, computed once per event for
// every bot that reads it the same way. A fleet with many bots on one symbol would otherwise repeat the same
// decimal arithmetic per bot on every message; with shared views the first bot pays and the others read.
import type { BotConfig } from "../config";
import { ReferencePriceEngine, type BookTop, type MarketTrade, type ReferencePrice, type ReferencePriceSettings } from "../pricing";
import { FillSignals, QuotePolicy, type FillSignalSettings, type SweepSignal, type TradeActivity } from "../quoting";
import type { Instrument } from "../money";

/** Everything that shapes a market view; bots whose settings are equal can share one. */
export interface MarketViewSettings {
  readonly reference: ReferencePriceSettings;
  readonly fillSignals: FillSignalSettings;
}

export function marketViewSettings(config: BotConfig): MarketViewSettings {
  const { volatilityWindowMs, sweepWindowMs, sweepMinMove, sweepMinAggressorShare } = config.fillAvoidance;
  return { reference: config.reference, fillSignals: { volatilityWindowMs, sweepWindowMs, sweepMinMove, sweepMinAggressorShare } };
}

/** The market inputs of one decision at one time. The same object for every reader of one view at that time. */
export interface MarketSnapshot {
  readonly reference: ReferencePrice;
  /** Realised volatility over the configured window (fraction). */
  readonly volatility: number;
  readonly sweep: SweepSignal;
  /** Prints per minute and their mean notional: how thin the market is. */
  readonly activity: TradeActivity;
}

/**
 * One symbol's market as a bot reads it: the latest book top, the reference price engine and the fill-avoidance
 * signals. Several bots may deliver the same event object; it is applied once (events are recognised by
 * identity), so a host can hand every bot every event without knowing whether their views are shared.
 */
export class SymbolMarket {
  private readonly reference: ReferencePriceEngine;
  private readonly signals: FillSignals;
  private readonly applied = new WeakSet<MarketTrade | BookTop>();
  private top: BookTop | null = null;
  private topMoved = false;
  private dataAt: number | null = null;
  /** Bumped on every applied event: a snapshot is reused only for the same version and time. */
  private version = 0;
  private cached: { version: number; at: number; snapshot: MarketSnapshot } | null = null;

  constructor(readonly settings: MarketViewSettings) {
    this.reference = new ReferencePriceEngine(settings.reference);
    this.signals = new FillSignals(settings.fillSignals);
  }

  get book(): BookTop | null {
    return this.top;
  }

  /** Local receive time of the latest trade or book top. */
  get lastDataAt(): number | null {
    return this.dataAt;
  }

  onTrade(trade: MarketTrade): void {
    if (this.applied.has(trade)) return;
    this.applied.add(trade);
    this.dataAt = trade.time;
    this.reference.onTrade(trade);
    this.signals.onTrade(trade);
    this.version++;
  }

  /** Applies a book top; returns whether it moved the best prices (most book updates change only quantities). */
  onBookTop(top: BookTop): boolean {
    if (top === this.top) return this.topMoved;
    if (this.applied.has(top)) return false;
    this.applied.add(top);
    const previous = this.top;
    this.topMoved = previous === null || !previous.bidPrice.eq(top.bidPrice) || !previous.askPrice.eq(top.askPrice);
    this.top = top;
    this.dataAt = top.time;
    this.signals.observe(top.time);
    this.reference.onBookTop(top);
    this.version++;
    return this.topMoved;
  }

  /** The market inputs at `now`, computed once per event and time whoever asks. */
  snapshot(now: number): MarketSnapshot {
    const cached = this.cached;
    if (cached && cached.version === this.version && cached.at === now) return cached.snapshot;
    const snapshot: MarketSnapshot = { reference: this.reference.reference(now), ...this.signals.at(now) };
    this.cached = { version: this.version, at: now, snapshot };
    return snapshot;
  }
}

/**
 * Where a bot gets its market view and quote policy. A lone bot (replay, a test) gets its own; a fleet hands bots
 * of one symbol with equal settings the same objects, so per-event work is done once for all of them.
 */
export interface DecisionViews {
  market(symbol: string, settings: MarketViewSettings): SymbolMarket;
  quotePolicy(instrument: Instrument, config: BotConfig): QuotePolicy;
}

export const privateViews: DecisionViews = {
  market: (_symbol, settings) => new SymbolMarket(settings),
  quotePolicy: (instrument, config) => new QuotePolicy(instrument, config),
};
