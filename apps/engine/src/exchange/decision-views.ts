// Market views and quote policies shared by the bots of one venue: bots on one symbol with equal settings
// read one SymbolMarket (its reference price, volatility and sweep signals computed once per event), and bots with
// equal configs one QuotePolicy (its quotes computed once per snapshot).
import { QuotePolicy, SymbolMarket, type BotConfig, type DecisionViews, type Instrument, type MarketViewSettings } from "@bandkeeper/core";

/** Keys are the settings as JSON, so equal configs share whatever object identity they arrived with. */
export class SharedDecisionViews implements DecisionViews {
  private readonly markets = new WeakValueMap<SymbolMarket>();
  private readonly policies = new WeakValueMap<QuotePolicy>();

  market(symbol: string, settings: MarketViewSettings): SymbolMarket {
    const key = `${symbol}|${JSON.stringify(settings)}`;
    return this.markets.get(key) ?? this.markets.set(key, new SymbolMarket(settings));
  }

  quotePolicy(instrument: Instrument, config: BotConfig): QuotePolicy {
    const key = `${JSON.stringify(instrument)}|${JSON.stringify(config)}`;
    return this.policies.get(key) ?? this.policies.set(key, new QuotePolicy(instrument, config));
  }

  /** Views alive now. */
  get size(): { markets: number; policies: number } {
    return { markets: this.markets.size, policies: this.policies.size };
  }
}

/** Values held weakly: a view no bot uses any more is collected, and its key goes with it. */
class WeakValueMap<V extends object> {
  private readonly entries = new Map<string, WeakRef<V>>();
  private readonly registry = new FinalizationRegistry<string>((key) => {
    if (this.entries.get(key)?.deref() === undefined) this.entries.delete(key);
  });

  get(key: string): V | undefined {
    return this.entries.get(key)?.deref();
  }

  set(key: string, value: V): V {
    this.entries.set(key, new WeakRef(value));
    this.registry.register(value, key);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
