// Core's purity is a lint rule (tooling/eslint/boundaries.js): each forbidden thing below is reported, and the same
// code through the injected ports is not.
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import { corePurity, envOnlyInEnvFiles } from "@bandkeeper/eslint-config/boundaries";

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, { ...corePurity, files: ["**/*.ts"] }],
});

async function violations(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: "src/example.ts" });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe("core purity rules", () => {
  it.each([
    ["the wall clock", "export const t = Date.now();", "no-restricted-properties"],
    ["a wall-clock date", "export const d = new Date();", "no-restricted-syntax"],
    ["randomness", "export const r = Math.random();", "no-restricted-properties"],
    ["a timer", "setTimeout(() => undefined, 10);", "no-restricted-globals"],
    ["the environment", "export const v = process.env.X;", "no-restricted-globals"],
    ["a network call", "export const p = fetch('http://127.0.0.1');", "no-restricted-globals"],
    ["a node module", "import { readFileSync } from 'node:fs'; export const f = readFileSync;", "no-restricted-imports"],
    ["the database package", "import { createPrisma } from '@bandkeeper/db'; export const c = createPrisma;", "no-restricted-imports"],
  ])("reports %s", async (_what, code, rule) => {
    expect(await violations(code)).toEqual([rule]);
  });

  it("accepts time and ids through ports, and a date built from a given time", async () => {
    const code = [
      "interface Clock { now(): number }",
      "export function stamp(clock: Clock, ids: { next(): string }) { return { at: new Date(clock.now()), id: ids.next() }; }",
    ].join("\n");
    expect(await violations(code)).toEqual([]);
  });
});

describe("settings are read in env.ts", () => {
  const everywhere = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, envOnlyInEnvFiles],
  });
  const code = "export const port = process.env.PORT;\nexport const inherited = { ...process.env };";

  it("reports a named setting read anywhere else, and not the whole environment passed on", async () => {
    const [result] = await everywhere.lintText(code, { filePath: "src/server.ts" });
    expect(result!.messages.map((m) => [m.ruleId, m.line])).toEqual([["no-restricted-syntax", 1]]);
  });

  it("accepts it in env.ts", async () => {
    const [result] = await everywhere.lintText(code, { filePath: "src/env.ts" });
    expect(result!.messages).toEqual([]);
  });
});
