import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** core must stay pure (STYLE.md item 4): these would make replay non-deterministic or pull in IO. */
const BANNED: readonly [string, RegExp][] = [
  ["node: imports", /from\s+["']node:/],
  ["Date.now()", /Date\.now\s*\(/],
  ["new Date()", /new Date\s*\(\s*\)/],
  ["Math.random()", /Math\.random\s*\(/],
  ["performance.now()", /performance\.now\s*\(/],
  ["timers", /\b(setTimeout|setInterval|setImmediate)\s*\(/],
  ["process", /\bprocess\./],
  ["network", /\b(fetch|WebSocket)\s*\(/],
  ["other workspace packages", /from\s+["']@bandkeeper\//],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("packages/core purity", () => {
  const files = sourceFiles(join(import.meta.dirname, "..", "src"));

  it("finds the sources", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(BANNED)("uses no %s", (_what, pattern) => {
    const offenders = files.filter((f) => pattern.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});
