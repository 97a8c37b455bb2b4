// Every process the soak starts: each in its own process group (a terminal's Ctrl-C reaches only the soak, which
// then stops them in order), its output in a log file, and all of them killed when the soak exits, however it exits.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { closeSync, openSync } from "node:fs";

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** Resolves when the process has exited; `signal` is set when a signal ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
}

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Output goes here (appended); stdout is also piped to the soak when `pipeStdout` is set. */
  logFile: string;
  pipeStdout?: boolean;
  uid?: number;
  gid?: number;
}

export class Children {
  private readonly all = new Set<Child>();

  constructor() {
    // The last resort: a soak that dies of an exception still takes its processes with it.
    process.once("exit", () => {
      for (const child of this.all) if (child.running) signalGroup(child.pid, "SIGKILL");
    });
  }

  spawn(spec: ChildSpec): Child {
    const log = openSync(spec.logFile, "a");
    const options: SpawnOptions = {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["ignore", spec.pipeStdout ? "pipe" : log, log],
      ...(spec.uid !== undefined ? { uid: spec.uid, gid: spec.gid } : {}),
    };
    const child = spawn(spec.command, spec.args, options);
    closeSync(log);
    if (child.pid === undefined) throw new Error(`${spec.name} did not start`);
    let running = true;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("exit", (code, signal) => {
        running = false;
        resolve({ code, signal });
      });
    });
    const entry: Child = {
      name: spec.name,
      pid: child.pid,
      process: child,
      exited,
      get running() {
        return running;
      },
    };
    this.all.add(entry);
    void exited.then(() => this.all.delete(entry));
    return entry;
  }

  /** SIGKILL to the child's whole process group (Postgres' backends too): a crash, not a shutdown. */
  async kill(child: Child): Promise<void> {
    if (!child.running) return;
    signalGroup(child.pid, "SIGKILL");
    await child.exited;
  }

  /** SIGTERM, then SIGKILL to the group after `graceMs`; resolves true when it stopped within the grace. */
  async stop(child: Child, graceMs: number): Promise<boolean> {
    if (!child.running) return true;
    child.process.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      child.exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (!graceful) await this.kill(child);
    // Whatever the child left in its group (e.g. a tsx worker) goes with it.
    signalGroup(child.pid, "SIGKILL");
    return graceful;
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.all].map((child) => this.kill(child)));
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}
