"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Notice, buttonClass } from "~/components/forms";
import type { ChangeReplayView } from "~/server/routers/changes/change-replay";
import { useTRPC } from "~/trpc/react";
import { replayKpiRows } from "../_lib/replay-kpis";
import { formatUtc } from "../_lib/ui";

// What the change would have done: the engine replays the config the request was written against and the proposed
// one over the pair's most recent recorded market data (apps/engine/src/change-replays), and this shows the two
// KPI reports side by side. The page polls the request, so progress and the result arrive by themselves.
export function ReplayPanel({ requestId, replay, baseLabel }: { requestId: string; replay: ChangeReplayView; baseLabel: string }) {
  return (
    <section aria-labelledby="replay-heading" className="space-y-2" data-testid="change-replay" data-status={replay.status}>
      <h2 id="replay-heading" className="text-xs font-medium uppercase tracking-wide text-neutral-400">
        Replay over recent market data
      </h2>
      <ReplayBody requestId={requestId} replay={replay} baseLabel={baseLabel} />
    </section>
  );
}

function ReplayBody({ requestId, replay, baseLabel }: { requestId: string; replay: ChangeReplayView; baseLabel: string }) {
  switch (replay.status) {
    case "PENDING":
      return (
        <Notice tone="info">
          Waiting for an engine to replay {baseLabel} and the proposal (engines that record market data,
          ENGINE_MARKET_TAPES_DIR, do).
        </Notice>
      );
    case "RUNNING":
      return (
        <div className="space-y-1">
          <p className="text-neutral-300">Replaying {baseLabel} and the proposal…</p>
          <progress className="w-full" max={1} value={replay.progress} aria-label="Replay progress">
            {Math.round(replay.progress * 100)}%
          </progress>
        </div>
      );
    case "NO_DATA":
      return <Notice tone="info">{replay.message ?? "No market data is recorded for this pair yet."}</Notice>;
    case "FAILED":
      return <Notice tone="warning">{replay.message ?? "The replay failed."}</Notice>;
    case "DONE":
      return <ReplayResult requestId={requestId} replay={replay} baseLabel={baseLabel} />;
  }
}

function ReplayResult({ requestId, replay, baseLabel }: { requestId: string; replay: ChangeReplayView; baseLabel: string }) {
  if (!replay.base || !replay.proposed) return <Notice tone="warning">The replay finished, but its reports cannot be read.</Notice>;
  const rows = replayKpiRows(replay.base, replay.proposed);
  const minutes = replay.dataFrom && replay.dataTo ? Math.round((replay.dataTo.getTime() - replay.dataFrom.getTime()) / 60_000) : null;
  return (
    <div className="space-y-2">
      <p className="text-xs text-neutral-400">
        {minutes !== null && replay.dataFrom && replay.dataTo && (
          <>
            {minutes} min of recorded market data, <time dateTime={replay.dataFrom.toISOString()}>{formatUtc(replay.dataFrom)}</time> to{" "}
            <time dateTime={replay.dataTo.toISOString()}>{formatUtc(replay.dataTo)}</time>
          </>
        )}
        {replay.wallMs !== null && <> · replayed in {(replay.wallMs / 1000).toFixed(1)} s</>}
      </p>
      <div className="overflow-x-auto rounded border border-neutral-800">
        <table className="w-full border-collapse" data-testid="replay-kpis">
          <caption className="sr-only">KPIs of the replay, {baseLabel} against the proposal</caption>
          <thead className="bg-neutral-900/60 text-xs uppercase tracking-wide text-neutral-500">
            <tr>
              <th scope="col" className="px-2 py-1.5 text-left font-medium">
                KPI
              </th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">
                {baseLabel}
              </th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">
                proposed
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-neutral-800/70">
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row" className="px-2 py-1 text-left font-normal text-neutral-200">
                  {row.label}
                </th>
                <td className="px-2 py-1 text-right font-mono tabular-nums text-neutral-300">{row.base}</td>
                <td className="px-2 py-1 text-right font-mono tabular-nums text-neutral-100">{row.proposed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {replay.hasHtmlReport && <HtmlReportDownload requestId={requestId} />}
    </div>
  );
}

// The proposal's HTML replay report (prices, quotes, KPI timeline, breach episodes) as a file to open: a page with
// inline scripts and styles, which the dashboard's Content-Security-Policy rightly refuses to run inside it.
function HtmlReportDownload({ requestId }: { requestId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const download = async () => {
    setLoading(true);
    setProblem(null);
    try {
      const { html } = await queryClient.fetchQuery(trpc.changes.replayReport.queryOptions({ id: requestId }));
      const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `replay-report-${requestId}.html`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setLoading(false);
    }
  };
  return (
    <div className="space-y-1">
      <button type="button" className={buttonClass.secondary} disabled={loading} onClick={() => void download()}>
        {loading ? "Preparing the report…" : "Download the proposal's replay report (HTML)"}
      </button>
      {problem && <Notice tone="error">Could not load the report: {problem}</Notice>}
    </div>
  );
}
