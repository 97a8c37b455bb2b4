// GET /api/health: 200 {"status":"ok","database":"ok"} while the dashboard and its database answer, else 503.
// For load balancers and container probes; no session needed, nothing secret in it.
import { db } from "~/server/db";
import { webHealth } from "~/server/health";

export async function GET(): Promise<Response> {
  const health = await webHealth(db());
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
