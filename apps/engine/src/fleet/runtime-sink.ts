// Where a running bot reports: the core's BotSink plus the runtime's KPI flushes and market snapshots. Its own
// file so that the sinks (journal, audit trail, headless logs) depend on it without depending on the runtime.
import type { BotSink, KpiMinuteBucket } from "@bandkeeper/core";
import type { MarketView } from "../persistence/market-recorder";

export interface RuntimeSink extends BotSink {
  kpis(buckets: readonly KpiMinuteBucket[]): void;
  /**
   * The bot's market (latest book top, our working orders, the band), shown with each KPI flush: the dashboard's
   * market snapshot and the market recorder's samples; optional.
   */
  market?(view: MarketView, time: number): void;
}
