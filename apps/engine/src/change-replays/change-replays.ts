// The change requests' replays (issue 14): the web writes a PENDING ChangeRequestReplay with each config change
// request; this worker claims one at a time (one UPDATE, so two engines never run the same one), replays the base
// and the proposed config over the symbol's last hours of market tapes in a niced child process (replay-job.ts),
// bounded in wall time, and writes the two KPI reports, the HTML report, or why there are none.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { setPriority, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PrismaClient } from "@bandkeeper/db/client";
import type { Logger } from "../observability/log";
import type { ReplayJob, ReplayJobResult } from "./replay-job";
import { recentTapeFiles } from "./tape-window";

export interface ChangeReplaySettings {
  /** The market tapes' folder (ENGINE_MARKET_TAPES_DIR). */
  readonly tapesDir: string;
  /** How much of the newest recorded data is replayed. */
  readonly windowMs: number;
  /** A replay still running after this long is stopped and FAILED. */
  readonly timeoutMs: number;
  /** How often the table is asked for a PENDING replay. */
  readonly pollMs: number;
}

export interface ChangeReplaysOptions {
  readonly prisma: PrismaClient;
  /** Who claims (the engine instance), written to the row. */
  readonly claimant: string;
  readonly settings: ChangeReplaySettings;
  readonly logger: Logger;
}

type Outcome =
  | { readonly status: "DONE"; readonly result: ReplayJobResult }
  | { readonly status: "FAILED" | "NO_DATA"; readonly message: string }
  // The engine stopped while it ran: handed back for another engine (or the next start).
  | { readonly status: "PENDING" };

const ENGINE_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");
const JOB_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "replay-job.ts");
/** The child runs at a lower priority than the bots. */
const CHILD_NICENESS = 10;
const PROGRESS_WRITE_MS = 1_000;

export class ChangeReplays {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private child: ChildProcess | undefined;

  constructor(private readonly options: ChangeReplaysOptions) {}

