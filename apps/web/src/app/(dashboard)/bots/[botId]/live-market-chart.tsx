"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { LineChart } from "~/components/line-chart";
import { RangeChoice } from "~/components/range-choice";
import { formatDateTime, formatPrice, formatTime, priceDecimals } from "~/lib/format";
import type { BotDetail } from "~/server/routers/bots/detail";
import type { MarketHistory } from "~/server/routers/bots/market-history";
import { MARKET_HISTORY_RANGES, MARKET_HISTORY_SETTINGS, type MarketHistoryRange } from "~/server/routers/bots/market-ranges";
import { useTRPC } from "~/trpc/react";

// The chart opens on what the engine's market recorder wrote (bots.marketHistory), then grows with each snapshot
// the page polls (bots.detail, every second). Live points are kept this long; longer ranges refetch their history.
const LIVE_MS = 5 * 60_000;

interface Band {
  low: number;
  high: number;
}

interface Sample {
  t: number;
  reference: number | null;
  bidBand: Band | null;
  askBand: Band | null;
  bestBid: number | null;
  bestAsk: number | null;
  bids: number[];
  asks: number[];
}

const num = (value: string | null) => (value === null ? null : Number(value));
const band = (low: string | null, high: string | null): Band | null => (low === null || high === null ? null : { low: Number(low), high: Number(high) });

function liveSample(detail: BotDetail): Sample | null {
  if (!detail.market) return null;
  const reference = num(detail.market.referencePrice);
  const spreads = detail.bot.config?.band;
  return {
    t: detail.market.updatedAt.getTime(),
    reference,
    bidBand: reference !== null && spreads ? { low: reference * (1 - spreads.maxSpread), high: reference * (1 - spreads.minSpread) } : null,
    askBand: reference !== null && spreads ? { low: reference * (1 + spreads.minSpread), high: reference * (1 + spreads.maxSpread) } : null,
    bestBid: num(detail.market.bestBid),
    bestAsk: num(detail.market.bestAsk),
    bids: detail.openOrders.filter((o) => o.side === "BUY").map((o) => Number(o.price)),
    asks: detail.openOrders.filter((o) => o.side === "SELL").map((o) => Number(o.price)),
  };
}

function recordedSample(s: MarketHistory["samples"][number]): Sample {
  return {
    t: s.time.getTime(),
    reference: num(s.referencePrice),
    bidBand: band(s.bidBandLow, s.bidBandHigh),
    askBand: band(s.askBandLow, s.askBandHigh),
    bestBid: num(s.bestBid),
    bestAsk: num(s.bestAsk),
    bids: s.ourBid === null ? [] : [Number(s.ourBid)],
    asks: s.ourAsk === null ? [] : [Number(s.ourAsk)],
  };
}

/** Reference price, the market's best bid and ask, the quoting band and our orders: recorded history, then live. */
export function LiveMarketChart({ detail }: { detail: BotDetail }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<MarketHistoryRange>("5m");
  const [live, setLive] = useState<Sample[]>([]);
  const latest = liveSample(detail);
  const history = useQuery({
    ...trpc.bots.marketHistory.queryOptions({ botId: detail.bot.id, range }),
    // Five minutes are read once: live points follow. Longer ranges move on by their steps.
    refetchInterval: range === "5m" ? false : 30_000,
    staleTime: range === "5m" ? Infinity : 0,
  });

  useEffect(() => {
    if (!latest) return;
    // One sample per snapshot the engine wrote; a re-render with the same snapshot changes nothing.
    setLive((previous) => (previous.at(-1)?.t === latest.t ? previous : [...previous, latest].filter((sample) => sample.t > latest.t - LIVE_MS)));
  }, [latest]);

  const recorded = history.data?.samples.map(recordedSample) ?? [];
  const recordedUntil = recorded.at(-1)?.t ?? -Infinity;
  const to = Math.max(latest?.t ?? 0, history.data?.to.getTime() ?? 0);
  const from = to - MARKET_HISTORY_SETTINGS[range].lengthMs;
  const samples = [...recorded, ...live.filter((s) => s.t > recordedUntil)].filter((s) => s.t > from);

  const choice = <RangeChoice label="Market chart range" options={MARKET_HISTORY_RANGES} value={range} onChange={setRange} />;

  // The recorded history first: drawing the live points alone meanwhile would open on an empty chart.
  if (history.isPending || samples.length === 0) {
    return (
      <section aria-label="Market chart" className="space-y-1.5">
        {choice}
        <div className="grid h-40 place-items-center rounded border border-dashed border-neutral-800 text-xs text-neutral-500">
          {history.isPending
            ? "Loading the recorded market…"
            : history.isError
              ? `Could not load the recorded market: ${history.error.message}`
              : "No market data from the engine yet: the chart starts when the bot runs."}
        </div>
      </section>
    );
  }
  const decimals = priceDecimals(detail.market?.bestBid ?? history.data?.samples.at(-1)?.bestBid ?? null);
  const bandOf = (pick: (s: Sample) => Band | null) =>
    samples.flatMap((s) => {
      const edges = pick(s);
      return edges ? [{ t: s.t, ...edges }] : [];
    });
  const bands = [
    { name: "band", className: "fill-emerald-500/10", points: bandOf((s) => s.askBand) },
    { name: "band", className: "fill-emerald-500/10", points: bandOf((s) => s.bidBand) },
  ].filter((b) => b.points.length > 0);
  const withinDay = MARKET_HISTORY_SETTINGS[range].lengthMs < 86_400_000;
  return (
    <section aria-label="Market chart" className="space-y-1.5">
      {choice}
      <LineChart
        title={`Market and our orders (last ${MARKET_HISTORY_SETTINGS[range].label})`}
        height={200}
        from={from}
        to={to}
        gapMs={Math.max(5_000, (history.data?.stepMs ?? 1_000) * 3)}
        formatValue={(v) => formatPrice(v.toFixed(decimals))}
        formatTime={(t) => (withinDay ? formatTime(new Date(t)) : formatDateTime(new Date(t)).slice(5, 16))}
        bands={bands}
        series={[
          { name: "reference", className: "stroke-neutral-100", points: samples.map((s) => ({ t: s.t, v: s.reference })) },
          { name: "market ask", className: "stroke-orange-500/80", points: samples.map((s) => ({ t: s.t, v: s.bestAsk })) },
          // The touch is a tick or two wide, so at this scale bid and ask lie on one another: the bid is drawn over
          // the ask, dashed, so both stay visible.
          { name: "market bid", className: "stroke-sky-400 [stroke-dasharray:6_5]", points: samples.map((s) => ({ t: s.t, v: s.bestBid })) },
          { name: "our bids", className: "stroke-sky-300", dots: true, points: samples.flatMap((s) => s.bids.map((v) => ({ t: s.t, v }))) },
          { name: "our asks", className: "stroke-orange-300", dots: true, points: samples.flatMap((s) => s.asks.map((v) => ({ t: s.t, v }))) },
        ]}
      />
    </section>
  );
}
