// The Prometheus configuration and alerting rules. With promtool installed (Debian's `prometheus` package) it
// checks the config and rules and runs the rule unit tests (prometheus/rules.test.yml); without it those three are
// skipped and the parser checks here still run: every rule well formed, reading series and labels the engine
// exposes, and the `app` group matching the dashboard's default alert rules one for one (same kind, threshold and
// window as packages/core DEFAULT_ALERT_RULES).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ALERT_RULE_KINDS, DEFAULT_ALERT_RULES } from "@bandkeeper/core/alerts";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { engineLabelNames, engineSeriesNames, labelsIn, seriesIn } from "./metric-names";

const PROMETHEUS = fileURLToPath(new URL("../prometheus/", import.meta.url));
const RULES_FILE = join(PROMETHEUS, "rules/bandkeeper.rules.yml");

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
const groups = (parse(readFileSync(RULES_FILE, "utf8")) as { groups: { name: string; rules: Rule[] }[] }).groups;
const rules = groups.flatMap((group) => group.rules);

const promtool = spawnSync("promtool", ["--version"], { encoding: "utf8" }).status === 0;

function runPromtool(args: string[]): { status: number | null; output: string } {
  const result = spawnSync("promtool", args, { cwd: PROMETHEUS, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Prometheus durations as the rules use them: 30s, 1m, 15m, 1h. */
function seconds(duration: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"];
}

describe.skipIf(!promtool)("promtool (skipped where Debian's prometheus package is not installed)", () => {
  it("check rules", () => {
    const result = runPromtool(["check", "rules", RULES_FILE]);
    expect(result.status, result.output).toBe(0);
  });
  it("check config", () => {
    const result = runPromtool(["check", "config", "--syntax-only", join(PROMETHEUS, "prometheus.yml")]);
    expect(result.status, result.output).toBe(0);
  });
  it("test rules: the alerts fire on a breach and not on a healthy bot", () => {
    const result = runPromtool(["test", "rules", "rules.test.yml"]);
    expect(result.status, result.output).toBe(0);
  });
});

describe("alerting rules", () => {
  const series = engineSeriesNames();
  const labels = engineLabelNames();

  it("are well formed: a unique name, an expression, a severity and a summary; durations Prometheus reads", () => {
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(rule.alert, rule.alert).toMatch(/^Bandkeeper[A-Z][A-Za-z0-9]+$/);
      expect(rule.expr.trim().length, rule.alert).toBeGreaterThan(0);
      expect(["warning", "critical"], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      if (rule.for !== undefined) expect(seconds(rule.for), rule.alert).toBeGreaterThan(0);
      for (const [, window] of rule.expr.matchAll(/\[(\w+)\]/g)) expect(seconds(window!), rule.alert).toBeGreaterThan(0);
      // Brackets balance (a cheap stand-in for promtool's parser where it is missing).
      for (const [open, close] of [["(", ")"], ["{", "}"], ["[", "]"]] as const) expect(rule.expr.split(open).length, `${rule.alert} ${open}${close}`).toBe(rule.expr.split(close).length);
    }
  });

  it("read only series and labels the engine exposes (and `up`)", () => {
    for (const rule of rules) {
      const names = seriesIn(rule.expr);
      expect(names.length > 0 || /\bup\{/.test(rule.expr), rule.alert).toBe(true);
      for (const name of names) expect(series.has(name), `${name} in ${rule.alert}`).toBe(true);
      for (const label of labelsIn(rule.expr)) expect(labels.has(label), `label ${label} in ${rule.alert}`).toBe(true);
    }
  });

  it("the app group has one rule per alert kind of the dashboard, with the default rule's threshold and window", () => {
    const app = groups.find((group) => group.name === "bandkeeper-app")!.rules;
    expect(app.map((rule) => rule.labels.app_rule).sort()).toEqual([...ALERT_RULE_KINDS].sort());
    for (const defaults of DEFAULT_ALERT_RULES) {
      const rule = app.find((candidate) => candidate.labels.app_rule === defaults.kind)!;
      if (defaults.threshold !== null) {
        const threshold = Number(/[<>]\s*([\d.]+)\s*$/.exec(rule.expr)?.[1]);
        // The dashboard's latency thresholds are milliseconds; the gauge is in seconds.
        expect(threshold, defaults.kind).toBeCloseTo(defaults.kind === "LATENCY_P99_ABOVE" ? defaults.threshold / 1000 : defaults.threshold, 9);
        expect(rule.expr, defaults.kind).toContain(defaults.kind.endsWith("_BELOW") ? " < " : " > ");
      }
      if (defaults.windowSeconds !== null) {
        expect(seconds(rule.labels.window ?? "0s"), `${defaults.kind} window`).toBe(defaults.windowSeconds);
        const gaugeWindow = /window="(\w+)"/.exec(rule.expr)?.[1];
        const rangeWindow = /\[(\w+)\]/.exec(rule.expr)?.[1];
        const measured = gaugeWindow ?? rangeWindow ?? rule.for;
        expect(measured && seconds(measured), `${defaults.kind} measured over its window`).toBe(defaults.windowSeconds);
      }
    }
  });

  it("Prometheus loads them and scrapes both engines", () => {
    const config = parse(readFileSync(join(PROMETHEUS, "prometheus.yml"), "utf8")) as { rule_files: string[]; scrape_configs: { job_name: string }[] };
    expect(config.rule_files).toEqual(["/etc/prometheus/rules/*.yml"]);
    expect(config.scrape_configs.map((job) => job.job_name)).toContain("bandkeeper-engine");
    // The job name the heartbeat rule and the dashboards use.
    expect(rules.find((rule) => rule.labels.app_rule === "ENGINE_HEARTBEAT_LOST")?.expr).toContain('job="bandkeeper-engine"');
  });
});
