// The bot config as a form: every field of core's botConfigSchema as text the user edits, turned back into a
// config and checked with the same parseBotConfig the engine uses, so each invalid field is named before submit.
import { type BotConfig, type ConfigIssue, REFERENCE_METHODS, parseBotConfig } from "@bandkeeper/core/config";

// How a field's text becomes a value: a JS number (fractions, counts, milliseconds), a decimal string (money,
// which never passes through a float) or one of a set of words.
export type FieldKind = "fraction" | "number" | "integer" | "ms" | "decimal" | "enum";

export interface ConfigField {
  path: string;
  label: string;
  kind: FieldKind;
  options?: readonly string[];
  // Absent means "not set" to the engine (no limit, no window); the field may be left empty.
  optional?: boolean;
  hint?: string;
}

export interface ConfigSection {
  title: string;
  fields: readonly ConfigField[];
}

export const CONFIG_SECTIONS: readonly ConfigSection[] = [
  {
    title: "Band and quoting",
    fields: [
      { path: "band.minSpread", label: "Min spread", kind: "fraction", hint: "the closest distance an order may sit from the reference" },
      { path: "band.maxSpread", label: "Max spread", kind: "fraction", hint: "the farthest distance it may sit" },
      { path: "targetFactor", label: "Target factor", kind: "number", hint: "target distance = factor × max spread" },
      { path: "hysteresis.innerMargin", label: "Inner margin", kind: "fraction", hint: "requote once an order leaves the band shrunk by this" },
      { path: "hysteresis.driftThreshold", label: "Drift threshold", kind: "fraction", hint: "requote once this far from target" },
      { path: "ordersPerSide", label: "Orders per side", kind: "integer" },
      { path: "levelSpacing", label: "Level spacing", kind: "fraction", hint: "between levels of one side" },
    ],
  },
  {
    title: "Size",
    fields: [
      { path: "minNotional", label: "Min notional", kind: "decimal", hint: "quote units per order, e.g. 10000 USDT" },
      { path: "notionalMargin", label: "Notional margin", kind: "fraction", hint: "orders are sized this much above the minimum" },
    ],
  },
  {
    title: "Reference price",
    fields: [
      { path: "reference.method", label: "Method", kind: "enum", options: REFERENCE_METHODS },
      { path: "reference.trades", label: "Trades", kind: "integer", hint: "last N trades for TWAP and VWAP" },
      { path: "reference.windowMs", label: "Window", kind: "ms", optional: true, hint: "also drop older trades; empty: no window" },
      { path: "reference.twapWeight", label: "TWAP weight", kind: "number", hint: "HYBRID: share of TWAP, the rest VWAP" },
      { path: "reference.tradeHalfLifeMs", label: "Trade half-life", kind: "ms", hint: "ageing trades lose half their weight to the book mid every this long" },
      { path: "reference.tradeStaleAfterMs", label: "Trades ignored after", kind: "ms", hint: "older trades carry no weight: the reference is the book mid" },
      { path: "reference.outlierThreshold", label: "Outlier threshold", kind: "fraction", hint: "trades this far from mid are ignored" },
      { path: "reference.onStale", label: "On a dead feed", kind: "enum", options: ["PULL", "HOLD"], hint: "what resting quotes do while market data is down" },
    ],
  },
  {
    title: "Requoting",
    fields: [
      { path: "requoteMode", label: "Mode", kind: "enum", options: ["event", "periodic"] },
      { path: "refreshMs", label: "Refresh every", kind: "ms", hint: "periodic mode only" },
    ],
  },
  {
    title: "Fill avoidance",
    fields: [
      { path: "fillAvoidance.volatilityWindowMs", label: "Volatility window", kind: "ms" },
      { path: "fillAvoidance.volatilityWidenFactor", label: "Volatility widen factor", kind: "number" },
      { path: "fillAvoidance.sweepWindowMs", label: "Sweep window", kind: "ms" },
      { path: "fillAvoidance.sweepMinMove", label: "Sweep min move", kind: "fraction" },
      { path: "fillAvoidance.sweepMinAggressorShare", label: "Sweep aggressor share", kind: "number", hint: "0.5 to 1" },
      { path: "fillAvoidance.sweepWiden", label: "Sweep widen", kind: "fraction" },
      { path: "fillAvoidance.pullSideMove", label: "Pull side at move", kind: "fraction", optional: true, hint: "empty: never pull a side" },
    ],
  },
  {
    title: "Risk limits",
    fields: [
      { path: "risk.maxBasePosition", label: "Max base position", kind: "decimal", optional: true, hint: "empty: no limit" },
      { path: "risk.maxQuotePosition", label: "Max quote position", kind: "decimal", optional: true, hint: "empty: no limit" },
      { path: "risk.maxPriceMove.fraction", label: "Max price move", kind: "fraction", hint: "widen at half, pause at the full move" },
      { path: "risk.maxPriceMove.windowMs", label: "Price move window", kind: "ms" },
      { path: "risk.maxOrdersPerInterval.count", label: "Max requotes", kind: "integer", hint: "of orders still valid; restoring a side is never held" },
      { path: "risk.maxOrdersPerInterval.intervalMs", label: "… per interval", kind: "ms" },
      { path: "risk.maxOpenOrders", label: "Max open orders", kind: "integer" },
      { path: "risk.apiErrorsToPause", label: "API errors to pause", kind: "integer" },
      { path: "risk.apiErrorsToEmergencyStop", label: "API errors to emergency stop", kind: "integer" },
      { path: "risk.warnAt", label: "Warn at", kind: "number", hint: "fraction of a limit, e.g. 0.8" },
    ],
  },
];

