// Kline intervals, as Binance names them; boundaries in UTC shifted by the request's timeZone.
import { ApiError } from "./errors";

const secondMs = 1000;
const minuteMs = 60_000;
const dayMs = 86_400_000;

interface KlineInterval {
  /** Start of the interval holding `time`. */
  start(time: number): number;
  /** Start of the interval after the one starting at `start`. */
  next(start: number): number;
  /** Start of the interval before the one starting at `start`. */
  previous(start: number): number;
  /** Built from per-second buckets (1s) or per-minute ones. */
  perSecond: boolean;
}

const fixedIntervals: Record<string, number> = {
  "1s": secondMs,
  "1m": minuteMs,
  "3m": 3 * minuteMs,
  "5m": 5 * minuteMs,
  "15m": 15 * minuteMs,
  "30m": 30 * minuteMs,
  "1h": 60 * minuteMs,
  "2h": 120 * minuteMs,
  "4h": 240 * minuteMs,
  "6h": 360 * minuteMs,
  "8h": 480 * minuteMs,
  "12h": 720 * minuteMs,
  "1d": dayMs,
  "3d": 3 * dayMs,
};

export const klineIntervalNames = [...Object.keys(fixedIntervals), "1w", "1M"] as const;

export function klineInterval(name: string, offsetMs = 0): KlineInterval | undefined {
  const fixed = fixedIntervals[name];
  if (fixed !== undefined) {
    return {
      start: (t) => Math.floor((t + offsetMs) / fixed) * fixed - offsetMs,
      next: (s) => s + fixed,
      previous: (s) => s - fixed,
      perSecond: fixed === secondMs,
    };
  }
  if (name === "1w") {
    // Weeks start on Monday; 1970-01-01 was a Thursday, so Mondays fall 4 days after the epoch's week grid.
    const week = 7 * dayMs;
    const monday = 4 * dayMs;
    return {
      start: (t) => Math.floor((t + offsetMs - monday) / week) * week + monday - offsetMs,
      next: (s) => s + week,
      previous: (s) => s - week,
      perSecond: false,
    };
  }
  if (name === "1M") {
    const monthStart = (t: number, add: number) => {
      const d = new Date(t + offsetMs);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1) - offsetMs;
    };
    return { start: (t) => monthStart(t, 0), next: (s) => monthStart(s, 1), previous: (s) => monthStart(s - 1, 0), perSecond: false };
  }
  return undefined;
}

/** Binance's timeZone: hours[:minutes] from -12:00 to +14:00, e.g. "0", "-1:00", "05:45". */
export function parseTimeZone(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 0;
  const match = /^([+-]?)(\d{1,2})(?::(\d{2}))?$/.exec(raw);
  const hours = Number(match?.[2] ?? NaN);
  const minutes = Number(match?.[3] ?? 0);
  const sign = match?.[1] === "-" ? -1 : 1;
  const offset = sign * (hours * 60 + minutes);
  if (!match || minutes >= 60 || offset < -12 * 60 || offset > 14 * 60) throw new ApiError(-1130, "Invalid timeZone.");
  return offset * minuteMs;
}
