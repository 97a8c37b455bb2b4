// A bot config from a YAML or JSON file, validated by core's schema; every field left out takes its default.
import { readFile } from "node:fs/promises";
import { parseBotConfig, type BotConfig, type ConfigIssue } from "@bandkeeper/core";
import { parse as parseYaml } from "yaml";

export class BotConfigFileError extends Error {
  override name = "BotConfigFileError";

  constructor(
    readonly path: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(`invalid bot config ${path}:\n${issues.map((i) => `  ${i.path || "(root)"}: ${i.message}`).join("\n")}`);
  }
}

/** Reads and validates a config file (`.json` as JSON, anything else as YAML, which also reads JSON). */
export async function readBotConfigFile(path: string): Promise<BotConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new BotConfigFileError(path, [{ path: "", message: `cannot read the file: ${(error as Error).message}` }]);
  }
  let raw: unknown;
  try {
    raw = path.toLowerCase().endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new BotConfigFileError(path, [{ path: "", message: `not valid ${path.toLowerCase().endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}` }]);
  }
  return botConfigFrom(raw ?? {}, path);
}

export function botConfigFrom(raw: unknown, source = "config"): BotConfig {
  const parsed = parseBotConfig(raw);
  if (!parsed.ok) throw new BotConfigFileError(source, parsed.issues);
  return parsed.config;
}
