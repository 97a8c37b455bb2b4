// Where a running bot reports: the core's BotSink plus the runtime's KPI flushes and market snapshots. Its own
// file so that the sinks (journal, audit trail, headless logs) depend on it without depending on the runtime.
import type { BookTop, BotSink, KpiMinuteBucket } from "@bandkeeper/core";

export interface RuntimeSink extends BotSink {
  kpis(buckets: readonly KpiMinuteBucket[]): void;
  /** The latest book top, reported with each KPI flush (the dashboard's market snapshot); optional. */
  market?(top: BookTop | undefined, time: number): void;
}
