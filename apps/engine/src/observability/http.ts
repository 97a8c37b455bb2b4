// The engine's HTTP side for operators: /metrics for Prometheus, /healthz (liveness: the process answers) and
// /readyz (readiness: the database answers, the leases are being renewed, the market streams are connected).
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

/** What /healthz reports: `ok` decides the status code; the rest is shown as it is. */
export interface EngineHealth {
  readonly ok: boolean;
  readonly [detail: string]: unknown;
}

/** One readiness condition: whether it holds and, when it does not, why. */
export interface ReadinessCheck {
  ok: boolean;
  detail?: string;
}

/** What /readyz reports: every check by name; ready when all hold. */
export type EngineReadiness = () => Promise<Record<string, ReadinessCheck>>;

/** The metrics server could not start, for a reason the operator can fix (the message says which setting). */
export class EngineServeError extends Error {
  override name = "EngineServeError";
}

export interface ServeOptions {
  port: number;
  host?: string;
  health?: () => EngineHealth;
  readiness?: EngineReadiness;
}

/** A readiness check that has not answered after this long counts as failed (a hung database, not a slow probe). */
const READINESS_TIMEOUT_MS = 2_000;

/**
 * Serves /metrics, /healthz and /readyz on the port (0 picks a free one) of the host (default 127.0.0.1); resolves
 * to the bound port. /healthz answers 200 with what `health` reports while the process runs its loop (a wedged event
 * loop does not answer at all), or 503 when `health` says it is not ok. /readyz answers 200 when every check holds,
 * else 503, with each check in the body. A port another process holds, or an address this host does not have, is an
 * EngineServeError naming the setting, not a stack trace.
 */
export async function serveMetrics(registry: Registry, options: ServeOptions): Promise<{ port: number; host: string; close(): Promise<void> }> {
  const { port, host = "127.0.0.1", health = () => ({ ok: true }), readiness } = options;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    const json = (status: number, body: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (path === "/healthz") {
      const report = health();
      json(report.ok ? 200 : 503, { status: report.ok ? "ok" : "unhealthy", ...report });
      return;
    }
    if (path === "/readyz") {
      checkReadiness(readiness).then(
        (checks) => {
          const ready = Object.values(checks).every((check) => check.ok);
          json(ready ? 200 : 503, { status: ready ? "ready" : "not ready", checks });
        },
        (error: unknown) => json(503, { status: "not ready", error: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    if (path !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => response.writeHead(200, { "content-type": registry.contentType }).end(body),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(serveError(error, port, host)));
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function checkReadiness(readiness: EngineReadiness | undefined): Promise<Record<string, ReadinessCheck>> {
  if (!readiness) return {};
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`readiness checks did not answer within ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([readiness(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function serveError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  if (error.code === "EADDRINUSE") {
    return new EngineServeError(`ENGINE_METRICS_PORT: port ${port} on ${host} is in use (another engine?); set ENGINE_METRICS_PORT to a free port, or 0 for any`);
  }
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") {
    return new EngineServeError(`ENGINE_METRICS_HOST: ${host} is not an address of this machine (${error.code}); use 127.0.0.1, 0.0.0.0 for every interface, or one of its addresses`);
  }
  if (error.code === "EACCES") return new EngineServeError(`ENGINE_METRICS_PORT: port ${port} needs privileges this process does not have; use a port above 1023`);
  return error;
}

/** A check that holds when `probe` resolves within the time allowed, and fails with its error otherwise. */
export async function probeCheck(probe: () => Promise<unknown>, timeoutMs = 1_500): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, detail: message.split("\n").find((line) => line.trim() !== "")?.trim() ?? "failed" };
  } finally {
    clearTimeout(timer);
  }
}
