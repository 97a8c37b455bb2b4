// Child processes of the launcher: started with a name, their output prefixed, each in a process group of its own
// that is stopped as a whole (the service and whatever it spawned), one service at a time.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export type ServiceSpec = {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Opens a Node IPC channel to the service (process.send), for a service that reports readiness that way. */
  ipc?: boolean;
};

export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

export type RunningService = {
  name: string;
  child: ChildProcess;
  /** The service's pid, which is also its process group's id. */
  pid: number;
  exited: Promise<ExitStatus>;
  /** Set by stopService: an exit after this was asked for, not a crash. */
  stopRequested: boolean;
};

const colours = ["\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[32m", "\x1b[34m"];

export function prefixFor(name: string, index: number): string {
  return process.stdout.isTTY ? `${colours[index % colours.length]}[${name}]\x1b[0m ` : `[${name}] `;
}

/** The launcher's own lines, prefixed like a service's so they read in order with them. */
export function say(message: string): void {
  process.stdout.write(`${prefixFor("launcher", 4)}${message}\n`);
}

export function startService(spec: ServiceSpec, index = 0): RunningService {
  // Each service gets its own process group, so a terminal's Ctrl-C reaches only the launcher, which then stops
  // the services in order (the engine cancels its orders while the simulator and the database still answer).
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: spec.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const prefix = prefixFor(spec.name, index);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", (line) => process.stdout.write(prefix + line + "\n"));
  }
  const exited = new Promise<ExitStatus>((resolveExit) => {
    child.once("exit", (code, signal) => resolveExit({ code, signal }));
    child.once("error", (error) => {
      process.stdout.write(`${prefix}failed to start: ${error.message}\n`);
      resolveExit({ code: 1, signal: null });
    });
  });
  return { name: spec.name, child, pid: child.pid ?? -1, exited, stopRequested: false };
}

export function isRunning(service: RunningService): boolean {
  return service.child.exitCode === null && service.child.signalCode === null && service.pid > 0;
}

export function describeExit(status: ExitStatus): string {
  return status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
}

/** True while any process of the group is alive (the service, or something it spawned and left behind). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Asks a service to stop (SIGTERM to its group) and waits for it up to `graceMs`; one that outlives that is killed
 * (SIGKILL to its group only), and the output says so. Processes the service left behind in its group are ended
 * too, so nothing of it holds a port afterwards.
 */
export async function stopService(service: RunningService, graceMs: number): Promise<"stopped" | "killed" | "was not running"> {
  service.stopRequested = true;
  if (service.pid <= 0) return "was not running";
  let outcome: "stopped" | "killed" | "was not running" = "was not running";
  if (isRunning(service)) {
    signalGroup(service.pid, "SIGTERM");
    outcome = "stopped";
    if (!(await within(service.exited, graceMs))) {
      say(`${service.name} did not stop within ${Math.round(graceMs / 1000)} s; killing it (SIGKILL)`);
      signalGroup(service.pid, "SIGKILL");
      await service.exited;
      outcome = "killed";
    }
  }
  await endGroup(service.name, service.pid);
  return outcome;
}

/** The rest of a process group whose leader has exited: asked to stop, then killed after a short wait. */
async function endGroup(name: string, pgid: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, "SIGTERM");
  if (await until(() => !groupAlive(pgid), 3_000)) return;
  say(`processes ${name} left behind did not stop; killing them (SIGKILL)`);
  signalGroup(pgid, "SIGKILL");
  await until(() => !groupAlive(pgid), 3_000);
}

/** Last resort when the launcher itself is going away: every group still alive is killed at once. */
export function killGroupsNow(pgids: readonly number[]): void {
  for (const pgid of pgids) if (pgid > 0 && groupAlive(pgid)) signalGroup(pgid, "SIGKILL");
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
      await sleep(250);
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Resolves true if `promise` settles within `ms`, false otherwise. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolveTimeout) => (timer = setTimeout(() => resolveTimeout(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