  start(): void {
    this.stopped = false;
    const loop = (): void => {
      this.running = this.runNext()
        .catch((error: unknown) => this.options.logger.warn("change replay round failed", { error }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.options.settings.pollMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Stops a replay under way and hands it back as PENDING. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.child?.kill("SIGKILL");
    await this.running;
  }

  /** Claims the oldest PENDING replay and runs it; false when there was none. */
  async runNext(): Promise<boolean> {
    const claimed = await this.claim();
    if (!claimed) return false;
    const started = Date.now();
    const outcome = await this.replay(claimed).catch((error: unknown): Outcome => ({ status: "FAILED", message: `the replay could not run: ${error instanceof Error ? error.message : String(error)}` }));
    await this.finish(claimed.id, outcome, Date.now() - started);
    this.options.logger.info("change replay finished", { changeRequest: claimed.changeRequestId, status: outcome.status, wallMs: Date.now() - started });
    return true;
  }

  /**
   * PENDING -> RUNNING in one statement (SKIP LOCKED: engines polling at once take different rows). A RUNNING one
   * whose engine died (twice the timeout gone) is taken again.
   */
  private async claim(): Promise<{ id: string; changeRequestId: string; baseConfig: unknown } | undefined> {
    const staleBefore = new Date(Date.now() - 2 * this.options.settings.timeoutMs);
    const rows = await this.options.prisma.$queryRaw<{ id: string; changeRequestId: string; baseConfig: unknown }[]>`
      UPDATE "ChangeRequestReplay" SET "status" = 'RUNNING', "progress" = 0, "startedAt" = now(), "claimedBy" = ${this.options.claimant}
      WHERE "id" = (
        SELECT "id" FROM "ChangeRequestReplay"
        WHERE "status" = 'PENDING' OR ("status" = 'RUNNING' AND "startedAt" < ${staleBefore})
        ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING "id", "changeRequestId", "baseConfig"`;
    return rows[0];
  }

  private async replay(claimed: { id: string; changeRequestId: string; baseConfig: unknown }): Promise<Outcome> {
    const request = await this.options.prisma.changeRequest.findUniqueOrThrow({
      where: { id: claimed.changeRequestId },
      select: { proposedConfig: true, bot: { select: { symbol: true } } },
    });
    if (!request.bot) return { status: "FAILED", message: "the change request names no bot, so there is no pair to replay" };
    const { symbol } = request.bot;
    const { tapesDir, windowMs, timeoutMs } = this.options.settings;
    const files = recentTapeFiles(tapesDir, symbol, windowMs);
    if (files.length === 0) return { status: "NO_DATA", message: `No market data is recorded for ${symbol} yet: the engine records it while a bot quotes the pair.` };
    const job: ReplayJob = { files, symbol, windowMs, baseConfig: claimed.baseConfig, proposedConfig: request.proposedConfig };
    return this.runChild(claimed.id, job, timeoutMs);
  }

  private runChild(replayId: string, job: ReplayJob, timeoutMs: number): Promise<Outcome> {
    // Nothing awaits between here and the spawn, so a stop either comes before (handed back now) or kills the child.
    if (this.stopped) return Promise.resolve({ status: "PENDING" });
    const dir = mkdtempSync(join(tmpdir(), "bk-change-replay-"));
    const jobFile = join(dir, "job.json");
    writeFileSync(jobFile, JSON.stringify(job));
    return new Promise<Outcome>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", JOB_SCRIPT, jobFile], { cwd: ENGINE_DIR, stdio: ["ignore", "pipe", "pipe"] });
      this.child = child;
      try {
        if (child.pid !== undefined) setPriority(child.pid, CHILD_NICENESS);
      } catch {
        // Not permitted here: it runs at the engine's priority, still off its event loop.
      }
      let outcome: Outcome | undefined;
      let buffered = "";
      let stderr = "";
      let progressWrittenAt = 0;
      const timer = setTimeout(() => {
        outcome = { status: "FAILED", message: `The replay took longer than ${timeoutMs / 1000} s and was stopped (ENGINE_CHANGE_REPLAY_TIMEOUT_S).` };
        child.kill("SIGKILL");
      }, timeoutMs);
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        buffered += chunk;
        for (let end = buffered.indexOf("\n"); end !== -1; end = buffered.indexOf("\n")) {
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end + 1);
          const message = parseLine(line);
          if (message?.progress !== undefined && Date.now() - progressWrittenAt >= PROGRESS_WRITE_MS) {
            progressWrittenAt = Date.now();
            void this.options.prisma.changeRequestReplay
              .updateMany({ where: { id: replayId, status: "RUNNING" }, data: { progress: message.progress } })
              .catch(() => undefined);
          }
          if (message?.result) outcome ??= { status: "DONE", result: message.result };
          if (message?.error !== undefined) outcome ??= { status: "FAILED", message: `The replay failed: ${message.error}` };
        }
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-2_000)));
      const done = (code: number | null, error?: Error) => {
        clearTimeout(timer);
        this.child = undefined;
        rmSync(dir, { recursive: true, force: true });
        if (this.stopped && outcome?.status !== "DONE") return resolve({ status: "PENDING" });
        resolve(outcome ?? { status: "FAILED", message: `The replay process ended without a result (exit code ${code}): ${error?.message ?? stderr.trim().split("\n").pop() ?? ""}` });
      };
      child.on("error", (error) => done(null, error));
      child.on("close", (code) => done(code));
    });
  }

  /** Written only while this engine still holds the claim. */
  private async finish(id: string, outcome: Outcome, wallMs: number): Promise<void> {
    const common = { finishedAt: new Date(), wallMs: Math.round(wallMs) };
    const data =
      outcome.status === "PENDING"
        ? { status: "PENDING" as const, progress: 0, startedAt: null, claimedBy: null }
        : outcome.status === "DONE"
        ? {
            ...common,
            status: "DONE" as const,
            progress: 1,
            dataFrom: new Date(outcome.result.dataFrom),
            dataTo: new Date(outcome.result.dataTo),
            baseReport: toJson(outcome.result.baseReport),
            proposedReport: toJson(outcome.result.proposedReport),
            proposedHtml: outcome.result.proposedHtml,
            message: null,
          }
        : { ...common, status: outcome.status, message: outcome.message };
    await this.options.prisma.changeRequestReplay.updateMany({ where: { id, status: "RUNNING", claimedBy: this.options.claimant }, data });
  }
}

interface JobLine {
  progress?: number;
  result?: ReplayJobResult;
  error?: string;
}

function parseLine(line: string): JobLine | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed && typeof parsed === "object" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A report as a Json column holds it (nulls kept). */
function toJson(report: object): object {
  return JSON.parse(JSON.stringify(report)) as object;
}
