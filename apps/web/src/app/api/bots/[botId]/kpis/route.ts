// GET /api/bots/:botId/kpis?from=2026-11-01&to=2026-11-27&resolution=hour (or minute, day): the bot's KPIs as CSV,
// for reporting to an exchange or issuer. The tRPC procedure checks the session, the role and the team.
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError } from "zod";
import { getSessionUser } from "~/server/auth";
import { db } from "~/server/db";
import { kpiCsv } from "~/server/kpis/csv";
import { createCaller } from "~/server/routers";
import { KPI_EXPORT_RESOLUTIONS, type KpiExportResolution } from "~/server/kpis/windows";

const parseResolution = (value: string | null): KpiExportResolution =>
  KPI_EXPORT_RESOLUTIONS.find((resolution) => resolution === value) ?? "hour";

export async function GET(request: Request, { params }: { params: Promise<{ botId: string }> }): Promise<Response> {
  const { botId } = await params;
  const query = new URL(request.url).searchParams;
  const caller = createCaller({ db: db(), user: await getSessionUser() });
  try {
    const exported = await caller.bots.kpiExport({
      botId,
      from: query.get("from") ?? "",
      to: query.get("to") ?? "",
      resolution: parseResolution(query.get("resolution")),
    });
    const name = `bandkeeper-kpis-${exported.symbol}-${query.get("from")}-${query.get("to")}-${exported.resolution}.csv`;
    return new Response(kpiCsv(exported.buckets), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${name}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const detail =
      error.cause instanceof ZodError
        ? error.cause.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n")
        : error.message;
    return new Response(`${detail}\n`, { status: getHTTPStatusCodeFromError(error), headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
