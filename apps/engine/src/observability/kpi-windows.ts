// Trailing KPI windows per bot for the gauges: the KPI deltas a bot drains (about once a second) summed into
// 10-second slots, kept for an hour; a window's KPIs are core's summary of its slots, so they mean what the
// dashboard's and the alert rules' KPIs mean (docs/kpis.md).
import { summariseKpis, sumBuckets, type KpiMinuteBucket, type KpiSummary } from "@bandkeeper/core";

const SLOT_MS = 10_000;

/** The windows the gauges report; 5 minutes is the default alert rules' window. */
export const KPI_WINDOWS = [
  { label: "1m", ms: 60_000 },
  { label: "5m", ms: 300_000 },
  { label: "1h", ms: 3_600_000 },
] as const;

const KEPT_MS = Math.max(...KPI_WINDOWS.map((w) => w.ms));

export class KpiWindows {
  /** Per bot, slot start (epoch ms) → the slot's deltas summed. */
  private readonly slots = new Map<string, Map<number, KpiMinuteBucket>>();

  add(bot: string, buckets: readonly KpiMinuteBucket[], now: number): void {
    if (buckets.length === 0) return;
    let slots = this.slots.get(bot);
    if (!slots) {
      slots = new Map();
      this.slots.set(bot, slots);
    }
    const slot = now - (now % SLOT_MS);
    const existing = slots.get(slot);
    slots.set(slot, sumBuckets(existing ? [existing, ...buckets] : buckets, bot));
    for (const start of slots.keys()) if (start <= now - KEPT_MS - SLOT_MS) slots.delete(start);
  }

  /** The KPIs of the deltas drained within `windowMs` before `now` (to the slot), or undefined with no running time. */
  summary(bot: string, windowMs: number, now: number): KpiSummary | undefined {
    const slots = this.slots.get(bot);
    if (!slots) return undefined;
    const from = now - windowMs;
    const within = [...slots].filter(([start]) => start + SLOT_MS > from).map(([, bucket]) => bucket);
    if (within.length === 0) return undefined;
    const summary = summariseKpis(within);
    return summary.runningMs > 0 ? summary : undefined;
  }

  bots(): IterableIterator<string> {
    return this.slots.keys();
  }

  forget(bot: string): void {
    this.slots.delete(bot);
  }
}
