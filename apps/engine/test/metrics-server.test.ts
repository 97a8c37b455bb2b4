// The engine's HTTP side as an operator's probes and Prometheus see it: /metrics, /healthz, /readyz, the bind
// address, a port already taken, and `--help`, over real sockets and a real child process.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { probeCheck } from "../src/observability/http";
import { EngineMetrics, EngineServeError, type ReadinessCheck } from "../src/observability/metrics";

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe("the engine's metrics server", () => {
  it("serves /metrics and a /healthz that reports what the engine says, 503 when it is not ok", async () => {
    let ok = true;
    const server = await new EngineMetrics().serve({ port: 0, host: "127.0.0.1", health: () => ({ ok, mode: "test" }) });
    servers.push(server);
    const base = `http://127.0.0.1:${server.port}`;

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("bandkeeper_engine_process_cpu_seconds_total");

    const healthy = await fetch(`${base}/healthz`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ status: "ok", ok: true, mode: "test" });

    ok = false;
    const unhealthy = await fetch(`${base}/healthz?verbose=1`);
    expect(unhealthy.status).toBe(503);
    expect(await unhealthy.json()).toMatchObject({ status: "unhealthy" });

    expect((await fetch(`${base}/other`)).status).toBe(404);
  });

  it("names the setting when its port is taken, instead of dying with EADDRINUSE", async () => {
    const first = await new EngineMetrics().serve({ port: 0 });
    servers.push(first);
    const second = new EngineMetrics().serve({ port: first.port });
    await expect(second).rejects.toBeInstanceOf(EngineServeError);
    await expect(second).rejects.toThrow(`ENGINE_METRICS_PORT: port ${first.port} on 127.0.0.1 is in use`);
  });

  it("/readyz: 200 when every check holds, 503 naming the one that does not, 503 when the checks hang", async () => {
    let database: ReadinessCheck = { ok: true };
    let hang = false;
    const server = await new EngineMetrics().serve({
      port: 0,
      readiness: () => (hang ? new Promise(() => undefined) : Promise.resolve({ database, leases: { ok: true, detail: "renewed 0.2 s ago" } })),
    });
    servers.push(server);
    const url = `http://127.0.0.1:${server.port}/readyz`;

    const ready = await fetch(url);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: { ok: true }, leases: { ok: true, detail: "renewed 0.2 s ago" } } });

    database = { ok: false, detail: "connect ECONNREFUSED 127.0.0.1:5432" };
    const notReady = await fetch(url);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: "not ready", checks: { database: { ok: false, detail: "connect ECONNREFUSED 127.0.0.1:5432" }, leases: { ok: true } } });

    hang = true;
    const hung = await fetch(url);
    expect(hung.status).toBe(503);
    expect(await hung.json()).toMatchObject({ status: "not ready", error: expect.stringContaining("did not answer") as unknown });
  });

  it("listens on the host it is given: every interface with 0.0.0.0; an address the machine lacks names ENGINE_METRICS_HOST", async () => {
    const everywhere = await new EngineMetrics().serve({ port: 0, host: "0.0.0.0" });
    servers.push(everywhere);
    expect(everywhere.host).toBe("0.0.0.0");
    expect((await fetch(`http://127.0.0.1:${everywhere.port}/healthz`)).status).toBe(200);

    const foreign = new EngineMetrics().serve({ port: 0, host: "192.0.2.1" });
    await expect(foreign).rejects.toBeInstanceOf(EngineServeError);
    await expect(foreign).rejects.toThrow(/^ENGINE_METRICS_HOST: 192\.0\.2\.1 is not an address of this machine/);
  });

  it("probeCheck: a probe that resolves holds; one that fails or hangs does not, with the first line of why", async () => {
    expect(await probeCheck(() => Promise.resolve(1))).toEqual({ ok: true });
    expect(await probeCheck(() => Promise.reject(new Error("\nconnect ECONNREFUSED\nmore")))).toEqual({ ok: false, detail: "connect ECONNREFUSED" });
    expect(await probeCheck(() => new Promise(() => undefined), 50)).toEqual({ ok: false, detail: "no answer within 50 ms" });
  });
});

describe("npm run engine -- --help", () => {
  it("prints the usage and the main settings, and exits 0 without touching a database", async () => {
    const cwd = fileURLToPath(new URL("..", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/main.ts", "--help"], {
      cwd,
      env: { ...process.env, DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" },
      timeout: 30_000,
    });
    expect(stdout).toContain("Usage: npm run engine");
    expect(stdout).toContain("ENGINE_METRICS_PORT");
    expect(stdout).toContain("ENGINE_METRICS_HOST");
  });
});
