"use client";

import { KPI_TARGETS, TARGETED_KPIS, kpiValue } from "@bandkeeper/core/kpi";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatKpi } from "~/components/kpi-targets-table";
import { LineChart } from "~/components/line-chart";
import { KpiTargetsTable } from "~/components/kpi-targets-table";
import { formatDateTime, formatTime } from "~/lib/format";
import { KPI_RANGES, type KpiRange } from "~/server/kpis/windows";
import { useTRPC } from "~/trpc/react";

export function KpiCharts({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<KpiRange>("1h");
  // Short ranges move every minute; long ones need no hurry.
  const series = useQuery({
    ...trpc.bots.kpiSeries.queryOptions({ botId, range }),
    refetchInterval: range === "1h" ? 5_000 : 60_000,
    placeholderData: (previous) => previous,
  });

  return (
    <section aria-labelledby="kpi-heading">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="kpi-heading" className="text-sm font-semibold text-neutral-200">
          KPIs
        </h2>
        <div role="group" aria-label="KPI range" className="flex overflow-hidden rounded border border-neutral-800 text-xs">
          {KPI_RANGES.map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={range === option}
              onClick={() => setRange(option)}
              className={`px-2.5 py-1 font-mono ${range === option ? "bg-neutral-800 text-neutral-50" : "text-neutral-400 hover:bg-neutral-900"}`}
            >
              {option}
            </button>
          ))}
        </div>
        {series.data && (
          <span className="text-xs text-neutral-500">
            {formatDateTime(series.data.from)} – {formatDateTime(series.data.to)} UTC
          </span>
        )}
      </div>
      {series.isPending ? (
        <p className="mt-2 text-xs text-neutral-500">Loading KPIs…</p>
      ) : series.data === undefined ? (
        <p role="alert" className="mt-2 text-xs text-red-300">
          Could not load KPIs: {series.error?.message ?? "no answer"}
        </p>
      ) : (
        <>
          <div className="mt-2 max-w-md">
            <KpiTargetsTable caption={`KPIs over ${range}`} columns={[{ label: range, summary: series.data.total }]} />
          </div>
          <div className="mt-2 grid gap-2 md:grid-cols-2 2xl:grid-cols-3">
            {TARGETED_KPIS.map((kpi) => {
              const { target, unit, label } = KPI_TARGETS[kpi];
              const short = series.data.pointMs < 3_600_000;
              return (
                <LineChart
                  key={kpi}
                  title={label}
                  height={110}
                  from={series.data.from.getTime()}
                  to={series.data.to.getTime()}
                  formatValue={(v) => formatKpi(kpi, v)}
                  formatTime={(t) => (short ? formatTime(new Date(t)) : formatDateTime(new Date(t)).slice(5, 16))}
                  include={[target]}
                  lines={[{ name: `target ${unit === "ms" ? `${target} ms` : `${target * 100}%`}`, value: target, className: "stroke-amber-500/60" }]}
                  series={[
                    {
                      name: label,
                      className: "stroke-emerald-400",
                      points: series.data.points.map((p) => ({ t: p.start.getTime(), v: kpiValue(p.summary, kpi) })),
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
