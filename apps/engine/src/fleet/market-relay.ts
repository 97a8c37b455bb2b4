// What a bot's market data waits in while the bot is being built (reconciliation, the seed), so nothing that
// arrives meanwhile is lost or delivered twice.
import type { BookDepth, BookTop, FeedStatus } from "@bandkeeper/core";
import type { FeedTrade, MarketListener } from "../exchange/market-feed";

/**
 * Holds market data that arrives before the bot exists (the latest status, depth and top, and the trades: the
 * seed and those streamed since, bounded), then passes everything straight through once a bot is attached. Trades
 * reach the bot once each and in trade-id order, however the seed and the stream interleave.
 */
export class MarketRelay implements MarketListener {
  private static readonly MAX_HELD_TRADES = 1_000;
  private target: MarketListener | undefined;
  private heldStatus: FeedStatus | undefined;
  private heldDepth: BookDepth | undefined;
  private heldTop: BookTop | undefined;
  private heldTrades: FeedTrade[] = [];
  private lastTradeId = Number.NEGATIVE_INFINITY;

  onTrade(trade: FeedTrade): void {
    if (this.target) {
      if (trade.tradeId <= this.lastTradeId) return;
      this.lastTradeId = trade.tradeId;
      this.target.onTrade(trade);
    } else if (this.heldTrades.push(trade) > 2 * MarketRelay.MAX_HELD_TRADES) {
      this.heldTrades.splice(0, MarketRelay.MAX_HELD_TRADES);
    }
  }

  onBookTop(top: BookTop): void {
    if (this.target) this.target.onBookTop(top);
    else this.heldTop = top;
  }

  onBookDepth(depth: BookDepth): void {
    if (this.target) this.target.onBookDepth?.(depth);
    else this.heldDepth = depth;
  }

  onFeedStatus(status: FeedStatus): void {
    if (this.target) this.target.onFeedStatus?.(status);
    else this.heldStatus = status;
  }

  attach(target: MarketListener): void {
    // The book first, so the trades are judged (outlier guard) against it.
    if (this.heldStatus) target.onFeedStatus?.(this.heldStatus);
    if (this.heldDepth) target.onBookDepth?.(this.heldDepth);
    if (this.heldTop) target.onBookTop(this.heldTop);
    const trades = this.heldTrades.sort((a, b) => a.tradeId - b.tradeId).slice(-MarketRelay.MAX_HELD_TRADES);
    for (const trade of trades) {
      if (trade.tradeId <= this.lastTradeId) continue;
      this.lastTradeId = trade.tradeId;
      target.onTrade(trade);
    }
    this.heldTrades = [];
    this.heldStatus = undefined;
    this.heldDepth = undefined;
    this.heldTop = undefined;
    this.target = target;
  }
}
