// Rule evaluation: a measurement per (rule, bot) and the decision to open, keep or resolve an alert. Hysteresis:
// an alert opens as soon as the threshold is crossed, but resolves only after the value has been past a recovery
// level (a step from the threshold towards the ideal) for several evaluations in a row, so a KPI hovering at its
// threshold raises one alert, not one per evaluation.
import type { KpiMinuteBucket } from "../kpi/kpi-tracker";
import { summariseKpis } from "../kpi/summary";
import { ALERT_RULE_KIND_INFO, isMetricKind, type AlertRuleKind, type AlertRuleSpec, type MetricKind } from "./rules";

export interface AlertPolicy {
  /** The recovery level lies this fraction of the way from the threshold to the ideal (0.1: 99.9% -> 99.91%). */
  readonly recoveryMargin: number;
  /** Consecutive evaluations at or past the recovery level before an alert resolves. */
  readonly recoveryEvaluations: number;
}

export const DEFAULT_ALERT_POLICY: AlertPolicy = { recoveryMargin: 0.1, recoveryEvaluations: 3 };

export type Measurement =
  | { readonly kind: "metric"; readonly value: number }
  | { readonly kind: "condition"; readonly holds: boolean; readonly detail: string }
  /** Too little running time in the window to judge: an open alert stays as it is. */
  | { readonly kind: "no-data" };

export type AlertDecision =
  | { readonly action: "none" }
  | { readonly action: "open"; readonly value: number | null; readonly message: string }
  | { readonly action: "keep"; readonly value: number | null; readonly recoveringCount: number }
  | { readonly action: "resolve"; readonly value: number | null; readonly message: string };

/** The alert currently open for this rule and bot, if any. */
export interface OpenAlertState {
  readonly recoveringCount: number;
}

export function decide(
  rule: AlertRuleSpec,
  subject: string,
  measurement: Measurement,
  open: OpenAlertState | null,
  policy: AlertPolicy = DEFAULT_ALERT_POLICY,
): AlertDecision {
  if (measurement.kind === "no-data") return open ? { action: "keep", value: null, recoveringCount: open.recoveringCount } : { action: "none" };
  const value = measurement.kind === "metric" ? measurement.value : null;
  const { breached, recovered } = assess(rule, measurement, policy);
  if (!open) return breached ? { action: "open", value, message: breachMessage(rule, subject, measurement) } : { action: "none" };
  if (!recovered) return { action: "keep", value, recoveringCount: 0 };
  const recoveringCount = open.recoveringCount + 1;
  if (recoveringCount < policy.recoveryEvaluations) return { action: "keep", value, recoveringCount };
  return { action: "resolve", value, message: recoveryMessage(rule, subject, measurement) };
}

function assess(rule: AlertRuleSpec, measurement: Exclude<Measurement, { kind: "no-data" }>, policy: AlertPolicy): { breached: boolean; recovered: boolean } {
  if (measurement.kind === "condition") return { breached: measurement.holds, recovered: !measurement.holds };
  if (!isMetricKind(rule.kind) || rule.threshold === null) throw new Error(`rule ${rule.id}: a metric measurement needs a metric rule with a threshold`);
  const level = recoveryLevel(rule.kind, rule.threshold, policy);
  const v = measurement.value;
  return ALERT_RULE_KIND_INFO[rule.kind].direction === "BELOW"
    ? { breached: v < rule.threshold, recovered: v >= level }
    : { breached: v > rule.threshold, recovered: v <= level };
}

/** Where a metric must return to before an alert counts as recovering. */
export function recoveryLevel(kind: MetricKind, threshold: number, policy: AlertPolicy = DEFAULT_ALERT_POLICY): number {
  const { ideal } = ALERT_RULE_KIND_INFO[kind];
  return threshold + (ideal - threshold) * policy.recoveryMargin;
}

/** The first minute bucket inside a trailing window: every bucket overlapping [now - window, now] counts whole. */
export function windowStartMinute(now: number, windowSeconds: number): number {
  return Math.floor((now - windowSeconds * 1_000) / 60_000) * 60_000;
}

/** A KPI rule's measurement over the buckets of its window; too little running time is "no-data". */
export function measureKpi(kind: MetricKind, buckets: readonly KpiMinuteBucket[], windowSeconds: number): Measurement {
  const summary = summariseKpis(buckets);
  // Half the window (at most 30 s) of running time: a bot that just started is not judged on its first second.
  if (summary.runningMs < Math.min(windowSeconds * 1_000, 60_000) / 2) return { kind: "no-data" };
  switch (kind) {
    case "SPREAD_COMPLIANCE_BELOW":
      return { kind: "metric", value: summary.spreadCompliance ?? 0 };
    case "TWO_SIDED_BELOW":
      return { kind: "metric", value: summary.twoSided ?? 0 };
    case "DEPTH_COMPLIANCE_BELOW":
      // No order placed in the window: none was too small.
      return { kind: "metric", value: summary.depthCompliance ?? 1 };
    case "LATENCY_P99_ABOVE":
      // No market event needed a requote: nothing was slow.
      return { kind: "metric", value: summary.responseLatencyMs.p99 ?? 0 };
    case "FILL_RATE_ABOVE":
      return { kind: "metric", value: summary.passiveFillRate ?? 0 };
  }
}

export type BotStateName = "STOPPED" | "STARTING" | "QUOTING" | "DEGRADED" | "HALTED" | "PAUSED" | "STOPPING" | "FAULTED";

