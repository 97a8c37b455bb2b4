// Runs the replay CLI as a user would (a separate Node process through tsx) and collects what it printed.
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ENGINE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = resolve(ENGINE_DIR, "../../fixtures/binance");
export const CAPTURE = [resolve(FIXTURES, "btcusdt_20240808.gz"), resolve(FIXTURES, "btcusdt_20240809.gz")];

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/replay/cli.ts", ...args], { cwd: ENGINE_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}
