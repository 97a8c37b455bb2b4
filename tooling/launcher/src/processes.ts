// Child processes of the launcher: started with a name, their output prefixed, all stopped together.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export type ServiceSpec = {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
};

export type RunningService = {
  name: string;
  child: ChildProcess;
  exited: Promise<number>;
};

const colours = ["\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[32m", "\x1b[34m"];

export function startService(spec: ServiceSpec, index = 0): RunningService {
  // Each service gets its own process group, so a terminal's Ctrl-C reaches only the launcher, which then stops
  // the services in order (the engine cancels its orders while the simulator still answers).
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const prefix = process.stdout.isTTY
    ? `${colours[index % colours.length]}[${spec.name}]\x1b[0m `
    : `[${spec.name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", (line) => process.stdout.write(prefix + line + "\n"));
  }
  const exited = new Promise<number>((resolveExit) => {
    child.once("exit", (code, signal) => resolveExit(code ?? (signal ? 128 : 1)));
    child.once("error", (error) => {
      process.stderr.write(`${prefix}failed to start: ${error.message}\n`);
      resolveExit(1);
    });
  });
  return { name: spec.name, child, exited };
}

/**
 * Stops the services one by one, the last started first (they were started in dependency order), killing one
 * that outlives the grace period.
 */
export async function stopServices(services: RunningService[], graceMs = 10_000): Promise<void> {
  for (const { child, exited } of [...services].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Runs a command to completion with inherited output; resolves to its exit code. A SIGINT or SIGTERM meanwhile is
 * passed on to the command instead of ending this process, so the caller's clean-up (stopping the database) runs.
 */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<number> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    const done = (code: number) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolveRun(code);
    };
    child.once("exit", (code, signal) => done(code ?? (signal ? 128 : 1)));
    child.once("error", () => done(1));
  });
}

export async function waitForHttp(url: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`stopped before ${url} answered`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
