// `npm start` driven the way a person drives it, for the launcher's tests: the launcher runs as the leader of a
// process group of its own, as a shell's foreground job does, and Ctrl-C is a SIGINT to that whole group.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { portFree } from "../src/leftovers";
import { repoRoot } from "../src/settings";

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export type ProcessInfo = { pid: number; ppid: number; command: string };

export function processTable(): ProcessInfo[] {
  const out = execFileSync("ps", ["-e", "-o", "pid=,ppid=,args="], { encoding: "utf8" });
  return out
    .trim()
    .split("\n")
    .map((line) => {
      const [pid, ppid, ...command] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), command: command.join(" ") };
    });
}

/** Every process below `pid` (children, grandchildren, …). */
export function descendants(pid: number): ProcessInfo[] {
  const table = processTable();
  const found: ProcessInfo[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    for (const child of table.filter((entry) => entry.ppid === parent)) {
      found.push(child);
      stack.push(child.pid);
    }
  }
  return found;
}

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

export type Ports = { web: number; simulator: number; metrics: number };

export async function freePorts(): Promise<Ports> {
  return { web: await freePort(), simulator: await freePort(), metrics: await freePort() };
}

export interface Product {
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  output(): string;
  /** Ctrl-C in the terminal: SIGINT to the launcher's whole process group. */
  ctrlC(): void;
}

export function startProduct(dataDir: string, env: NodeJS.ProcessEnv, args: string[] = []): Product {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "tooling/launcher/src/start.ts"), ...args], {
    cwd: repoRoot,
    env: { ...inherited, BANDKEEPER_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  const pid = child.pid!;
  return { child, pid, exited, output: () => output, ctrlC: () => process.kill(-pid, "SIGINT") };
}

/** Clean-up after a failed test: the launcher and every process below it, killed (SIGKILL) with their groups. */
export async function killProduct(product: Product): Promise<void> {
  const below = descendants(product.pid);
  for (const pid of [product.pid, ...below.map((p) => p.pid)]) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // Gone already, or not a group leader.
      }
    }
  }
  await product.exited;
}

export function productEnv(ports: Ports, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PORT: String(ports.web), SIMULATOR_PORT: String(ports.simulator), ENGINE_METRICS_PORT: String(ports.metrics), ...extra };
}

/** Waits for `text` in the output (after `from`, a character offset), failing with the output's tail. */
export async function outputContains(product: Product, text: string, timeoutMs: number, from = 0): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!product.output().slice(from).includes(text)) {
    if (product.child.exitCode !== null) throw new Error(`npm start exited before printing "${text}":\n${product.output().slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`npm start did not print "${text}" within ${timeoutMs} ms:\n${product.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Bots the engine reports QUOTING on its metrics endpoint. */
export async function quotingBots(metricsPort: number): Promise<number> {
  const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text(), () => "");
  return metrics.split("\n").filter((line) => line.startsWith("bandkeeper_bot_state{") && line.includes('state="QUOTING"') && line.endsWith(" 1")).length;
}

export async function untilQuoting(product: Product, metricsPort: number, bots: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await quotingBots(metricsPort)) < bots) {
    if (Date.now() > deadline) throw new Error(`${bots} bots did not quote within ${timeoutMs} ms:\n${product.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * After the launcher exited: none of the processes it had started is alive and every port is free again.
 * Returns a description of what is left (empty when nothing is).
 */
export async function leftovers(started: readonly ProcessInfo[], ports: readonly number[]): Promise<string[]> {
  // Grandchildren (Postgres' backends) may take a moment to notice their parent is gone.
  const goneBy = Date.now() + 10_000;
  while (started.some((p) => isAlive(p.pid)) && Date.now() < goneBy) await new Promise((r) => setTimeout(r, 100));
  const alive = started.filter((p) => isAlive(p.pid)).map((p) => `process ${p.pid} still alive: ${p.command}`);
  const taken: string[] = [];
  for (const port of ports) if (!(await portFree(port))) taken.push(`port ${port} still taken`);
  return [...alive, ...taken];
}

/** The port the embedded PostgreSQL of a data folder listens on (line 4 of postmaster.pid), while it runs. */
export function embeddedPostgresPort(dataDir: string): number {
  return Number(readFileSync(join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[3]);
}

export function embeddedDatabaseUrl(dataDir: string): string {
  const password = readFileSync(join(dataDir, "postgres-password"), "utf8").trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${embeddedPostgresPort(dataDir)}/bandkeeper`;
}

/** A signed GET of the simulator's Binance API (HMAC, as a client of the real exchange signs). */
export async function signedGet(baseUrl: string, path: string, key: { apiKey: string; apiSecret: string }): Promise<{ status: number; body: unknown }> {
  const query = `timestamp=${Date.now()}&recvWindow=10000`;
  const signature = createHmac("sha256", key.apiSecret).update(query).digest("hex");
  const response = await fetch(`${baseUrl}${path}?${query}&signature=${signature}`, { headers: { "X-MBX-APIKEY": key.apiKey } });
  return { status: response.status, body: await response.json() };
}
