// Alert rules (docs/design.md section 6): what each kind measures, the ranges a threshold may take, and the defaults a
// new team starts with (the targets of section 2).
import { z } from "zod";
import { CONTROL_CHARACTER_MESSAGE, isPlainLine } from "../text";

export const ALERT_RULE_KINDS = [
  "SPREAD_COMPLIANCE_BELOW",
  "TWO_SIDED_BELOW",
  "DEPTH_COMPLIANCE_BELOW",
  "LATENCY_P99_ABOVE",
  "FILL_RATE_ABOVE",
  "BOT_STOPPED",
  "BOT_FAULTED",
  "ENGINE_HEARTBEAT_LOST",
  "RISK_ACTION",
  "BOT_NEEDS_ATTENTION",
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

export type MetricKind = Extract<AlertRuleKind, `${string}_BELOW` | `${string}_ABOVE`>;
export type ConditionKind = Exclude<AlertRuleKind, MetricKind>;

interface MetricKindInfo {
  readonly metric: true;
  /** Breached below the threshold ("BELOW") or above it ("ABOVE"). */
  readonly direction: "BELOW" | "ABOVE";
  /** The best value the metric can take: recovery is measured as a step from the threshold towards it. */
  readonly ideal: number;
  readonly unit: "ratio" | "ms";
  readonly min: number;
  readonly max: number;
  readonly label: string;
}

interface ConditionKindInfo {
  readonly metric: false;
  readonly label: string;
}

export const ALERT_RULE_KIND_INFO: { readonly [K in AlertRuleKind]: K extends MetricKind ? MetricKindInfo : ConditionKindInfo } = {
  SPREAD_COMPLIANCE_BELOW: { metric: true, direction: "BELOW", ideal: 1, unit: "ratio", min: 0, max: 1, label: "Spread compliance below" },
  TWO_SIDED_BELOW: { metric: true, direction: "BELOW", ideal: 1, unit: "ratio", min: 0, max: 1, label: "Two-sided presence below" },
  DEPTH_COMPLIANCE_BELOW: { metric: true, direction: "BELOW", ideal: 1, unit: "ratio", min: 0, max: 1, label: "Depth compliance below" },
  LATENCY_P99_ABOVE: { metric: true, direction: "ABOVE", ideal: 0, unit: "ms", min: 1, max: 60_000, label: "Response latency p99 above" },
  FILL_RATE_ABOVE: { metric: true, direction: "ABOVE", ideal: 0, unit: "ratio", min: 0, max: 1, label: "Passive fill rate above" },
  BOT_STOPPED: { metric: false, label: "Bot stopped without being told to" },
  BOT_FAULTED: { metric: false, label: "Bot faulted" },
  ENGINE_HEARTBEAT_LOST: { metric: false, label: "Engine heartbeat lost" },
  RISK_ACTION: { metric: false, label: "Risk paused the bot or stopped it in an emergency" },
  BOT_NEEDS_ATTENTION: { metric: false, label: "Bot reported something a human must look at" },
};

export function isMetricKind(kind: AlertRuleKind): kind is MetricKind {
  return ALERT_RULE_KIND_INFO[kind].metric;
}

/** Trailing window (metrics) or grace period (conditions) bounds, in seconds. */
export const WINDOW_SECONDS = { min: 10, max: 86_400 } as const;
export const GRACE_SECONDS = { min: 0, max: 3_600 } as const;
/** BOT_NEEDS_ATTENTION: how long one event keeps its alert open (null: ATTENTION_DEFAULT_SECONDS). */
export const ATTENTION_SECONDS = { min: 60, max: 86_400 } as const;
export const ESCALATE_AFTER_MINUTES = { min: 1, max: 1_440 } as const;

/** A rule as the dashboard writes it; `threshold` is a ratio (0.998) or milliseconds, by kind. */
export const alertRuleInputSchema = z
  .object({
    name: z.string().trim().min(1, "Give the rule a name.").max(100, "At most 100 characters.").refine(isPlainLine, CONTROL_CHARACTER_MESSAGE),
    kind: z.enum(ALERT_RULE_KINDS),
    botId: z.string().min(1).nullable(),
    threshold: z.number().finite().nullable(),
    windowSeconds: z.number().int("Whole seconds.").nullable(),
    escalateAfterMinutes: z
      .number()
      .int("Whole minutes.")
      .min(ESCALATE_AFTER_MINUTES.min, `At least ${ESCALATE_AFTER_MINUTES.min} minute.`)
      .max(ESCALATE_AFTER_MINUTES.max, `At most ${ESCALATE_AFTER_MINUTES.max} minutes (a day).`)
      .nullable(),
    enabled: z.boolean(),
    channelIds: z.array(z.string().min(1)).max(20, "At most 20 channels."),
  })
  .superRefine((rule, ctx) => {
    const info = ALERT_RULE_KIND_INFO[rule.kind];
    if (info.metric) {
      if (rule.threshold === null) {
        ctx.addIssue({ code: "custom", path: ["threshold"], message: "This kind of rule needs a threshold." });
      } else if (rule.threshold < info.min || rule.threshold > info.max || (info.unit === "ratio" && info.direction === "BELOW" && rule.threshold === 0)) {
        const range = info.unit === "ratio" ? "between 0% and 100%" : `between ${info.min} and ${info.max} ms`;
        ctx.addIssue({ code: "custom", path: ["threshold"], message: `The threshold must be ${range}.` });
      }
      if (rule.windowSeconds === null) {
        ctx.addIssue({ code: "custom", path: ["windowSeconds"], message: "This kind of rule needs a window." });
      } else if (rule.windowSeconds < WINDOW_SECONDS.min || rule.windowSeconds > WINDOW_SECONDS.max) {
        ctx.addIssue({ code: "custom", path: ["windowSeconds"], message: `The window must be ${WINDOW_SECONDS.min} s to ${WINDOW_SECONDS.max} s (a day).` });
      }
    } else {
      if (rule.threshold !== null) ctx.addIssue({ code: "custom", path: ["threshold"], message: "This kind of rule takes no threshold." });
      if (rule.kind === "BOT_NEEDS_ATTENTION") {
        // Its window is how long one event keeps the alert open.
        if (rule.windowSeconds !== null && (rule.windowSeconds < ATTENTION_SECONDS.min || rule.windowSeconds > ATTENTION_SECONDS.max)) {
          ctx.addIssue({ code: "custom", path: ["windowSeconds"], message: `An event keeps the alert open ${ATTENTION_SECONDS.min} s to ${ATTENTION_SECONDS.max} s (a day).` });
        }
      } else if (rule.windowSeconds !== null && (rule.windowSeconds < GRACE_SECONDS.min || rule.windowSeconds > GRACE_SECONDS.max)) {
        ctx.addIssue({ code: "custom", path: ["windowSeconds"], message: `The grace period must be ${GRACE_SECONDS.min} s to ${GRACE_SECONDS.max} s.` });
      }
    }
  });
export type AlertRuleInput = z.infer<typeof alertRuleInputSchema>;

/** What evaluation needs of a rule. */
export interface AlertRuleSpec {
  readonly id: string;
  readonly name: string;
  readonly kind: AlertRuleKind;
  readonly threshold: number | null;
  /** Metrics: the trailing window; conditions: how long the condition must hold first (null: at once). */
  readonly windowSeconds: number | null;
  readonly escalateAfterMinutes: number | null;
}

/** A new team's rules: docs/design.md section 2's targets over five minutes (fill rate over an hour), plus conditions. */
export const DEFAULT_ALERT_RULES: readonly Omit<AlertRuleSpec, "id">[] = [
  { name: "Spread compliance under 99.8%", kind: "SPREAD_COMPLIANCE_BELOW", threshold: 0.998, windowSeconds: 300, escalateAfterMinutes: 30 },
  { name: "Two-sided presence under 99.9%", kind: "TWO_SIDED_BELOW", threshold: 0.999, windowSeconds: 300, escalateAfterMinutes: 30 },
  { name: "Depth compliance under 99.95%", kind: "DEPTH_COMPLIANCE_BELOW", threshold: 0.9995, windowSeconds: 300, escalateAfterMinutes: 30 },
  { name: "Response latency p99 over 100 ms", kind: "LATENCY_P99_ABOVE", threshold: 100, windowSeconds: 300, escalateAfterMinutes: 30 },
  { name: "Passive fill rate over 0.5%", kind: "FILL_RATE_ABOVE", threshold: 0.005, windowSeconds: 3_600, escalateAfterMinutes: null },
  { name: "Bot faulted", kind: "BOT_FAULTED", threshold: null, windowSeconds: null, escalateAfterMinutes: 15 },
  { name: "Bot stopped without being told to", kind: "BOT_STOPPED", threshold: null, windowSeconds: 60, escalateAfterMinutes: 15 },
  { name: "Risk paused or stopped a bot", kind: "RISK_ACTION", threshold: null, windowSeconds: null, escalateAfterMinutes: 15 },
  { name: "Engine heartbeat lost", kind: "ENGINE_HEARTBEAT_LOST", threshold: null, windowSeconds: 30, escalateAfterMinutes: 15 },
  // Open while such an event is at most 15 minutes old (see attention.ts).
  { name: "Bot needs a human", kind: "BOT_NEEDS_ATTENTION", threshold: null, windowSeconds: 900, escalateAfterMinutes: 15 },
];