/** What the database says about a bot, for the condition rules. Times are epoch ms. */
export interface BotObservation {
  readonly desiredState: "RUNNING" | "PAUSED" | "STOPPED";
  readonly actualState: BotStateName;
  readonly stateReason: string | null;
  readonly stateChangedAt: number;
  /** The engine running the bot: when it took the bot, its lease expiry and its last heartbeat; null when none holds it. */
  readonly lease: { readonly acquiredAt: number; readonly expiresAt: number; readonly engineHeartbeatAt: number } | null;
  /** Since when the bot has been without a live lease, if known (its last lease's expiry, or when it was asked to run). */
  readonly unleasedSince: number;
}

/** Risk's marks on a bot's state reason: a risk pause (whole bot or a side), stale data, an emergency stop. */
const RISK_REASON = /RISK_PAUSED|STALE_MARKET_DATA|POSITION_LIMIT|INSUFFICIENT_BALANCE|emergency stop/;

/** Condition kinds measured from the bot's row and lease (BOT_NEEDS_ATTENTION is measured from its events: attention.ts). */
export type StateConditionKind = Exclude<AlertRuleKind, MetricKind | "BOT_NEEDS_ATTENTION">;

/** A condition rule's measurement of one bot; `grace` (the rule's window) is how long the condition must hold. */
export function measureCondition(kind: StateConditionKind, bot: BotObservation, now: number, graceSeconds: number | null): Measurement {
  const grace = (graceSeconds ?? 0) * 1_000;
  const since = (t: number) => now - t >= grace;
  const inState = `${bot.actualState.toLowerCase()}${bot.stateReason ? ` (${bot.stateReason})` : ""}`;
  // An engine that just took the bot has not reported its state yet: the state in the row is the last run's.
  const takenAt = bot.lease?.acquiredAt ?? Number.NEGATIVE_INFINITY;
  const ofThisRun = bot.stateChangedAt >= takenAt;
  switch (kind) {
    case "BOT_FAULTED":
      return { kind: "condition", holds: bot.actualState === "FAULTED" && ofThisRun && since(bot.stateChangedAt), detail: inState };
    case "BOT_STOPPED":
      return {
        kind: "condition",
        holds: bot.desiredState !== "STOPPED" && bot.actualState === "STOPPED" && since(Math.max(bot.stateChangedAt, takenAt)),
        detail: `${inState}, asked to be ${bot.desiredState.toLowerCase()}`,
      };
    case "RISK_ACTION": {
      const byRisk = bot.actualState !== "QUOTING" && bot.actualState !== "PAUSED" && bot.stateReason !== null && RISK_REASON.test(bot.stateReason);
      return { kind: "condition", holds: byRisk && ofThisRun && since(bot.stateChangedAt), detail: inState };
    }
    case "ENGINE_HEARTBEAT_LOST": {
      if (bot.desiredState === "STOPPED") return { kind: "condition", holds: false, detail: "not asked to run" };
      const lastSign = bot.lease === null ? bot.unleasedSince : Math.min(bot.lease.expiresAt, bot.lease.engineHeartbeatAt);
      const lost = bot.lease === null || bot.lease.expiresAt < now || bot.lease.engineHeartbeatAt < now - grace;
      const seconds = Math.max(0, Math.round((now - lastSign) / 1_000));
      return { kind: "condition", holds: lost && since(lastSign), detail: bot.lease === null ? `no engine has run it for ${seconds} s` : `no engine heartbeat for ${seconds} s` };
    }
  }
}

export function formatValue(kind: AlertRuleKind, value: number): string {
  const info = ALERT_RULE_KIND_INFO[kind];
  if (!info.metric) return String(value);
  return info.unit === "ms" ? `${Math.round(value)} ms` : `${trimZeros((value * 100).toFixed(3))}%`;
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

export function formatWindow(seconds: number): string {
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function breachMessage(rule: AlertRuleSpec, subject: string, measurement: Exclude<Measurement, { kind: "no-data" }>): string {
  if (measurement.kind === "condition") return `${subject}: ${ALERT_RULE_KIND_INFO[rule.kind].label.toLowerCase()}: ${measurement.detail}`;
  const info = ALERT_RULE_KIND_INFO[rule.kind];
  const what = info.label.replace(/ (below|above)$/, "").toLowerCase();
  const side = info.metric && info.direction === "BELOW" ? "below" : "above";
  return `${subject}: ${what} ${formatValue(rule.kind, measurement.value)} over ${formatWindow(rule.windowSeconds ?? 0)}, ${side} the ${formatValue(rule.kind, rule.threshold ?? 0)} threshold`;
}

function recoveryMessage(rule: AlertRuleSpec, subject: string, measurement: Exclude<Measurement, { kind: "no-data" }>): string {
  if (measurement.kind === "condition") return `${subject}: recovered: ${measurement.detail}`;
  const what = ALERT_RULE_KIND_INFO[rule.kind].label.replace(/ (below|above)$/, "").toLowerCase();
  return `${subject}: recovered: ${what} ${formatValue(rule.kind, measurement.value)} over ${formatWindow(rule.windowSeconds ?? 0)}`;
}

/** An open, unacknowledged alert is escalated once, after its rule's escalateAfterMinutes. */
export function isDueForEscalation(
  rule: Pick<AlertRuleSpec, "escalateAfterMinutes">,
  event: { readonly openedAt: number; readonly acknowledgedAt: number | null; readonly escalatedAt: number | null },
  now: number,
): boolean {
  return rule.escalateAfterMinutes !== null && event.acknowledgedAt === null && event.escalatedAt === null && now - event.openedAt >= rule.escalateAfterMinutes * 60_000;
}

/**
 * The delay before retry number `attempt` (1 after the first failure): exponential from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so receivers that come back are not hit by every sender
 * at once. `random` returns [0, 1).
 */
export function retryDelayMs(attempt: number, random: () => number, options: { baseMs: number; maxMs: number }): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}
