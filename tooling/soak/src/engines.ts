// The engines of a soak: several `apps/engine` processes side by side on one database (they split the bots through
// leases), each SIGKILLed and restarted on the schedule. One that dies on its own is restarted after a pause, as a
// supervisor would, and the death is reported.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Child, Children } from "./children";

export interface EngineSettings {
  repoRoot: string;
  logDir: string;
  databaseUrl: string;
  simulatorUrl: string;
  encryptionKey: string;
  leaseTtlMs: number;
}

export interface UnexpectedExit {
  engine: number;
  atMs: number;
  code: number | null;
  signal: string | null;
  /** The last lines of its log: why it died. */
  lastLines: string[];
}

export interface GracefulStop {
  engine: number;
  exitCode: number | null;
  withinGrace: boolean;
  tookMs: number;
}

export interface BotStart {
  engine: number;
  bot: string;
  atMs: number;
}

interface LogEntry {
  time?: unknown;
  level?: string;
  msg?: string;
  bot?: unknown;
}

const RESTART_AFTER_UNEXPECTED_EXIT_MS = 2_000;
/** Above the engine's own bound on waiting out a 429's Retry-After to cancel (65 s). */
const STOP_GRACE_MS = 75_000;

export class EngineFleet {
  private readonly running: (Child | undefined)[];
  private readonly starts: number[];
  private readonly logFiles: { engine: number; file: string }[] = [];
  private readonly expectedExit = new Set<Child>();
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private stopping = false;
  readonly unexpectedExits: UnexpectedExit[] = [];
  kills = 0;

  constructor(
    private readonly settings: EngineSettings,
    private readonly children: Children,
    count: number,
    /** Milliseconds since the fault phase began (negative during warm-up): when an exit happened. */
    private readonly elapsedMs: () => number,
  ) {
    this.running = Array.from({ length: count }, () => undefined);
    this.starts = Array.from({ length: count }, () => 0);
  }

  startAll(): void {
    this.running.forEach((_, engine) => this.start(engine));
  }

  async kill(engine: number): Promise<void> {
    const child = this.running[engine];
    if (!child?.running) return;
    this.expectedExit.add(child);
    this.kills += 1;
    await this.children.kill(child);
  }

  restart(engine: number): void {
    if (!this.stopping && !this.running[engine]?.running) this.start(engine);
  }

  /** SIGTERM to every engine at once: each cancels its orders, flushes its journal, hands back its leases. */
  async stopAll(): Promise<GracefulStop[]> {
    this.stopping = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    return Promise.all(
      this.running.map(async (child, engine) => {
        if (!child?.running) return { engine, exitCode: null, withinGrace: false, tookMs: 0 };
        this.expectedExit.add(child);
        const began = Date.now();
        const withinGrace = await this.children.stop(child, STOP_GRACE_MS);
        return { engine, exitCode: (await child.exited).code, withinGrace, tookMs: Date.now() - began };
      }),
    );
  }

  /** Warnings and errors the engines logged, by message, most frequent first. */
  logTally(): { level: string; msg: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const { entry } of this.logEntries()) {
      if (entry.level !== "warn" && entry.level !== "error") continue;
      const key = `${entry.level}\u0000${entry.msg ?? ""}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts]
      .map(([key, count]) => {
        const [level = "", msg = ""] = key.split("\u0000");
        return { level, msg, count };
      })
      .sort((a, b) => b.count - a.count);
  }

  /** Every "bot started" the engines logged: which engine took which bot when (takeovers show here). */
  botStarts(phaseStartedAt: number): BotStart[] {
    return this.logEntries()
      .filter(({ entry }) => entry.msg === "bot started" && typeof entry.bot === "string" && typeof entry.time === "string")
      .map(({ engine, entry }) => ({ engine, bot: String(entry.bot), atMs: Date.parse(String(entry.time)) - phaseStartedAt }));
  }

  private logEntries(): { engine: number; entry: LogEntry }[] {
    const entries: { engine: number; entry: LogEntry }[] = [];
    for (const { engine, file } of this.logFiles) {
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (!line.startsWith("{")) continue;
        try {
          entries.push({ engine, entry: JSON.parse(line) as LogEntry });
        } catch {
          // A line cut short by a SIGKILL.
        }
      }
    }
    return entries;
  }

  private start(engine: number): void {
    this.starts[engine] = (this.starts[engine] ?? 0) + 1;
    const logFile = join(this.settings.logDir, `engine-${engine}-${this.starts[engine]}.log`);
    this.logFiles.push({ engine, file: logFile });
    const { repoRoot, databaseUrl, simulatorUrl, encryptionKey, leaseTtlMs } = this.settings;
    const child = this.children.spawn({
      name: `engine-${engine}`,
      command: process.execPath,
      args: ["--import", "tsx", "src/main.ts"],
      cwd: join(repoRoot, "apps/engine"),
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: databaseUrl,
        SIMULATOR_URL: simulatorUrl,
        BANDKEEPER_ENCRYPTION_KEY: encryptionKey,
        ENGINE_LEASE_TTL_MS: String(leaseTtlMs),
        ENGINE_LOG_LEVEL: "info",
      },
      logFile,
    });
    this.running[engine] = child;
    void child.exited.then(({ code, signal }) => {
      if (this.expectedExit.delete(child) || this.stopping) return;
      this.unexpectedExits.push({ engine, atMs: this.elapsedMs(), code, signal, lastLines: tail(logFile, 8) });
      const timer = setTimeout(() => {
        this.restartTimers.delete(timer);
        this.restart(engine);
      }, RESTART_AFTER_UNEXPECTED_EXIT_MS);
      this.restartTimers.add(timer);
    });
  }
}

function tail(file: string, lines: number): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .slice(-lines)
    .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line));
}
