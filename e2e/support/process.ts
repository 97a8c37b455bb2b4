// Child processes of the browser-test stack: node spawned directly, so stopping its PID stops the server.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export interface NodeServiceSpec {
  name: string;
  // Script run by the current node binary.
  script: string;
  // A TypeScript source, loaded through tsx inside node itself (so the child's PID is still the service's).
  typescript?: boolean;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logDir: string;
}

export interface NodeService {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number>;
}

export function startNodeService(spec: NodeServiceSpec): NodeService {
  mkdirSync(spec.logDir, { recursive: true });
  const logFile = join(spec.logDir, `${spec.name}.log`);
  const log = createWriteStream(logFile);
  const nodeArgs = spec.typescript ? ["--import", "tsx", spec.script] : [spec.script];
  const child = spawn(process.execPath, [...nodeArgs, ...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.once("error", () => resolve(1));
  });
  return { name: spec.name, child, logFile, exited };
}

function isRunning(service: NodeService): boolean {
  return service.child.exitCode === null && service.child.signalCode === null;
}

export async function stopNodeService(service: NodeService, graceMs = 5_000): Promise<void> {
  if (!isRunning(service)) return;
  service.child.kill("SIGTERM");
  const timer = setTimeout(() => service.child.kill("SIGKILL"), graceMs);
  await service.exited;
  clearTimeout(timer);
}

// Last resort when the test runner itself exits without running teardown.
export function killOnExit(service: NodeService): void {
  process.once("exit", () => {
    if (isRunning(service)) service.child.kill("SIGKILL");
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(
  condition: () => Promise<boolean>,
  service: NodeService,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(service)) throw new Error(`${service.name} exited before ${what}; see ${service.logFile}`);
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no ${what} within ${timeoutMs} ms; see ${service.logFile}`);
}

export async function waitForHttp(url: string, service: NodeService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(service)) {
      throw new Error(`${service.name} exited before ${url} answered; see ${service.logFile}`);
    }
    try {
      const response = await fetch(url, { redirect: "manual" });
      await response.body?.cancel();
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms; see ${service.logFile}`);
}
