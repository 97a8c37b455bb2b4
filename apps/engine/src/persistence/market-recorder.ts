// The market recorder: what each bot saw of its market (reference, band, the touch, our quotes) as rows of
// BotMarketSample, so the dashboard's market chart has history when the page opens. The runtime shows the recorder
// the bot's market about once a second (RuntimeSink.market); a row is due when something changed since the last
// one, or when the last one is `sampleEveryMs` old, and a bot never gets two rows in one second (a row is its bot
// and whole second). The minute tier and the retention are market-history.ts's.
import type { BookTop, Order } from "@bandkeeper/core";
import Decimal from "decimal.js";

/** What the runtime shows its sink of the bot's market: the book's top, our working orders and the band. */
export interface MarketView {
  top: BookTop | undefined;
  orders: readonly Order[];
  /** Fractions of the reference price (the bot's config). */
  band: { minSpread: number; maxSpread: number };
}

/** One row of BotMarketSample: prices as exact decimal strings, null where there is nothing to show. */
export interface MarketSampleRecord {
  botId: string;
  /** A whole second. */
  time: Date;
  referencePrice: string | null;
  bidBandLow: string | null;
  bidBandHigh: string | null;
  askBandLow: string | null;
  askBandHigh: string | null;
  bestBid: string | null;
  bestAsk: string | null;
  ourBid: string | null;
  ourAsk: string | null;
}

export type MarketSampleFields = Omit<MarketSampleRecord, "botId" | "time">;

/** The recorder's settings and the retention market-history.ts applies (engine settings ENGINE_MARKET_*). */
export interface MarketRecording {
  /** An unchanged market is recorded this often; a change is recorded within a second. */
  sampleEveryMs: number;
  /** Seconds are kept this long... */
  secondsRetentionMs: number;
  /** ...and the minute tier rolled up from them this long. */
  minutesRetentionMs: number;
  /** How often the minute tier is rolled up and both tiers pruned. */
  maintenanceMs: number;
}

export const DEFAULT_MARKET_RECORDING: MarketRecording = {
  sampleEveryMs: 1_000,
  secondsRetentionMs: 24 * 3_600_000,
  minutesRetentionMs: 30 * 24 * 3_600_000,
  maintenanceMs: 60_000,
};

const SECOND_MS = 1_000;
// Decimal(36, 18) columns.
const STORED_DECIMALS = 18;

/** The sample's prices: band edges from the reference and the band, our best bid and ask among working orders. */
export function marketSampleFields(referencePrice: string | null, view: MarketView): MarketSampleFields {
  const reference = referencePrice === null ? null : new Decimal(referencePrice);
  const edge = (fraction: number) => (reference === null ? null : reference.times(new Decimal(1).plus(fraction)).toDecimalPlaces(STORED_DECIMALS).toFixed());
  const { minSpread, maxSpread } = view.band;
  let ourBid: Decimal | null = null;
  let ourAsk: Decimal | null = null;
  for (const order of view.orders) {
    if (order.side === "BUY" && (ourBid === null || order.price.gt(ourBid))) ourBid = order.price;
    if (order.side === "SELL" && (ourAsk === null || order.price.lt(ourAsk))) ourAsk = order.price;
  }
  return {
    referencePrice: reference?.toFixed() ?? null,
    bidBandLow: edge(-maxSpread),
    bidBandHigh: edge(-minSpread),
    askBandLow: edge(minSpread),
    askBandHigh: edge(maxSpread),
    bestBid: view.top?.bidPrice.toFixed() ?? null,
    bestAsk: view.top?.askPrice.toFixed() ?? null,
    ourBid: ourBid?.toFixed() ?? null,
    ourAsk: ourAsk?.toFixed() ?? null,
  };
}

/** One bot's recorder: decides which looks at the market become rows. Time comes in; no timers of its own. */
export class MarketRecorder {
  private last: { second: number; key: string } | undefined;

  constructor(
    private readonly botId: string,
    private readonly sampleEveryMs: number = DEFAULT_MARKET_RECORDING.sampleEveryMs,
  ) {
    if (!Number.isInteger(sampleEveryMs) || sampleEveryMs < SECOND_MS) throw new Error(`sampleEveryMs must be a whole number of ms, at least 1000 (got ${sampleEveryMs})`);
  }

  /** The row for what the bot sees at `now`, when one is due. */
  sample(referencePrice: string | null, view: MarketView, now: number): MarketSampleRecord | undefined {
    const second = Math.floor(now / SECOND_MS) * SECOND_MS;
    const last = this.last;
    if (last !== undefined && second <= last.second) return undefined;
    const fields = marketSampleFields(referencePrice, view);
    const key = JSON.stringify(fields);
    if (last !== undefined && key === last.key && second - last.second < this.sampleEveryMs) return undefined;
    this.last = { second, key };
    return { botId: this.botId, time: new Date(second), ...fields };
  }
}
