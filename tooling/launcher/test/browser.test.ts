// How `npm test` finds or installs the browser for the browser tests: the search order, what an install step that
// fails or succeeds leads to, and the one line when nothing works. The machine is a set of paths the test controls.
import { describe, expect, it } from "vitest";
import {
  BROWSER_PATH_VARIABLE,
  BrowserMissingError,
  ensureBrowser,
  findBrowser,
  installSteps,
  NO_BROWSER_MESSAGE,
  type InstallStep,
} from "../src/browser";

const PLAYWRIGHT = "/root/.cache/ms-playwright/chromium-1/chrome-linux64/chrome";

function machine(paths: string[]) {
  const present = new Set(paths);
  return { present, exists: (path: string) => present.has(path) };
}

describe("findBrowser", () => {
  const cases: { name: string; paths: string[]; env?: NodeJS.ProcessEnv; expected: string | undefined; source?: string }[] = [
    { name: "the setting first", paths: ["/opt/chrome", "/usr/bin/chromium", PLAYWRIGHT], env: { [BROWSER_PATH_VARIABLE]: "/opt/chrome" }, expected: "/opt/chrome", source: "setting" },
    { name: "Debian's Chromium before Playwright's", paths: ["/usr/bin/chromium", PLAYWRIGHT], expected: "/usr/bin/chromium", source: "system" },
    { name: "Ubuntu's name for it", paths: ["/usr/bin/chromium-browser"], expected: "/usr/bin/chromium-browser", source: "system" },
    { name: "Playwright's own download", paths: [PLAYWRIGHT], expected: PLAYWRIGHT, source: "playwright" },
    { name: "an empty setting counts as unset", paths: [PLAYWRIGHT], env: { [BROWSER_PATH_VARIABLE]: "" }, expected: PLAYWRIGHT, source: "playwright" },
    { name: "nothing", paths: [], expected: undefined },
  ];
  for (const { name, paths, env = {}, expected, source } of cases) {
    it(name, () => {
      const found = findBrowser({ env, exists: machine(paths).exists, playwrightPath: PLAYWRIGHT });
      expect(found?.path).toBe(expected);
      if (source) expect(found?.source).toBe(source);
    });
  }

  it("a setting naming a missing file is an error naming the setting, not a quiet fallback", () => {
    expect(() => findBrowser({ env: { [BROWSER_PATH_VARIABLE]: "/nope/chrome" }, exists: machine(["/usr/bin/chromium"]).exists, playwrightPath: PLAYWRIGHT })).toThrow(
      `${BROWSER_PATH_VARIABLE}: /nope/chrome does not exist`,
    );
  });
});

describe("installSteps", () => {
  const base = { playwrightCli: "/repo/node_modules/@playwright/test/cli.js", nodePath: "/usr/bin/node" };

  it("Playwright's installer with a short connection timeout, then apt-get only as root", () => {
    const asRoot = installSteps({ ...base, isRoot: true, hasAptGet: true });
    expect(asRoot.map((step) => step.command)).toEqual(["/usr/bin/node", "sh"]);
    expect(asRoot[0]!.args).toEqual([base.playwrightCli, "install", "chromium"]);
    expect(Number(asRoot[0]!.env?.PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT)).toBeLessThanOrEqual(30_000);
    expect(asRoot[1]!.args.join(" ")).toContain("apt-get install -y -qq chromium");

    expect(installSteps({ ...base, isRoot: false, hasAptGet: true })).toHaveLength(1);
    expect(installSteps({ ...base, isRoot: true, hasAptGet: false })).toHaveLength(1);
  });
});

describe("ensureBrowser", () => {
  const steps: InstallStep[] = [
    { what: "playwright", command: "node", args: [], timeoutMs: 1 },
    { what: "apt", command: "sh", args: [], timeoutMs: 1 },
  ];

  it("installs nothing when a browser is there", async () => {
    const ran: string[] = [];
    const found = await ensureBrowser({
      env: {},
      ...machine(["/usr/bin/chromium"]),
      playwrightPath: PLAYWRIGHT,
      steps,
      runStep: (step) => (ran.push(step.what), Promise.resolve(true)),
      say: () => undefined,
    });
    expect(found.path).toBe("/usr/bin/chromium");
    expect(ran).toEqual([]);
  });

  it("uses the first install step that puts a browser in place", async () => {
    const box = machine([]);
    const ran: string[] = [];
    const lines: string[] = [];
    const found = await ensureBrowser({
      env: {},
      exists: box.exists,
      playwrightPath: PLAYWRIGHT,
      steps,
      runStep: (step) => {
        ran.push(step.what);
        // Playwright's download host unreachable; the distribution's package installs.
        if (step.what === "apt") box.present.add("/usr/bin/chromium");
        return Promise.resolve(step.what === "apt");
      },
      say: (line) => lines.push(line),
    });
    expect(ran).toEqual(["playwright", "apt"]);
    expect(found).toEqual({ path: "/usr/bin/chromium", source: "system" });
    expect(lines).toContain("playwright: failed");
  });

  it("stops with the one line saying what to install when no step works", async () => {
    const attempt = ensureBrowser({ env: {}, ...machine([]), playwrightPath: PLAYWRIGHT, steps, runStep: () => Promise.resolve(false), say: () => undefined });
    await expect(attempt).rejects.toBeInstanceOf(BrowserMissingError);
    await expect(attempt).rejects.toThrow(NO_BROWSER_MESSAGE);
    expect(NO_BROWSER_MESSAGE).not.toContain("\n");
    expect(NO_BROWSER_MESSAGE).toContain("npx playwright install chromium");
  });
});

describe("npm test without a browser", () => {
  it("stops before anything runs, with one line naming the setting", async () => {
    const { execFile } = await import("node:child_process");
    const { fileURLToPath } = await import("node:url");
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ["--import", "tsx", "tooling/launcher/src/test.ts"],
        { cwd: root, env: { ...process.env, [BROWSER_PATH_VARIABLE]: "/nonexistent/chrome" }, timeout: 60_000 },
        (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`${BROWSER_PATH_VARIABLE}: /nonexistent/chrome does not exist`);
    expect(result.stdout).not.toContain("PostgreSQL");
  }, 90_000);
});
