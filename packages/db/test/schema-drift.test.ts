import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_MIGRATIONS_DIR } from "../src/migrate";
import { diffMigrationsToSchema } from "../scripts/schema-engine";
import { testServerUrl } from "@bandkeeper/testkit";

const schemaPath = fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url));

describe("migrations versus schema.prisma (Prisma's schema engine, offline)", () => {
  it("the committed migrations produce exactly the schema", async () => {
    const drift = await diffMigrationsToSchema({ serverUrl: testServerUrl, migrationsDir: DEFAULT_MIGRATIONS_DIR, schemaPath });
    // A non-empty diff means: run `npm run migrate:create -w @bandkeeper/db -- <name>` and commit the result.
    expect(drift).toBe("");
  });

  it("writes the SQL for a schema change", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bk-schema-"));
    try {
      const changed = join(dir, "schema.prisma");
      const probe = "\nmodel Probe {\n  id   String @id\n  note String?\n}\n";
      await writeFile(changed, (await readFile(schemaPath, "utf8")) + probe);
      const script = await diffMigrationsToSchema({ serverUrl: testServerUrl, migrationsDir: DEFAULT_MIGRATIONS_DIR, schemaPath: changed });
      expect(script).toContain('CREATE TABLE "Probe"');
      expect(script).not.toContain('CREATE TABLE "User"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
