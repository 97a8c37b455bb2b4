import type { MarketModel, MarketStep } from "./model";

/** A market with no public liquidity and no trades: API orders only meet each other. */
export class EmptyMarket implements MarketModel {
  readonly finished = true;

  constructor(readonly symbol: string) {}

  advance(_now: number, _emit: (step: MarketStep) => void): void {
    // Nothing public ever happens.
  }

  nextStepTime(): undefined {
    return undefined;
  }
}
