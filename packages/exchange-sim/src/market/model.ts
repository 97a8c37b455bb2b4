// The public market a symbol trades against: everyone else's orders and trades. A model produces public book
// level changes and public trades on clock ticks; the exchange merges its levels with the API orders' levels
// and lets public trades fill resting API orders that they print at or through.

export type BookSide = "bid" | "ask";

/** An absolute level quantity; "0" removes the level. */
export interface PublicLevel {
  side: BookSide;
  price: string;
  qty: string;
}

export interface PublicTrade {
  price: string;
  qty: string;
  /** True when the aggressor sold (the buyer's order was resting), as in Binance's `m`. */
  buyerIsMaker: boolean;
}

/** Everything the public market did at one instant. */
export interface MarketStep {
  /** Epoch ms on the simulation clock. */
  time: number;
  /** When true the public book is replaced by `levels` (a snapshot) instead of updated by them. */
  reset?: boolean;
  levels: readonly PublicLevel[];
  trades: readonly PublicTrade[];
  /** Recorded last update id of this change (replay), so the exchange's ids follow the recording's. */
  lastUpdateId?: number;
  /** Recorded id of the first trade in `trades` (replay). */
  firstTradeId?: number;
}

export interface MarketModel {
  readonly symbol: string;
  /** Calls `emit` for every step with time <= now, in time order. Never emits a step twice. */
  advance(now: number, emit: (step: MarketStep) => void): void;
  /** True once a finite model (replay) has emitted its last step. */
  readonly finished: boolean;
  /** Clock time of the next step, once started (lets a simulated clock jump from event to event). */
  nextStepTime(): number | undefined;
}
