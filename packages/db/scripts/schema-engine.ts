// Drives Prisma's own schema engine (the WASM build, which needs no download) through the pg driver adapter.
// Used only at development time to write migrations; deploying them needs none of this (see src/migrate.ts).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { createDatabase, databaseUrlFor, dropDatabase } from "../src/admin";
import { readMigrations } from "../src/migrate";

let engineReady: Promise<void> | undefined;

// The WebAssembly global as far as it is used here (@types/node 20 does not declare it).
const { WebAssembly: wasmRuntime } = globalThis as unknown as {
  WebAssembly: {
    instantiate(
      bytes: Uint8Array,
      imports: Record<string, unknown>,
    ): Promise<{ instance: { exports: Record<string, unknown> } }>;
  };
};

// Node 20 cannot import the package's .wasm as an ES module, so instantiate it by hand with the JS glue.
function loadEngineWasm(): Promise<void> {
  engineReady ??= (async () => {
    const gluePath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = gluePath.replace(/\.js$/, ".wasm");
    const { instance } = await wasmRuntime.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": engineBindings,
    });
    const exports = instance.exports as { __wbindgen_start: () => void };
    engineBindings.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return engineReady;
}

const CHAR_OID = 18;
const TEXT_OID = 25;

// adapter-pg cannot map Postgres' internal "char" type (catalog columns such as pg_constraint.contype), which
// introspection reads; its values are plain one-letter strings, so relabel those columns as text.
function introspectionPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const query = pool.query.bind(pool) as (config: pg.QueryConfig | string) => Promise<pg.QueryResult>;
  const relabelled = async (config: pg.QueryConfig | string) => {
    const result = await query(config);
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  pool.query = relabelled as typeof pool.query;
  return pool;
}

/**
 * adapter-pg's own shadow-database helper connects to the main database when given a connection string and
 * drops the shadow database while still connected to it; this one creates a uniquely named database on the same
 * server, connects to it, and drops it after closing the connection.
 */
class ShadowingPgFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "@prisma/adapter-pg";

  // The engine does not dispose its main connection when freed; close() ends every pool opened here.
  private readonly pools = new Set<pg.Pool>();

  constructor(private readonly databaseUrl: string) {}

  connect(): Promise<SqlDriverAdapter> {
    return this.connectAdapter(this.databaseUrl);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `bandkeeper_shadow_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    await createDatabase(this.databaseUrl, name);
    const adapter = await this.connectAdapter(databaseUrlFor(this.databaseUrl, name));
    const closeConnection = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await closeConnection();
      await dropDatabase(this.databaseUrl, name);
    };
    return adapter;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools].map((pool) => pool.end()));
    this.pools.clear();
  }

  private async connectAdapter(url: string): Promise<SqlDriverAdapter> {
    const pool = introspectionPool(url);
    this.pools.add(pool);
    const adapter = await new PrismaPg(pool).connect();
    // adapter-pg splits scripts at every ";", which breaks function bodies in migrations; Postgres' simple query
    // protocol runs a whole multi-statement script as it is. Errors still go through the adapter's own mapping.
    const mapError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
    adapter.executeScript = async (script: string) => {
      await pool.query(script).catch(mapError);
    };
    adapter.dispose = async () => {
      this.pools.delete(pool);
      await pool.end();
    };
    return adapter;
  }
}

export interface SchemaEngineSession {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/**
 * Starts the WASM schema engine against a database server; `databaseUrl` hosts the shadow databases.
 * `log` receives the engine's diagnostic lines.
 */
export async function startSchemaEngine(
  databaseUrl: string,
  log: (line: string) => void = () => undefined,
): Promise<SchemaEngineSession> {
  await loadEngineWasm();
  const factory = new ShadowingPgFactory(databaseUrl);
  const engine = await engineBindings.SchemaEngine.new(
    { datamodels: undefined },
    log,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await factory.close();
    },
  };
}

export const MIGRATION_LOCKFILE_NAME = "migration_lock.toml";
export const MIGRATION_LOCKFILE = `# Please do not edit this file manually
# It should be added in your version-control system (e.g., Git)
provider = "postgresql"
`;

/**
 * The SQL that takes a database migrated with every migration in `migrationsDir` to the schema at `schemaPath`
 * (`prisma migrate diff --from-migrations --to-schema --script`); empty when they already match.
 */
export async function diffMigrationsToSchema(options: {
  serverUrl: string;
  migrationsDir: string;
  schemaPath: string;
}): Promise<string> {
  const migrations = await readMigrations(options.migrationsDir);
  const lockfilePath = join(options.migrationsDir, MIGRATION_LOCKFILE_NAME);
  const session = await startSchemaEngine(options.serverUrl);
  try {
    const { stdout } = await session.engine.diff({
      from: {
        tag: "migrations",
        baseDir: options.migrationsDir,
        lockfile: {
          path: MIGRATION_LOCKFILE_NAME,
          // The engine reads the connector from the lockfile, which the first migration has yet to write.
          content: existsSync(lockfilePath) ? await readFile(lockfilePath, "utf8") : MIGRATION_LOCKFILE,
        },
        shadowDbInitScript: "",
        migrationDirectories: migrations.map((migration) => ({
          path: migration.name,
          migrationFile: { path: "migration.sql", content: { tag: "ok", value: migration.sql } },
        })),
      },
      to: {
        tag: "schemaDatamodel",
        files: [{ path: options.schemaPath, content: await readFile(options.schemaPath, "utf8") }],
      },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const script = stdout ?? "";
    // An empty diff is a comment line only ("-- This is an empty migration.").
    return /^\s*[A-Z]/m.test(script) ? script : "";
  } finally {
    await session.close();
  }
}
