// Server-level helpers: databases are created and dropped through a connection to the server's `postgres`
// database, never through the database being created or dropped.
import pg from "pg";

/** The same server and credentials as `url`, pointing at database `name`. */
export function databaseUrlFor(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export async function withServerClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrlFor(url, "postgres") });
  // A dropped connection also rejects the pending query, which is what reports it.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export async function databaseExists(url: string, name: string): Promise<boolean> {
  return withServerClient(url, async (client) => {
    const result = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return result.rowCount === 1;
  });
}

export async function createDatabase(url: string, name: string): Promise<void> {
  await withServerClient(url, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
}

/** Drops `name` even if connections linger (a test that forgot to disconnect must not leak databases). */
export async function dropDatabase(url: string, name: string): Promise<void> {
  await withServerClient(url, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
  );
}
