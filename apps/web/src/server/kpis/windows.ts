// The KPI windows the dashboard shows, and which rows each reads.
import type { KpiWindow } from "./queries";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const KPI_RANGES = ["1h", "24h", "7d", "30d"] as const;
/** The rows of a KPI export: minute rows, hour rollups, or days summed from the hour rollups. */
export const KPI_EXPORT_RESOLUTIONS = ["minute", "hour", "day"] as const;
export type KpiExportResolution = (typeof KPI_EXPORT_RESOLUTIONS)[number];
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

/** A custom range reads minute rows up to this length, hour rollups beyond. */
export const CUSTOM_MINUTE_ROWS_MAX_MS = 2 * DAY_MS;
/** The longest custom range: the hour rollups of a year. */
export const CUSTOM_RANGE_MAX_MS = 366 * DAY_MS;
// About one point per 3 px of a wide chart: enough to see a breach, few enough to leave the database quickly.
const MAX_POINTS = 240;
const POINT_WIDTHS = [MINUTE_MS, 5 * MINUTE_MS, 15 * MINUTE_MS, HOUR_MS, 3 * HOUR_MS, 6 * HOUR_MS, DAY_MS, 7 * DAY_MS];

/**
 * The window and point width of a range the user picks (from before to): minute rows for up to two days, hour
 * rollups beyond; the narrowest point width that keeps the chart under MAX_POINTS, the window widened to whole
 * points (so hour rows are read in whole hours).
 */
export function customWindow(from: Date, to: Date): KpiWindow & { pointMs: number } {
  const lengthMs = to.getTime() - from.getTime();
  const resolution: KpiWindow["resolution"] = lengthMs <= CUSTOM_MINUTE_ROWS_MAX_MS ? "minute" : "hour";
  const smallest = resolution === "minute" ? MINUTE_MS : HOUR_MS;
  const pointMs = POINT_WIDTHS.find((width) => width >= smallest && lengthMs / width <= MAX_POINTS) ?? DAY_MS * 7;
  const start = floorTo(from.getTime(), pointMs);
  const end = Math.ceil(to.getTime() / pointMs) * pointMs;
  return { resolution, pointMs, from: new Date(start), to: new Date(end) };
}
