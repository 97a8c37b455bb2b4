// The headless config file: exchange accounts and the bots to run on them, for teams that run without the
// dashboard. YAML or JSON; secrets as `${ENV_VAR}` references so they stay out of the file. An account signs with
// an HMAC secret (`apiSecret`) or an Ed25519 private key in PEM (`ed25519PrivateKey`). Every problem is reported at
// once, each naming the file, the path inside it and the reason.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { readEd25519PrivateKey, type SigningCredentials } from "@bandkeeper/binance";
import { parseBotConfig, type BotConfig } from "@bandkeeper/core";
import { isPlainLine } from "@bandkeeper/core/text";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { z } from "zod";

export interface HeadlessAccount {
  name: string;
  venue: "BINANCE" | "SIMULATOR";
  environment: "MAINNET" | "TESTNET" | "DEMO" | "SIMULATOR";
  baseUrl: string | null;
  apiKey: string;
  signing: SigningCredentials;
}

export interface HeadlessBot {
  /** Stable across runs (derived from account and symbol), so a restarted bot recognises its earlier orders. */
  id: string;
  account: string;
  symbol: string;
  config: BotConfig;
}

export interface HeadlessConfig {
  file: string;
  accounts: HeadlessAccount[];
  bots: HeadlessBot[];
}

export interface HeadlessConfigIssue {
  /** e.g. "bots[0].config.band.minSpread"; "" for the file as a whole. */
  path: string;
  message: string;
}

export class HeadlessConfigError extends Error {
  override name = "HeadlessConfigError";

  constructor(
    readonly file: string,
    readonly issues: readonly HeadlessConfigIssue[],
  ) {
    super(`Invalid headless config ${file}:\n${issues.map((issue) => `  ${issue.path || "(file)"}: ${issue.message}`).join("\n")}`);
  }
}

const accountSchema = z
  .strictObject({
    name: z.string({ error: "is required" }).min(1, "is required").refine(isPlainLine, "must not contain control characters"),
    venue: z.enum(["BINANCE", "SIMULATOR"], { error: "must be BINANCE or SIMULATOR" }),
    environment: z.enum(["MAINNET", "TESTNET", "DEMO", "SIMULATOR"], { error: "must be MAINNET, TESTNET, DEMO or SIMULATOR" }).optional(),
    baseUrl: z.url({ error: "must be an http(s):// URL" }).optional(),
    apiKey: z.string({ error: "is required" }).min(1, "is required"),
    apiSecret: z.string({ error: "must be text" }).min(1, "must not be empty").optional(),
    ed25519PrivateKey: z.string({ error: "must be text" }).min(1, "must not be empty").optional(),
  })
  .superRefine((account, ctx) => {
    if (account.apiSecret === undefined && account.ed25519PrivateKey === undefined) {
      ctx.addIssue({ code: "custom", path: ["apiSecret"], message: "is required (or ed25519PrivateKey for an Ed25519 key)" });
    }
    if (account.apiSecret !== undefined && account.ed25519PrivateKey !== undefined) {
      ctx.addIssue({ code: "custom", path: ["ed25519PrivateKey"], message: "cannot be given with apiSecret: an account signs with one key" });
    }
    // A `${NAME}` left in place was reported as an unset variable already.
    if (account.ed25519PrivateKey !== undefined && !/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(account.ed25519PrivateKey)) {
      try {
        readEd25519PrivateKey(account.ed25519PrivateKey);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["ed25519PrivateKey"], message: (error as Error).message });
      }
    }
    // Real money needs an explicit choice: no default environment for Binance.
    if (account.venue === "BINANCE" && account.environment === undefined) {
      ctx.addIssue({ code: "custom", path: ["environment"], message: "is required for a BINANCE account (MAINNET, TESTNET or DEMO)" });
    }
    if (account.venue === "BINANCE" && account.environment === "SIMULATOR" && account.baseUrl === undefined) {
      ctx.addIssue({ code: "custom", path: ["baseUrl"], message: "is required for a BINANCE account in the SIMULATOR environment" });
    }
  });

const botSchema = z.strictObject({
  account: z.string({ error: "is required" }).min(1, "is required"),
  symbol: z.string({ error: "is required" }).regex(/^[A-Z0-9]{2,20}$/, "must be an exchange symbol in capitals, e.g. BTCUSDT"),
  config: z.unknown().optional(),
});

// Only the file's top-level keys: each account and bot is checked on its own below, so one bad entry never hides
// the problems of the others.
const fileKeys = z.strictObject({ accounts: z.unknown(), bots: z.unknown() });

/** Looks up an environment variable for a `${NAME}` reference. */
export type EnvironmentLookup = (name: string) => string | undefined;

