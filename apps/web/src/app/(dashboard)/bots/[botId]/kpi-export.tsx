"use client";

import { useState } from "react";
import { KPI_EXPORT_RESOLUTIONS, type KpiExportResolution } from "~/server/kpis/windows";

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** A plain GET form: the browser downloads the CSV; a refused request shows the server's reason. */
export function KpiExport({ botId }: { botId: string }) {
  const [from, setFrom] = useState(daysAgo(6));
  const [to, setTo] = useState(today());
  const [resolution, setResolution] = useState<KpiExportResolution>("hour");
  const href = `/api/bots/${encodeURIComponent(botId)}/kpis?${new URLSearchParams({ from, to, resolution }).toString()}`;
  const input = "mt-1 block w-full rounded border border-neutral-700 bg-neutral-950 px-2 py-1 font-mono text-sm text-neutral-100";
  return (
    <div className="rounded border border-neutral-800 p-3 text-xs">
      <p className="text-neutral-400">
        Milliseconds, counts and ratios per {resolution} (definitions in the KPI notes, docs/kpis.md), UTC days, both included, with a total row:
        minute rows for up to 7 days, hourly for up to a year, daily for up to 10 years.
      </p>
      <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-3">
        <label className="text-neutral-400">
          From
          <input type="date" value={from} max={to} onChange={(event) => setFrom(event.target.value)} className={input} />
        </label>
        <label className="text-neutral-400">
          To
          <input type="date" value={to} min={from} onChange={(event) => setTo(event.target.value)} className={input} />
        </label>
        <label className="text-neutral-400">
          Rows
          <select value={resolution} onChange={(event) => setResolution(KPI_EXPORT_RESOLUTIONS.find((option) => option === event.target.value) ?? "hour")} className={input}>
            <option value="hour">Hourly</option>
            <option value="minute">Per minute</option>
            <option value="day">Daily</option>
          </select>
        </label>
      </div>
      <a href={href} className="mt-3 inline-block rounded bg-neutral-800 px-3 py-1.5 text-sm font-medium text-neutral-100 hover:bg-neutral-700">
        Download CSV
      </a>
    </div>
  );
}
