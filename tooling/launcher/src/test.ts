// `npm test`: every package's tests, then the browser tests, against one PostgreSQL server
// (embedded unless DATABASE_URL is set), which is stopped at the end whatever happened; then the 2-minute fault soak.
// The browser comes first: found or installed (src/browser.ts), or the run stops before anything else starts.
import { join } from "node:path";
import { startDatabase } from "@bandkeeper/db/postgres";
import { BROWSER_PATH_VARIABLE, BrowserMissingError, browserForTests } from "./browser";
import { run } from "./processes";
import { runScript } from "./script";
import { loadSettings, repoRoot } from "./settings";

async function main(): Promise<number> {
  const settings = loadSettings();
  let browser;
  try {
    browser = await browserForTests((line) => console.log(line));
  } catch (error) {
    if (!(error instanceof BrowserMissingError)) throw error;
    console.error(error.message);
    return 1;
  }
  console.log(`Browser tests use ${browser.path} (${browser.source === "setting" ? BROWSER_PATH_VARIABLE : browser.source === "system" ? "the system's Chromium" : "Playwright's Chromium"}).`);
  const database = await startDatabase({ projectDataDir: join(settings.dataDir, "test"), databaseUrl: settings.databaseUrl });
  console.log(database.embedded ? "Tests use an embedded PostgreSQL." : "Tests use the PostgreSQL server of DATABASE_URL.");
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: settings.nextAuthSecret,
    BANDKEEPER_ENCRYPTION_KEY: settings.encryptionKey,
    NEXT_TELEMETRY_DISABLED: "1",
    TURBO_TELEMETRY_DISABLED: "1",
    [BROWSER_PATH_VARIABLE]: browser.path,
  };
  const turbo = join(repoRoot, "node_modules/turbo/bin/turbo");
  const steps: [string, string[]][] = [
    ["unit and integration tests", [turbo, "run", "test", "--concurrency=1", "--output-logs=full"]],
    ["web build", [turbo, "run", "build", "--filter=@bandkeeper/web", "--output-logs=errors-only"]],
    ["browser tests", [join(repoRoot, "node_modules/@playwright/test/cli.js"), "test", "--config", join(repoRoot, "e2e/playwright.config.ts")]],
    // Its own Postgres, simulator and engines; one fixed schedule, so a failure can be run again as it was. Exits 1
    // when an invariant fails (tooling/soak/README.md).
    ["fault soak (2 minutes, seed 7)", ["--import", "tsx", join(repoRoot, "tooling/soak/src/main.ts"), "--minutes", "2", "--seed", "7"]],
  ];
  try {
    for (const [name, args] of steps) {
      console.log(`\n=== ${name} ===`);
      const code = await run(process.execPath, args, { cwd: repoRoot, env });
      if (code !== 0) {
        console.error(`${name} failed (exit code ${code}).`);
        return code;
      }
    }
    return 0;
  } finally {
    await database.stop();
  }
}

runScript(main, "Tests failed");
