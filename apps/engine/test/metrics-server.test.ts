// The engine's HTTP side as an operator's probes and Prometheus see it: /metrics, /healthz, a port already taken,
// and `--help`, over real sockets and a real child process.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { EngineMetrics, EngineServeError } from "../src/observability/metrics";

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe("the engine's metrics server", () => {
  it("serves /metrics and a /healthz that reports what the engine says, 503 when it is not ok", async () => {
    let ok = true;
    const server = await new EngineMetrics().serve(0, "127.0.0.1", () => ({ ok, mode: "test" }));
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
    const first = await new EngineMetrics().serve(0);
    servers.push(first);
    const second = new EngineMetrics().serve(first.port);
    await expect(second).rejects.toBeInstanceOf(EngineServeError);
    await expect(second).rejects.toThrow(`ENGINE_METRICS_PORT: port ${first.port} on 127.0.0.1 is in use`);
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
  });
});
