// What a launcher that could not clean up (killed with SIGKILL, machine trouble) may have left running: the services
// of the data folder are recorded in `<dataDir>/run/services.json` while they run (pid and start time, which
// together name one process even if its pid is reused or it retitles itself), and the next `npm start` stops any that
// is still alive before it starts its own, so nothing old holds a port. Ports still taken after that are
// reported by name before anything starts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { groupAlive, say, signalGroup, sleep } from "./processes";

type RecordedProcess = { name: string; pid: number; startTime: string };
type RecordFile = { launcher: RecordedProcess | undefined; services: RecordedProcess[] };

export class ServiceRecord {
  private readonly file: string;
  private readonly entries = new Map<number, RecordedProcess>();
  private readonly launcher: RecordedProcess | undefined;

  constructor(dataDir: string) {
    this.file = join(dataDir, "run", "services.json");
    const startTime = startTimeOf(process.pid);
    this.launcher = startTime === undefined ? undefined : { name: "launcher", pid: process.pid, startTime };
  }

  add(name: string, pid: number): void {
    const startTime = startTimeOf(pid);
    if (startTime === undefined) return;
    this.entries.set(pid, { name, pid, startTime });
    this.write();
  }

  remove(pid: number): void {
    if (this.entries.delete(pid)) this.write();
  }

  /**
   * Stops the services an earlier launcher recorded that still run (the same pid, started at the same time); fails
   * if that launcher itself still runs (two launchers on one data folder would share and stop each other's database).
   */
  async stopLeftovers(): Promise<void> {
    if (!existsSync(this.file)) return;
    let recorded: RecordFile = { launcher: undefined, services: [] };
    try {
      recorded = JSON.parse(readFileSync(this.file, "utf8")) as RecordFile;
    } catch {
      // An unreadable record protects nothing; it is rewritten below.
    }
    const { launcher } = recorded;
    if (launcher && launcher.pid !== process.pid && startTimeOf(launcher.pid) === launcher.startTime) {
      throw new Error(`another npm start (pid ${launcher.pid}) runs on ${dirname(dirname(this.file))}: stop it first (Ctrl-C in its terminal)`);
    }
    for (const entry of recorded.services ?? []) {
      if (startTimeOf(entry.pid) !== entry.startTime) continue;
      say(`stopping the ${entry.name} (pid ${entry.pid}) an earlier start left running`);
      signalGroup(entry.pid, "SIGTERM");
      const deadline = Date.now() + 10_000;
      while (groupAlive(entry.pid) && Date.now() < deadline) await sleep(100);
      if (groupAlive(entry.pid)) {
        say(`the ${entry.name} (pid ${entry.pid}) did not stop within 10 s; killing it (SIGKILL)`);
        signalGroup(entry.pid, "SIGKILL");
        while (groupAlive(entry.pid) && Date.now() < deadline + 5_000) await sleep(100);
      }
    }
    this.write();
  }

  private write(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const contents: RecordFile = { launcher: this.launcher, services: [...this.entries.values()] };
    writeFileSync(this.file, JSON.stringify(contents, null, 2));
  }
}

/** When the process started (clock ticks since boot: field 22 of /proc/<pid>/stat), or undefined if it is gone. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** Fails naming the setting when a port the product needs is taken by a process this launcher did not start. */
export async function ensurePortsFree(ports: readonly { port: number; setting: string }[]): Promise<void> {
  for (const { port, setting } of ports) {
    if (!(await portFree(port))) {
      throw new Error(`port ${port} (${setting}) is in use by another process: stop that process or set ${setting} to a free port`);
    }
  }
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once("error", () => resolveFree(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolveFree(true)));
  });
}
