// The market chart's ranges, shared by bots.marketHistory and the chart (no database imports: the chart is client
// code). Each point is the last recorded sample of its step; a day and less read the one-second tier
// (BotMarketSample), longer ranges the minute tier (BotMarketMinute).
const MINUTE = 60_000;

export const MARKET_HISTORY_RANGES = ["5m", "1h", "24h", "7d", "30d"] as const;
export type MarketHistoryRange = (typeof MARKET_HISTORY_RANGES)[number];

export const MARKET_HISTORY_SETTINGS: Record<MarketHistoryRange, { lengthMs: number; stepMs: number; tier: "seconds" | "minutes"; label: string }> = {
  "5m": { lengthMs: 5 * MINUTE, stepMs: 1_000, tier: "seconds", label: "5 min" },
  "1h": { lengthMs: 60 * MINUTE, stepMs: 10_000, tier: "seconds", label: "1 h" },
  "24h": { lengthMs: 24 * 60 * MINUTE, stepMs: 2 * MINUTE, tier: "seconds", label: "24 h" },
  "7d": { lengthMs: 7 * 24 * 60 * MINUTE, stepMs: 15 * MINUTE, tier: "minutes", label: "7 days" },
  "30d": { lengthMs: 30 * 24 * 60 * MINUTE, stepMs: 60 * MINUTE, tier: "minutes", label: "30 days" },
};
