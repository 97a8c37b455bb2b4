import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { databaseExists, databaseNameOf, databaseUrlFor, dropDatabase } from "../src/admin";
import { DatabaseStartError, EMBEDDED_DATABASE_NAME, startDatabase } from "../src/postgres";
import { query } from "./support";
import { testServerUrl } from "@bandkeeper/testkit";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe("startDatabase with DATABASE_URL", () => {
  const missing = `bk_pg_${Date.now().toString(36)}`;
  afterAll(() => dropDatabase(testServerUrl, missing));

  it("uses the given server and starts nothing", async () => {
    const database = await startDatabase({ projectDataDir: "/nonexistent/never-created", databaseUrl: testServerUrl });
    expect(database).toMatchObject({ url: testServerUrl, embedded: false });
    await database.stop();
    expect(await query(testServerUrl, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("creates the named database when only it is missing", async () => {
    const url = databaseUrlFor(testServerUrl, missing);
    const database = await startDatabase({ projectDataDir: "/nonexistent", databaseUrl: url });
    expect(database.url).toBe(url);
    expect(await databaseExists(testServerUrl, databaseNameOf(url))).toBe(true);
  });

  it("names DATABASE_URL, and hides the password, when the server cannot be reached", async () => {
    const unreachable = "postgresql://postgres:hunter2@127.0.0.1:1/bandkeeper";
    const failure = await startDatabase({ projectDataDir: "/nonexistent", databaseUrl: unreachable }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DatabaseStartError);
    expect((failure as Error).message).toContain("DATABASE_URL");
    expect((failure as Error).message).not.toContain("hunter2");
  });
});

describe("startDatabase without DATABASE_URL", () => {
  it("starts an embedded PostgreSQL on a free port in the data folder, and stop() stops it", async () => {
    const projectDataDir = await mkdtemp(join(tmpdir(), "bk-embedded-"));
    try {
      const database = await startDatabase({ projectDataDir });
      let pid = 0;
      try {
        expect(database.embedded).toBe(true);
        const url = new URL(database.url);
        expect(url.port).not.toBe("5432");
        expect(databaseNameOf(database.url)).toBe(EMBEDDED_DATABASE_NAME);
        expect(await query(database.url, "SELECT current_database() AS name")).toEqual([{ name: "bandkeeper" }]);

        // Postgres writes its pid as the first line of postmaster.pid in the data folder.
        pid = Number((await readFile(join(projectDataDir, "postgres", "postmaster.pid"), "utf8")).split("\n")[0]);
        expect(isAlive(pid)).toBe(true);
      } finally {
        await database.stop();
      }
      expect(await waitFor(() => !isAlive(pid), 10_000)).toBe(true);
      await expect(query(database.url, "SELECT 1")).rejects.toThrow();
    } finally {
      await rm(projectDataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