export const CONFIG_FIELDS: readonly ConfigField[] = CONFIG_SECTIONS.flatMap((section) => section.fields);

export type ConfigTexts = Record<string, string>;

function valueAt(source: unknown, path: string): unknown {
  let value = source;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** The form's text for a config (a stored one, with defaults filled in). */
export function configToTexts(config: unknown): ConfigTexts {
  const texts: ConfigTexts = {};
  for (const field of CONFIG_FIELDS) {
    const value = valueAt(config, field.path);
    texts[field.path] =
      typeof value === "number" || typeof value === "string" || typeof value === "boolean"
        ? String(value)
        : value === undefined || value === null
          ? ""
          : JSON.stringify(value);
  }
  return texts;
}

export type FormResult = { ok: true; config: BotConfig; input: Record<string, unknown> } | { ok: false; issues: ConfigIssue[]; input: Record<string, unknown> };

/** Text back to a config, checked field by field with the engine's schema. `input` is what goes to the server. */
export function textsToConfig(texts: ConfigTexts): FormResult {
  const input: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  for (const field of CONFIG_FIELDS) {
    const text = (texts[field.path] ?? "").trim();
    if (text === "") {
      // Left out, a required field would silently take its default: say so instead.
      if (!field.optional) issues.push({ path: field.path, message: "enter a value" });
      continue;
    }
    if (field.kind === "enum" || field.kind === "decimal") {
      setAt(input, field.path, text);
      continue;
    }
    const number = Number(text);
    if (!Number.isFinite(number)) {
      issues.push({ path: field.path, message: "must be a number" });
      continue;
    }
    setAt(input, field.path, number);
  }
  const parsed = parseBotConfig(input);
  if (issues.length > 0 || !parsed.ok) {
    // The schema's issues for fields the form already flagged would only repeat them.
    const flagged = new Set(issues.map((issue) => issue.path));
    const schemaIssues = parsed.ok ? [] : parsed.issues.filter((issue) => !flagged.has(issue.path)).map(inPlainWords);
    return { ok: false, issues: [...issues, ...schemaIssues], input };
  }
  return { ok: true, config: parsed.config, input };
}

const plainPercent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 4 });
const withPercent = (text: string) => `${text} = ${plainPercent.format(Number(text))}`;

/**
 * The engine's schema speaks in field names and zod's words ("band minSpread (0.01) must be below maxSpread
 * (0.004)", "Too big: expected number to be <=20"); a person reads distances and limits. Anything not known here
 * is shown as the schema says it.
 */
export function inPlainWords(issue: ConfigIssue): ConfigIssue {
  const fraction = CONFIG_FIELDS.find((field) => field.path === issue.path)?.kind === "fraction";
  const value = (text: string) => (fraction ? `${text} (${plainPercent.format(Number(text))})` : text);
  const rules: [RegExp, (...parts: string[]) => string][] = [
    [/^band minSpread \((.+)\) must be below maxSpread \((.+)\)$/, (min = "", max = "") => `The closest distance (${withPercent(min)}) must be below the farthest (${withPercent(max)})`],
    [
      /^target distance (.+) \(targetFactor x maxSpread\) lies outside the band \[(.+), (.+)\]$/,
      (target = "", min = "", max = "") => `The target distance (target factor × farthest distance = ${withPercent(target)}) must lie inside the band, between ${withPercent(min)} and ${withPercent(max)}`,
    ],
    [/^Too small: expected number to be >=(.+)$/, (limit = "") => `must be at least ${value(limit)}`],
    [/^Too small: expected number to be >(.+)$/, (limit = "") => `must be above ${value(limit)}`],
    [/^Too big: expected number to be <=(.+)$/, (limit = "") => `must be at most ${value(limit)}`],
    [/^Too big: expected number to be <(.+)$/, (limit = "") => `must be below ${value(limit)}`],
    [/^Invalid input: expected int, received number$/, () => "must be a whole number"],
  ];
  for (const [pattern, say] of rules) {
    const match = pattern.exec(issue.message);
    if (match) return { ...issue, message: say(...match.slice(1)) };
  }
  return issue;
}

export function fieldLabel(path: string): string {
  const field = CONFIG_FIELDS.find((candidate) => candidate.path === path);
  return field ? field.label : path;
}

const percent = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 4 });

/** A fraction as traders read it: 0.004 -> "0.40%"; null when the text is not a number. */
export function asPercent(text: string): string | null {
  const value = Number(text);
  return text.trim() !== "" && Number.isFinite(value) ? percent.format(value) : null;
}

/** One config value for a diff or a summary, in the field's unit. */
export function formatConfigValue(path: string, value: unknown): string {
  if (value === undefined || value === null) return "not set";
  const kind = CONFIG_FIELDS.find((candidate) => candidate.path === path)?.kind;
  if (kind === "fraction" && typeof value === "number") return `${value} (${percent.format(value)})`;
  if (kind === "ms" && typeof value === "number") return `${value} ms`;
  return typeof value === "string" ? value : JSON.stringify(value);
}
