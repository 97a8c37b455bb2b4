import { defaultBotConfig, diffConfigs } from "@bandkeeper/core/config";
import { describe, expect, it } from "vitest";
import {
  CONFIG_FIELDS,
  asPercent,
  configToTexts,
  formatConfigValue,
  textsToConfig,
} from "../src/app/(dashboard)/changes/_lib/config-form";

function leafPaths(value: unknown, prefix: string[] = []): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [prefix.join(".")];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
}

describe("the config form", () => {
  it("has a field for every setting of the engine's config, and each once", () => {
    const paths = CONFIG_FIELDS.map((field) => field.path);
    expect(new Set(paths).size).toBe(paths.length);
    // Optional settings have no default, so the defaults name all but those.
    const optional = CONFIG_FIELDS.filter((field) => field.optional).map((field) => field.path);
    expect([...paths].filter((path) => !optional.includes(path)).sort()).toEqual(leafPaths(defaultBotConfig).sort());
  });

  it("turns a config into text and back unchanged", () => {
    const result = textsToConfig(configToTexts(defaultBotConfig));
    expect(result.ok && diffConfigs(defaultBotConfig, result.config)).toEqual([]);
  });

  it("keeps money as a decimal string and leaves empty optional settings unset", () => {
    const texts = { ...configToTexts(defaultBotConfig), minNotional: "12500.50", "risk.maxBasePosition": "" };
    const result = textsToConfig(texts);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.minNotional).toBe("12500.50");
    expect(result.config.risk.maxBasePosition).toBeUndefined();
  });

  it("names each invalid field with its reason, as the engine's schema and the form see it", () => {
    const texts = {
      ...configToTexts(defaultBotConfig),
      "band.maxSpread": "",
      ordersPerSide: "two",
      "reference.trades": "0",
      "risk.maxQuotePosition": "-5",
    };
    const result = textsToConfig(texts);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.issues.map((issue) => [issue.path, issue.message]));
    expect(byPath["band.maxSpread"]).toBe("enter a value");
    expect(byPath.ordersPerSide).toBe("must be a number");
    expect(byPath["reference.trades"]).toMatch(/>=1|at least 1|too small/i);
    expect(byPath["risk.maxQuotePosition"]).toBeDefined();
  });

  it("reports the engine's cross-field rules on the field they name, in plain words", () => {
    const result = textsToConfig({ ...configToTexts(defaultBotConfig), "band.minSpread": "0.01", "band.maxSpread": "0.004", targetFactor: "0.8" });
    expect(result.ok || result.issues).toContainEqual({ path: "band.minSpread", message: "The closest distance (0.01 = 1%) must be below the farthest (0.004 = 0.4%)" });
  });

  it("says zod's limits as a person would, fractions with their percentage", () => {
    const texts = configToTexts(defaultBotConfig);
    const issue = (path: string, text: string) => {
      const result = textsToConfig({ ...texts, [path]: text });
      return result.ok ? undefined : result.issues.find((candidate) => candidate.path === path)?.message;
    };
    expect(issue("ordersPerSide", "50")).toBe("must be at most 20");
    expect(issue("band.maxSpread", "0.9")).toBe("must be at most 0.5 (50%)");
    expect(issue("ordersPerSide", "1.5")).toBe("must be a whole number");
    expect(issue("targetFactor", "0")).toBe("must be above 0");
  });

  it("shows fractions as percentages too", () => {
    expect(asPercent("0.004")).toBe("0.40%");
    expect(asPercent("x")).toBeNull();
    expect(formatConfigValue("band.maxSpread", 0.005)).toBe("0.005 (0.50%)");
    expect(formatConfigValue("refreshMs", 1000)).toBe("1000 ms");
    expect(formatConfigValue("risk.maxBasePosition", undefined)).toBe("not set");
  });
});
