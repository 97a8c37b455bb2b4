// The KPI windows the dashboard shows, and which rows each reads.
import type { KpiWindow } from "./queries";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export const KPI_RANGES = ["1h", "24h", "7d", "30d"] as const;
export type KpiRange = (typeof KPI_RANGES)[number];

/** Each chart range: its length, the rows it reads, and the width of one point. */
export const RANGE_SETTINGS: Record<KpiRange, { lengthMs: number; resolution: KpiWindow["resolution"]; pointMs: number }> = {
  "1h": { lengthMs: HOUR_MS, resolution: "minute", pointMs: MINUTE_MS },
  "24h": { lengthMs: 24 * HOUR_MS, resolution: "minute", pointMs: 15 * MINUTE_MS },
  "7d": { lengthMs: 7 * 24 * HOUR_MS, resolution: "hour", pointMs: HOUR_MS },
  "30d": { lengthMs: 30 * 24 * HOUR_MS, resolution: "hour", pointMs: 6 * HOUR_MS },
};

const floorTo = (time: number, unit: number) => Math.floor(time / unit) * unit;

/**
 * The window of a range ending now: aligned to whole points, the current (partial) point included. Hour rows cover
 * whole hours, so a long window starts on the hour.
 */
export function rangeWindow(range: KpiRange, now: Date): KpiWindow {
  const { lengthMs, resolution, pointMs } = RANGE_SETTINGS[range];
  const end = floorTo(now.getTime(), pointMs) + pointMs;
  return { resolution, from: new Date(end - lengthMs), to: new Date(end) };
}

/** The overview's "last hour" (minute rows, the current minute included). */
export function lastHour(now: Date): KpiWindow {
  const end = floorTo(now.getTime(), MINUTE_MS) + MINUTE_MS;
  return { resolution: "minute", from: new Date(end - HOUR_MS), to: new Date(end) };
}

/** The overview's "last day": 24 hour rollups, the current hour included. */
export function lastDay(now: Date): KpiWindow {
  const end = floorTo(now.getTime(), HOUR_MS) + HOUR_MS;
  return { resolution: "hour", from: new Date(end - 24 * HOUR_MS), to: new Date(end) };
}
