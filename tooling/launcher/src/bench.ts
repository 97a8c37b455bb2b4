// `npm run bench`: runs every workspace's `bench` script (each prints one JSON object on stdout) against one
// database (embedded unless DATABASE_URL is set) and prints a single JSON document, a section per benchmark.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { startDatabase } from "@bandkeeper/db/postgres";
import { runScript } from "./script";
import { loadSettings, repoRoot } from "./settings";

type Workspace = { name: string; dir: string };

function workspacesWithBench(): Workspace[] {
  const found: Workspace[] = [];
  for (const group of ["packages", "apps", "tooling"]) {
    for (const entry of readdirSync(join(repoRoot, group))) {
      const manifest = join(repoRoot, group, entry, "package.json");
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; scripts?: Record<string, string> };
      if (pkg.scripts?.bench) found.push({ name: pkg.name, dir: join(repoRoot, group, entry) });
    }
  }
  return found;
}

function runBench(workspace: Workspace, env: NodeJS.ProcessEnv): Promise<unknown> {
  return new Promise((resolveRun) => {
    const child = spawn("npm", ["run", "--silent", "bench"], { cwd: workspace.dir, env: { ...process.env, ...env } });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    child.once("exit", (code) => {
      const lastJson = stdout.trim().split("\n").reverse().find((line) => line.trim().startsWith("{"));
      if (code !== 0 || !lastJson) {
        resolveRun({ error: `exit code ${code}`, output: stdout.slice(-2000) });
        return;
      }
      try {
        resolveRun(JSON.parse(lastJson));
      } catch {
        resolveRun({ error: "the benchmark did not print JSON", output: stdout.slice(-2000) });
      }
    });
  });
}

async function main(): Promise<number> {
  const settings = loadSettings();
  const database = await startDatabase({ projectDataDir: join(settings.dataDir, "bench"), databaseUrl: settings.databaseUrl });
  try {
    const report: Record<string, unknown> = {};
    for (const workspace of workspacesWithBench()) {
      process.stderr.write(`bench: ${workspace.name}…\n`);
      report[workspace.name] = await runBench(workspace, { DATABASE_URL: database.url });
    }
    process.stdout.write(JSON.stringify(report, null, 2) + "\n");
    return Object.values(report).some((section) => typeof section === "object" && section !== null && "error" in section) ? 1 : 0;
  } finally {
    await database.stop();
  }
}

runScript(main, "Benchmarks failed");
