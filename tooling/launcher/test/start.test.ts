// `npm start` as a person runs it: no DATABASE_URL, so an embedded PostgreSQL; the product answers, prints the demo
// logins, and Ctrl-C (SIGINT to the whole foreground process group, as a terminal sends it) stops every process
// it started in order: engine, web, simulator, postgres; no process or port is left, and one that hangs is killed
// alone after its grace period. What a launcher killed with kill -9 left running is stopped by the next start. An
// engine killed with kill -9 is restarted; a crash loop stops everything.
import { mkdtempSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "@bandkeeper/testkit";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  descendants,
  embeddedPostgresPort,
  freePorts,
  killProduct,
  leftovers,
  outputContains,
  productEnv,
  quotingBots,
  startProduct as startProductProcess,
  untilQuoting,
  type ProcessInfo,
  type Product,
} from "./product";

const dataDir = mkdtempSync(join(tmpdir(), "bk-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// A test that fails half-way leaves nothing running for the next one.
const products: Product[] = [];
afterEach(async () => {
  for (const product of products.splice(0)) if (product.child.exitCode === null) await killProduct(product);
});
const startProduct = (...args: Parameters<typeof startProductProcess>) => {
  const product = startProductProcess(...args);
  products.push(product);
  return product;
};

const enginesOf = (launcherPid: number): ProcessInfo[] => descendants(launcherPid).filter((p) => p.command.includes("apps/engine/src/main.ts"));
const engineOf = (launcherPid: number): ProcessInfo | undefined => enginesOf(launcherPid)[0];

describe("npm start", () => {
  it("stops at once, naming the variable, when a setting is malformed", async () => {
    const product = startProduct(dataDir, { DATABASE_URL: "not-a-url" });
    expect(await product.exited).toBe(1);
    expect(product.output()).toContain("DATABASE_URL: must be a postgresql:// connection URL");
  });

  it(
    "runs the product on an embedded database; Ctrl-C to the process group stops it in order and leaves nothing",
    async () => {
      const ports = await freePorts();
      const product = startProduct(dataDir, productEnv(ports));
      await outputContains(product, "Bandkeeper is running.", 480_000);
      expect(product.output()).toContain("Started embedded PostgreSQL.");
      expect(product.output()).toContain(`http://localhost:${ports.web}`);
      expect(product.output()).toContain("trader@demo.bandkeeper.local");

      // The engine's demo bots quote on the bundled simulator.
      await untilQuoting(product, ports.metrics, 3, 60_000);
      const signIn = await fetch(`http://localhost:${ports.web}/signin`);
      expect(signIn.status).toBe(200);
      expect(await signIn.text()).toContain("Sign in");
      // HOST unset: the dashboard listens on loopback only, so the machine's other addresses do not answer.
      const lan = Object.values(networkInterfaces()).flat().find((entry) => entry?.family === "IPv4" && !entry.internal)?.address;
      if (lan !== undefined) await expect(fetch(`http://${lan}:${ports.web}/signin`)).rejects.toThrow();

      const started = descendants(product.pid);
      expect(started.map((p) => p.command).join("\n")).toMatch(/postgres -D/);
      const postgresPort = embeddedPostgresPort(dataDir);
      const signalledAt = product.output().length;
      product.ctrlC();
      expect(await product.exited, product.output().slice(-3000)).toBe(0);

      const stopping = product.output().slice(signalledAt);
      const order = ["[launcher] engine stopped", "[launcher] web stopped", "[launcher] simulator stopped", "[launcher] postgres stopped"];
      expect(order.map((line) => stopping.indexOf(line)).every((at, i, all) => at >= 0 && (i === 0 || at > all[i - 1]!)), stopping).toBe(true);
      // The engine finished its stop (orders cancelled, journal flushed) while the database still answered.
      expect(stopping).toMatch(/\[engine\] \{[^\n]*"msg":"stopped"/);
      expect(stopping).not.toMatch(/SIGKILL|unreachable|Unhandled/);
      expect(await leftovers(started, [ports.web, ports.simulator, ports.metrics, postgresPort])).toEqual([]);
      await expect(fetch(`http://localhost:${ports.web}/signin`)).rejects.toThrow();
    },
    600_000,
  );

  it(
    "an engine that does not stop within its grace period is killed alone, and the output says so",
    async () => {
      const ports = await freePorts();
      const product = startProduct(dataDir, productEnv(ports, { ENGINE_STOP_GRACE_S: "20" }), ["--reuse-build"]);
      await outputContains(product, "Bandkeeper is running.", 480_000);
      await untilQuoting(product, ports.metrics, 3, 60_000);
      const started = descendants(product.pid);
      const postgresPort = embeddedPostgresPort(dataDir);
      // A hung engine: it cannot act on SIGTERM.
      process.kill(engineOf(product.pid)!.pid, "SIGSTOP");
      const signalledAt = product.output().length;
      product.ctrlC();
      expect(await product.exited, product.output().slice(-3000)).toBe(0);
      const stopping = product.output().slice(signalledAt);
      expect(stopping).toMatch(
        /\[launcher\] engine did not stop within 20 s; killing it \(SIGKILL\)[\s\S]*\[launcher\] web stopped[\s\S]*\[launcher\] simulator stopped[\s\S]*\[launcher\] postgres stopped/,
      );
      expect(stopping.match(/SIGKILL/g)).toHaveLength(1);
      expect(await leftovers(started, [ports.web, ports.simulator, ports.metrics, postgresPort])).toEqual([]);
    },
    600_000,
  );

  it(
    "after the launcher itself was killed with kill -9, the next start stops what it left and runs normally",
    async () => {
      const ports = await freePorts();
      const killed = startProduct(dataDir, productEnv(ports), ["--reuse-build"]);
      await outputContains(killed, "Bandkeeper is running.", 480_000);
      const orphaned = descendants(killed.pid);
      process.kill(killed.pid, "SIGKILL");
      await killed.exited;

      const next = startProduct(dataDir, productEnv(ports), ["--reuse-build"]);
      await outputContains(next, "Bandkeeper is running.", 480_000);
      expect(next.output()).toMatch(/\[launcher\] stopping the (simulator|web|engine) \(pid \d+\) an earlier start left running/);
      await untilQuoting(next, ports.metrics, 3, 60_000);
      const started = descendants(next.pid);
      const postgresPort = embeddedPostgresPort(dataDir);
      next.ctrlC();
      expect(await next.exited, next.output().slice(-3000)).toBe(0);
      expect(await leftovers([...orphaned, ...started], [ports.web, ports.simulator, ports.metrics, postgresPort])).toEqual([]);
    },
    600_000,
  );

  it(
    "runs ENGINE_PROCESSES engines that share the demo bots through their leases; Ctrl-C stops them all before the web",
    async () => {
      const ports = await freePorts();
      const product = startProduct(dataDir, productEnv(ports, { ENGINE_PROCESSES: "2" }), ["--reuse-build"]);
      await outputContains(product, "Bandkeeper is running.", 480_000);
      expect(product.output()).toContain(`engine-1:   metrics on http://127.0.0.1:${ports.metrics}/metrics`);
      expect(product.output()).toContain(`engine-2:   metrics on http://127.0.0.1:${ports.metrics + 1}/metrics`);
      expect(enginesOf(product.pid)).toHaveLength(2);
      // The first engine takes every bot; the hand-back then gives the second its share: both quote, three in all.
      const split = await until(
        async () => {
          const counts = await Promise.all([quotingBots(ports.metrics), quotingBots(ports.metrics + 1)]);
          return counts[0] + counts[1] === 3 && counts.every((count) => count > 0) ? counts : undefined;
        },
        120_000,
        "the three demo bots quoting, shared by both engines",
        500,
      );
      expect(split.sort()).toEqual([1, 2]);

      const started = descendants(product.pid);
      const postgresPort = embeddedPostgresPort(dataDir);
      const signalledAt = product.output().length;
      product.ctrlC();
      expect(await product.exited, product.output().slice(-3000)).toBe(0);
      const stopping = product.output().slice(signalledAt);
      const webStopped = stopping.indexOf("[launcher] web stopped");
      for (const engine of ["engine-1", "engine-2"]) {
        expect(stopping.indexOf(`[launcher] ${engine} stopped`), stopping).toBeGreaterThanOrEqual(0);
        expect(stopping.indexOf(`[launcher] ${engine} stopped`), stopping).toBeLessThan(webStopped);
        expect(stopping).toMatch(new RegExp(`\\[${engine}\\] \\{[^\\n]*"msg":"stopped"`));
      }
      expect(stopping).not.toMatch(/SIGKILL|unreachable|Unhandled/);
      expect(await leftovers(started, [ports.web, ports.simulator, ports.metrics, ports.metrics + 1, postgresPort])).toEqual([]);
    },
    600_000,
  );

  it(
    "restarts an engine killed with kill -9, and stops everything when it keeps crashing",
    async () => {
      const ports = await freePorts();
      // Two crashes within the window are a crash loop here (five by default).
      const product = startProduct(dataDir, productEnv(ports, { ENGINE_MAX_CRASHES: "2" }), ["--reuse-build"]);
      await outputContains(product, "Bandkeeper is running.", 480_000);
      await untilQuoting(product, ports.metrics, 3, 60_000);
      const started = descendants(product.pid);

      const first = engineOf(product.pid)!;
      expect(first).toBeDefined();
      const killedAt = product.output().length;
      process.kill(first.pid, "SIGKILL");
      await outputContains(product, "[launcher] engine was killed by SIGKILL; restarting it in 1 s (crash 1; 2 within 5 min stop everything)", 10_000, killedAt);
      await outputContains(product, "[launcher] restarting the engine", 10_000, killedAt);
      await untilQuoting(product, ports.metrics, 3, 60_000);
      const second = engineOf(product.pid)!;
      expect(second.pid).not.toBe(first.pid);

      const postgresPort = embeddedPostgresPort(dataDir);
      const loopAt = product.output().length;
      process.kill(second.pid, "SIGKILL");
      expect(await product.exited, product.output().slice(-3000)).toBe(1);
      const end = product.output().slice(loopAt);
      expect(end).toContain("[launcher] engine was killed by SIGKILL; it crashed 2 times within 5 min, so it is not restarted again");
      expect(end).toMatch(/\[launcher\] web stopped[\s\S]*\[launcher\] simulator stopped[\s\S]*\[launcher\] postgres stopped/);
      expect(await leftovers([...started, second], [ports.web, ports.simulator, ports.metrics, postgresPort])).toEqual([]);
    },
    600_000,
  );
});
