// Market data for every bot of the process that shares a venue: one combined-stream connection, trade and
// bookTicker streams per watched symbol, events routed to the symbol's listeners with their local receive time.
import type { MarketStream, MarketStreamMessage } from "@bandkeeper/binance";
import { bookTickerStream, tradeStream } from "@bandkeeper/binance";
import type { BookTop, MarketTrade } from "@bandkeeper/core";
import { SharedDecisionViews } from "./decision-views";

export interface MarketListener {
  onTrade(trade: MarketTrade): void;
  onBookTop(top: BookTop): void;
}

export class MarketFeed {
  private readonly listeners = new Map<string, Set<MarketListener>>();
  private readonly offMessage: () => void;
  private started = false;
  /** Market views and quote policies of this venue's bots: bots on one symbol do the market's work once. */
  readonly views = new SharedDecisionViews();

  constructor(private readonly stream: MarketStream) {
    this.offMessage = stream.onMessage((message) => this.route(message));
  }

  watch(symbol: string, listener: MarketListener): () => void {
    let set = this.listeners.get(symbol);
    if (!set) {
      set = new Set();
      this.listeners.set(symbol, set);
      this.stream.subscribe([tradeStream(symbol), bookTickerStream(symbol)]);
    }
    set.add(listener);
    if (!this.started) {
      this.started = true;
      this.stream.start();
    }
    return () => {
      const current = this.listeners.get(symbol);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(symbol);
      this.stream.unsubscribe([tradeStream(symbol), bookTickerStream(symbol)]);
    };
  }

  async stop(): Promise<void> {
    this.offMessage();
    await this.stream.stop();
  }

  private route({ event, receivedAt }: MarketStreamMessage): void {
    if (event.eventType === "depthUpdate") return;
    const listeners = this.listeners.get(event.symbol);
    if (!listeners) return;
    if (event.eventType === "trade") {
      const trade: MarketTrade = { price: event.price, qty: event.qty, time: receivedAt, isBuyerMaker: event.isBuyerMaker };
      for (const listener of listeners) listener.onTrade(trade);
    } else {
      const top: BookTop = {
        bidPrice: event.bidPrice,
        bidQty: event.bidQty,
        askPrice: event.askPrice,
        askQty: event.askQty,
        time: receivedAt,
      };
      for (const listener of listeners) listener.onBookTop(top);
    }
  }
}
