// The browser the browser tests run in, found before anything else runs: a fresh machine has none, and finding that
// out after the unit tests and a web build wastes ten minutes and ends in 37 identical failures.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { repoRoot } from "./settings";

/** The setting that names a browser explicitly (e2e/playwright.config.ts reads it too). */
export const BROWSER_PATH_VARIABLE = "PLAYWRIGHT_CHROMIUM_PATH";

/** Debian's and Ubuntu's Chromium. */
export const SYSTEM_CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"] as const;

/** The one line printed when no browser can be had; it names what to install. */
export const NO_BROWSER_MESSAGE =
  "No Chromium for the browser tests: run `npx playwright install chromium` (or as root on Debian/Ubuntu `apt-get install -y chromium`), " +
  `or set ${BROWSER_PATH_VARIABLE} to a Chromium or Chrome executable.`;

export class BrowserMissingError extends Error {
  override name = "BrowserMissingError";
}

export interface FoundBrowser {
  path: string;
  /** Where it came from, for the launcher's line. */
  source: "setting" | "system" | "playwright";
}

export interface BrowserSearch {
  env: NodeJS.ProcessEnv;
  exists: (path: string) => boolean;
  /** Where Playwright keeps its own Chromium (it may not be downloaded). */
  playwrightPath: string;
}

/**
 * The first browser there is: the one the setting names (which must exist: a typo is an error, not a silent
 * fallback), Debian's Chromium, then Playwright's own download.
 */
export function findBrowser({ env, exists, playwrightPath }: BrowserSearch): FoundBrowser | undefined {
  const named = env[BROWSER_PATH_VARIABLE];
  if (named !== undefined && named !== "") {
    if (!exists(named)) throw new BrowserMissingError(`${BROWSER_PATH_VARIABLE}: ${named} does not exist`);
    return { path: named, source: "setting" };
  }
  const system = SYSTEM_CHROMIUM_PATHS.find((path) => exists(path));
  if (system) return { path: system, source: "system" };
  if (exists(playwrightPath)) return { path: playwrightPath, source: "playwright" };
  return undefined;
}

/** One way of installing a browser: a command and how long it may take. */
export interface InstallStep {
  what: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/**
 * How this machine may get a browser, in order: Playwright's installer (it downloads from Playwright's own host,
 * which some networks cannot reach: a short connection timeout so that costs seconds, not minutes), then the
 * distribution's package when running as root with apt-get.
 */
export function installSteps(options: { isRoot: boolean; hasAptGet: boolean; playwrightCli: string; nodePath: string }): InstallStep[] {
  const steps: InstallStep[] = [
    {
      what: "Playwright's Chromium (npx playwright install chromium)",
      command: options.nodePath,
      args: [options.playwrightCli, "install", "chromium"],
      env: { PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT: "15000" },
      timeoutMs: 10 * 60_000,
    },
  ];
  if (options.isRoot && options.hasAptGet) {
    steps.push({
      what: "the distribution's Chromium (apt-get install chromium)",
      command: "sh",
      args: ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null"],
      timeoutMs: 10 * 60_000,
    });
  }
  return steps;
}

export interface EnsureBrowserOptions extends BrowserSearch {
  steps: readonly InstallStep[];
  /** Runs one step; resolves true when it succeeded. */
  runStep: (step: InstallStep) => Promise<boolean>;
  say: (line: string) => void;
}

/** A browser found, or installed by the first step that works; else a BrowserMissingError with NO_BROWSER_MESSAGE. */
export async function ensureBrowser(options: EnsureBrowserOptions): Promise<FoundBrowser> {
  const found = findBrowser(options);
  if (found) return found;
  for (const step of options.steps) {
    options.say(`No Chromium found; installing ${step.what}…`);
    const ok = await options.runStep(step);
    const installed = findBrowser(options);
    if (installed) return installed;
    options.say(ok ? `${step.what}: installed, but no browser where expected` : `${step.what}: failed`);
  }
  throw new BrowserMissingError(NO_BROWSER_MESSAGE);
}

/** Runs a step with its output shown, killed after its timeout. */
export function runInstallStep(step: InstallStep): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: repoRoot, env: { ...process.env, ...step.env }, stdio: ["ignore", "inherit", "inherit"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), step.timeoutMs);
    child.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

/** The browser for `npm test` on this machine, installing one if it can. */
export function browserForTests(say: (line: string) => void): Promise<FoundBrowser> {
  const exists = (path: string) => existsSync(path);
  return ensureBrowser({
    env: process.env,
    exists,
    playwrightPath: chromium.executablePath(),
    steps: installSteps({
      isRoot: process.getuid?.() === 0,
      hasAptGet: existsSync("/usr/bin/apt-get"),
      playwrightCli: join(repoRoot, "node_modules/@playwright/test/cli.js"),
      nodePath: process.execPath,
    }),
    runStep: runInstallStep,
    say,
  });
}
