"use client";

import { KPI_TARGETS, TARGETED_KPIS, kpiValue } from "@bandkeeper/core/kpi";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { KpiTargetsTable, formatKpi } from "~/components/kpi-targets-table";
import { LineChart } from "~/components/line-chart";
import { RangeChoice } from "~/components/range-choice";
import { formatDateTime, formatTime } from "~/lib/format";
import type { KPI_SERIES_RANGES } from "~/server/routers/bots/kpi-series";
import { useTRPC } from "~/trpc/react";

type SeriesRange = (typeof KPI_SERIES_RANGES)[number];
const PRESETS = ["1h", "24h", "7d", "30d"] as const satisfies readonly SeriesRange[];
const KPI_RANGE_OPTIONS = [...PRESETS, "custom"] as const;
const DAY_MS = 86_400_000;

// datetime-local inputs read and write UTC here, like every time on the dashboard.
const toInput = (time: number) => new Date(time).toISOString().slice(0, 16);
const fromInput = (value: string) => (value ? Date.parse(`${value}:00Z`) : Number.NaN);

function CustomRange({ onApply }: { onApply: (from: Date, to: Date) => void }) {
  const [from, setFrom] = useState(() => toInput(Date.now() - 3 * DAY_MS));
  const [to, setTo] = useState(() => toInput(Date.now()));
  const start = fromInput(from);
  const end = fromInput(to);
  const problem =
    Number.isNaN(start) || Number.isNaN(end) ? "Give both a start and an end." : end <= start ? "The end must be after the start." : end - start > 366 * DAY_MS ? "A custom range is at most 366 days." : null;
  const input = "ml-1 rounded border border-neutral-700 bg-neutral-950 px-1.5 py-0.5 font-mono text-xs text-neutral-100";
  return (
    <form
      className="flex flex-wrap items-center gap-2 text-xs text-neutral-400"
      onSubmit={(event) => {
        event.preventDefault();
        if (!problem) onApply(new Date(start), new Date(end));
      }}
    >
      <label>
        From (UTC)
        <input type="datetime-local" value={from} onChange={(event) => setFrom(event.target.value)} className={input} />
      </label>
      <label>
        To (UTC)
        <input type="datetime-local" value={to} onChange={(event) => setTo(event.target.value)} className={input} />
      </label>
      <button type="submit" disabled={problem !== null} className="rounded bg-neutral-800 px-2.5 py-1 font-medium text-neutral-100 hover:bg-neutral-700 disabled:opacity-50">
        Show
      </button>
      {problem && <span className="text-amber-300">{problem}</span>}
    </form>
  );
}

export function KpiCharts({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<SeriesRange>("1h");
  const [custom, setCustom] = useState<{ from: Date; to: Date } | null>(null);
  const input = range === "custom" && custom ? { botId, range, from: custom.from, to: custom.to } : { botId, range: range === "custom" ? "1h" : range };
  // Short ranges move every minute; long ones need no hurry; a custom range is fixed.
  const series = useQuery({
    ...trpc.bots.kpiSeries.queryOptions(input),
    refetchInterval: range === "1h" ? 5_000 : range === "custom" ? false : 60_000,
    placeholderData: (previous) => previous,
  });
  const data = series.data;
  const label = range === "custom" ? "custom range" : range;

  return (
    <section aria-labelledby="kpi-heading">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="kpi-heading" className="text-sm font-semibold text-neutral-200">
          KPIs
        </h2>
        <RangeChoice label="KPI range" options={KPI_RANGE_OPTIONS} value={range} onChange={setRange} className="flex" />
        {data && (
          <span className="text-xs text-neutral-500">
            {formatDateTime(data.from)} – {formatDateTime(data.to)} UTC
          </span>
        )}
      </div>
      {range === "custom" && (
        <div className="mt-2">
          <CustomRange onApply={(from, to) => setCustom({ from, to })} />
          {!custom && <p className="mt-1 text-xs text-neutral-500">Pick a range and press Show.</p>}
        </div>
      )}
      {range === "custom" && !custom ? null : series.isPending ? (
        <p className="mt-2 text-xs text-neutral-500">Loading KPIs…</p>
      ) : data === undefined ? (
        <p role="alert" className="mt-2 text-xs text-red-300">
          Could not load KPIs: {series.error?.message ?? "no answer"}
        </p>
      ) : (
        <>
          <div className="mt-2 max-w-md">
            <KpiTargetsTable caption={`KPIs over ${label}`} columns={[{ label, summary: data.total }]} />
          </div>
          <div className="mt-2 grid gap-2 md:grid-cols-2 2xl:grid-cols-3">
            {TARGETED_KPIS.map((kpi) => {
              const { target, unit, label: kpiLabel } = KPI_TARGETS[kpi];
              // Times of day alone while the range is shorter than a day; with the date beyond.
              const withinDay = data.to.getTime() - data.from.getTime() < DAY_MS;
              return (
                <LineChart
                  key={kpi}
                  title={kpiLabel}
                  height={110}
                  from={data.from.getTime()}
                  to={data.to.getTime()}
                  // A period without a row is one the bot did not run; one with nothing to measure is stepped over.
                  gapMs={data.pointMs * 1.5}
                  formatValue={(v) => formatKpi(kpi, v)}
                  formatTime={(t) => (withinDay ? formatTime(new Date(t)) : formatDateTime(new Date(t)).slice(5, 16))}
                  include={[target]}
                  lines={[{ name: `target ${unit === "ms" ? `${target} ms` : `${target * 100}%`}`, value: target, className: "stroke-amber-500/60" }]}
                  series={[
                    {
                      name: kpiLabel,
                      className: "stroke-emerald-400",
                      points: data.points.map((p) => ({ t: p.start.getTime(), v: kpiValue(p.summary, kpi) })),
                    },
                  ]}
                />
              );
            })}
          </div>
        </>
      )}
    </section>
  );
}
