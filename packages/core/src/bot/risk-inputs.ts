// What risk judges a bot's next decision by: balances against what the next orders need, the start balances
// for position limits, price moves, open orders, the feed's health and the API's recent errors.
import type { BotConfig } from "../config";
import { Decimal } from "../money";
import type { OrderLedger } from "../orders";
import type { FeedStatus, ReferencePrice } from "../pricing";
import type { RiskSnapshot } from "../risk";
import type { BalancePort } from "./ports";

const ZERO = new Decimal(0);

export class RiskInputs {
  /** minNotional x (1 + notionalMargin): what one order is worth. */
  private orderNotional!: Decimal;
  /** The base quantity an ask needs, for the reference it was computed at. */
  private baseNeeded: { reference: Decimal; qty: Decimal } | null = null;
  private startBalances: { base: Decimal; quote: Decimal } | null = null;

  constructor(
    private readonly balances: BalancePort,
    private readonly ledger: OrderLedger,
  ) {}

  configure(config: BotConfig): void {
    this.orderNotional = new Decimal(config.minNotional).times(1 + config.notionalMargin);
    this.baseNeeded = null;
  }

  snapshot(reference: ReferencePrice, market: { priceMove: number; feed: FeedStatus | null; consecutiveApiErrors: number }): RiskSnapshot {
    const requiredQuote = this.orderNotional;
    const sellWorking = this.ledger.working("SELL").length > 0;
    const requiredBase = reference.ok && !sellWorking ? this.baseNeededAt(reference.price) : ZERO;
    const balances = this.balances.balances();
    // Until the account has reported balances, balance and position rules have nothing to judge.
    const base = balances?.base ?? { free: requiredBase, locked: ZERO };
    const quote = balances?.quote ?? { free: requiredQuote, locked: ZERO };
    if (balances && !this.startBalances) {
      this.startBalances = { base: base.free.plus(base.locked), quote: quote.free.plus(quote.locked) };
    }
    return {
      base,
      quote,
      startBase: this.startBalances?.base ?? base.free.plus(base.locked),
      startQuote: this.startBalances?.quote ?? quote.free.plus(quote.locked),
      // Funds our own working orders lock are ours to move: only count what a new order needs beyond them.
      requiredQuote: this.ledger.working("BUY").length > 0 ? ZERO : requiredQuote,
      requiredBase,
      priceMove: market.priceMove,
      openOrders: this.ledger.working().length,
      feedStale: market.feed && !market.feed.live ? market.feed.reason : null,
      consecutiveApiErrors: market.consecutiveApiErrors,
    };
  }

  private baseNeededAt(reference: Decimal): Decimal {
    if (this.baseNeeded?.reference !== reference) this.baseNeeded = { reference, qty: this.orderNotional.div(reference) };
    return this.baseNeeded.qty;
  }
}
