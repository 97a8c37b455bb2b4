"use client";

import { useEffect, useState } from "react";
import { LineChart } from "~/components/line-chart";
import { formatPrice, formatTime, priceDecimals } from "~/lib/format";
import type { BotDetail } from "~/server/routers/bots/detail";

// What the chart remembers: the last few minutes of the bot's market as the page polled it.
const WINDOW_MS = 5 * 60_000;

interface Sample {
  t: number;
  reference: number | null;
  bestBid: number | null;
  bestAsk: number | null;
  bids: number[];
  asks: number[];
}

function sampleOf(detail: BotDetail): Sample | null {
  if (!detail.market) return null;
  const num = (value: string | null) => (value === null ? null : Number(value));
  return {
    t: detail.market.updatedAt.getTime(),
    reference: num(detail.market.referencePrice),
    bestBid: num(detail.market.bestBid),
    bestAsk: num(detail.market.bestAsk),
    bids: detail.openOrders.filter((o) => o.side === "BUY").map((o) => Number(o.price)),
    asks: detail.openOrders.filter((o) => o.side === "SELL").map((o) => Number(o.price)),
  };
}

/** Reference price, the market's best bid and ask, the quoting band and our orders, live. */
export function LiveMarketChart({ detail }: { detail: BotDetail }) {
  const [samples, setSamples] = useState<Sample[]>([]);
  const latest = sampleOf(detail);

  useEffect(() => {
    if (!latest) return;
    // One sample per snapshot the engine wrote; a re-render with the same snapshot changes nothing.
    setSamples((previous) =>
      previous.at(-1)?.t === latest.t ? previous : [...previous, latest].filter((sample) => sample.t > latest.t - WINDOW_MS),
    );
  }, [latest]);

  if (!latest) {
    return (
      <div className="grid h-40 place-items-center rounded border border-dashed border-neutral-800 text-xs text-neutral-500">
        No market data from the engine yet: the chart starts when the bot runs.
      </div>
    );
  }
  const band = detail.bot.config?.band;
  const decimals = priceDecimals(detail.market?.bestBid ?? null);
  const withReference = samples.filter((s): s is Sample & { reference: number } => s.reference !== null);
  const bands = band
    ? [
        {
          name: "band",
          className: "fill-emerald-500/10",
          points: withReference.map((s) => ({ t: s.t, low: s.reference * (1 + band.minSpread), high: s.reference * (1 + band.maxSpread) })),
        },
        {
          name: "band",
          className: "fill-emerald-500/10",
          points: withReference.map((s) => ({ t: s.t, low: s.reference * (1 - band.maxSpread), high: s.reference * (1 - band.minSpread) })),
        },
      ]
    : [];
  return (
    <LineChart
      title="Market and our orders (last 5 min)"
      height={200}
      formatValue={(v) => formatPrice(v.toFixed(decimals))}
      formatTime={(t) => formatTime(new Date(t))}
      bands={bands.filter((b) => b.points.length > 0)}
      series={[
        { name: "reference", className: "stroke-neutral-100", points: samples.map((s) => ({ t: s.t, v: s.reference })) },
        { name: "market bid", className: "stroke-sky-500/70", points: samples.map((s) => ({ t: s.t, v: s.bestBid })) },
        { name: "market ask", className: "stroke-orange-500/70", points: samples.map((s) => ({ t: s.t, v: s.bestAsk })) },
        { name: "our bids", className: "stroke-sky-300", dots: true, points: samples.flatMap((s) => s.bids.map((v) => ({ t: s.t, v }))) },
        { name: "our asks", className: "stroke-orange-300", dots: true, points: samples.flatMap((s) => s.asks.map((v) => ({ t: s.t, v }))) },
      ]}
    />
  );
}