/** Reads and validates a headless config file. Throws HeadlessConfigError listing every problem. */
export async function loadHeadlessConfig(file: string, environment: EnvironmentLookup): Promise<HeadlessConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new HeadlessConfigError(file, [{ path: "", message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
  return parseHeadlessConfig(text, file, environment);
}

export function parseHeadlessConfig(text: string, file: string, environment: EnvironmentLookup): HeadlessConfig {
  let raw: unknown;
  try {
    raw = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` (line ${error.linePos[0].line})` : "";
    throw new HeadlessConfigError(file, [{ path: "", message: `is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}${where}: ${firstLine(error)}` }]);
  }

  const issues: HeadlessConfigIssue[] = [];
  const substituted = substitute(raw, [], environment, issues);
  if (!isRecord(substituted)) {
    throw new HeadlessConfigError(file, [...issues, { path: "", message: "must be a mapping with accounts and bots" }]);
  }
  const collect = (prefix: (string | number)[], error: z.ZodError) =>
    issues.push(...error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message })));
  const keys = fileKeys.safeParse(substituted);
  if (!keys.success) collect([], keys.error);

  const accounts: z.infer<typeof accountSchema>[] = [];
  listOf(substituted.accounts, "accounts", "must be a list of accounts", "must name at least one account", issues).forEach((entry, index) => {
    const account = accountSchema.safeParse(entry);
    if (account.success) accounts.push(account.data);
    else collect(["accounts", index], account.error);
  });
  const names = new Set<string>();
  accounts.forEach((account, index) => {
    if (names.has(account.name)) issues.push({ path: `accounts[${index}].name`, message: `${account.name} is named twice` });
    names.add(account.name);
  });
  // Names of entries that did not parse still count as named: a bot on such an account is not also reported.
  const accountEntries = Array.isArray(substituted.accounts) ? (substituted.accounts as unknown[]) : [];
  const namedAnywhere = new Set(accountEntries.flatMap((entry) => (isRecord(entry) && typeof entry.name === "string" ? [entry.name] : [])));

  const seen = new Set<string>();
  const bots: HeadlessBot[] = [];
  listOf(substituted.bots, "bots", "must be a list of bots", "must name at least one bot", issues).forEach((entry, index) => {
    const bot = botSchema.safeParse(entry);
    // The config is checked whatever the rest of the entry says.
    const config = parseBotConfig(isRecord(entry) ? (entry.config ?? {}) : {});
    if (!config.ok) {
      for (const issue of config.issues) issues.push({ path: `bots[${index}].config${issue.path ? `.${issue.path}` : ""}`, message: issue.message });
    }
    if (!bot.success) {
      collect(["bots", index], bot.error);
      return;
    }
    if (!namedAnywhere.has(bot.data.account)) issues.push({ path: `bots[${index}].account`, message: `no account is named ${bot.data.account}` });
    const key = `${bot.data.account}/${bot.data.symbol}`;
    if (seen.has(key)) issues.push({ path: `bots[${index}].symbol`, message: `${bot.data.symbol} already has a bot on account ${bot.data.account}` });
    seen.add(key);
    if (config.ok) bots.push({ id: headlessBotId(key), account: bot.data.account, symbol: bot.data.symbol, config: config.config });
  });
  if (issues.length > 0) throw new HeadlessConfigError(file, issues);

  return {
    file,
    accounts: accounts.map((account) => ({
      name: account.name,
      venue: account.venue,
      environment: account.environment ?? "SIMULATOR",
      baseUrl: account.baseUrl ?? null,
      apiKey: account.apiKey,
      signing: account.ed25519PrivateKey !== undefined ? { ed25519PrivateKey: account.ed25519PrivateKey } : { apiSecret: account.apiSecret ?? "" },
    })),
    bots,
  };
}

/** Replaces `${NAME}` in every string with the environment variable; a missing one is an issue at that path. */
function substitute(value: unknown, path: (string | number)[], environment: EnvironmentLookup, issues: HeadlessConfigIssue[]): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (reference, name: string) => {
      const found = environment(name);
      if (found !== undefined && found !== "") return found;
      // Reported once, here; the reference stays in place so the value is not also reported as missing.
      issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
      return reference;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, [...path, index], environment, issues));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, [...path, key], environment, issues)]));
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The entries of a list field, or none with an issue when it is missing, not a list or empty. */
function listOf(value: unknown, path: string, notAList: string, empty: string, issues: HeadlessConfigIssue[]): unknown[] {
  if (!Array.isArray(value)) {
    issues.push({ path, message: notAList });
    return [];
  }
  if (value.length === 0) issues.push({ path, message: empty });
  return value as unknown[];
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), "");
}

function headlessBotId(key: string): string {
  return `headless-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
