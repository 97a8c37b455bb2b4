// A config change request's replay (the engine's change-replays worker): the base and the proposed config over the
// pair's last hours of recorded market data, as the request's page shows them side by side.
import type { Prisma } from "@bandkeeper/db/client";
import { z } from "zod";

export const CHANGE_REPLAY_STATUSES = ["PENDING", "RUNNING", "DONE", "FAILED", "NO_DATA"] as const;

/** Replay's KPI report (apps/engine/src/replay/replay-report.ts): fractions 0..1, null without a denominator. */
export const replayReportOutput = z.object({
  spreadCompliance: z.number().nullable(),
  twoSided: z.number().nullable(),
  depthCompliance: z.number().nullable(),
  fillsPerHour: z.number().nullable(),
  responseLatencyMs: z.object({ p50: z.number().nullable(), p99: z.number().nullable(), count: z.number() }),
  ordersPlaced: z.number(),
  ordersFilled: z.number(),
  runningMs: z.number(),
});

export type ReplayReportView = z.infer<typeof replayReportOutput>;

export const changeReplayOutput = z.object({
  status: z.enum(CHANGE_REPLAY_STATUSES),
  // 0..1 of the two replays' simulated time.
  progress: z.number(),
  // Why it is FAILED or NO_DATA.
  message: z.string().nullable(),
  // The stretch of recorded data replayed.
  dataFrom: z.date().nullable(),
  dataTo: z.date().nullable(),
  base: replayReportOutput.nullable(),
  proposed: replayReportOutput.nullable(),
  // The proposed config's HTML report can be opened (changes.replayReport).
  hasHtmlReport: z.boolean(),
  wallMs: z.number().int().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});

export type ChangeReplayView = z.infer<typeof changeReplayOutput>;

export const changeReplaySelect = {
  status: true,
  progress: true,
  message: true,
  dataFrom: true,
  dataTo: true,
  baseReport: true,
  proposedReport: true,
  wallMs: true,
  createdAt: true,
  finishedAt: true,
} as const satisfies Prisma.ChangeRequestReplaySelect;

type ChangeReplayRow = Prisma.ChangeRequestReplayGetPayload<{ select: typeof changeReplaySelect }> & { hasHtmlReport: boolean };

export function toChangeReplayView(row: ChangeReplayRow): ChangeReplayView {
  return {
    status: row.status,
    progress: row.progress,
    message: row.message,
    dataFrom: row.dataFrom,
    dataTo: row.dataTo,
    base: storedReport(row.baseReport),
    proposed: storedReport(row.proposedReport),
    hasHtmlReport: row.hasHtmlReport,
    wallMs: row.wallMs,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

/** A report as the engine stored it; one this page cannot read shows as none rather than failing the page. */
function storedReport(json: Prisma.JsonValue): ReplayReportView | null {
  const parsed = replayReportOutput.safeParse(json);
  return parsed.success ? parsed.data : null;
}
