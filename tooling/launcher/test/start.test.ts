// `npm start` as a person runs it: no DATABASE_URL, so an embedded PostgreSQL; the product answers,
// prints the demo logins, and Ctrl-C stops every process it started.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../src/settings";

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function descendants(pid: number): number[] {
  const out = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      found.push(child);
      stack.push(child);
    }
  }
  return found;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const dataDir = mkdtempSync(join(tmpdir(), "bk-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function startProduct(env: NodeJS.ProcessEnv) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "tooling/launcher/src/start.ts")], {
    cwd: repoRoot,
    env: { ...inherited, BANDKEEPER_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  return { child, exited, output: () => output };
}

describe("npm start", () => {
  it("stops at once, naming the variable, when a setting is malformed", async () => {
    const product = startProduct({ DATABASE_URL: "not-a-url" });
    expect(await product.exited).toBe(1);
    expect(product.output()).toContain("DATABASE_URL: must be a postgresql:// connection URL");
  });

  it(
    "runs the product on an embedded database and Ctrl-C stops everything it started",
    async () => {
      const [webPort, simulatorPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
      const product = startProduct({ PORT: String(webPort), SIMULATOR_PORT: String(simulatorPort), ENGINE_METRICS_PORT: String(metricsPort) });
      const deadline = Date.now() + 240_000;
      while (!product.output().includes("Bandkeeper is running.")) {
        if (product.child.exitCode !== null) throw new Error(`npm start exited early:\n${product.output()}`);
        if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${product.output()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(product.output()).toContain("Started embedded PostgreSQL.");
      expect(product.output()).toContain(`http://localhost:${webPort}`);
      expect(product.output()).toContain("trader@demo.bandkeeper.local");

      // The engine's demo bots quote on the bundled simulator.
      const quoting = async () => {
        const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text(), () => "");
        return metrics.split("\n").filter((line) => line.startsWith("bandkeeper_bot_state{") && line.includes('state="QUOTING"') && line.endsWith(" 1")).length;
      };
      const quotingDeadline = Date.now() + 60_000;
      while ((await quoting()) < 3) {
        if (Date.now() > quotingDeadline) throw new Error(`the demo bots did not quote:\n${product.output()}`);
        await new Promise((r) => setTimeout(r, 250));
      }

      const signIn = await fetch(`http://localhost:${webPort}/signin`);
      expect(signIn.status).toBe(200);
      expect(await signIn.text()).toContain("Sign in");

      const started = descendants(product.child.pid!);
      expect(started.length).toBeGreaterThan(0);
      product.child.kill("SIGINT");
      expect(await product.exited, product.output().slice(-3000)).toBe(0);
      // Grandchildren (Postgres' backends, Next's workers) may take a moment to notice their parent is gone.
      const goneBy = Date.now() + 10_000;
      while (started.some(isAlive) && Date.now() < goneBy) await new Promise((r) => setTimeout(r, 100));
      const survivors = started.filter(isAlive);
      expect(survivors, survivors.length > 0 ? execFileSync("ps", ["-o", "pid,ppid,cmd", "-p", survivors.join(",")], { encoding: "utf8" }) : "").toEqual([]);
      await expect(fetch(`http://localhost:${webPort}/signin`)).rejects.toThrow();
    },
    300_000,
  );
});
