import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  alertChannelConfigSchema,
  alertRuleInputSchema,
  decide,
  DEFAULT_ALERT_POLICY,
  DEFAULT_ALERT_RULES,
  isDueForEscalation,
  measureCondition,
  measureKpi,
  noticeUrl,
  recoveryLevel,
  renderEmail,
  renderWebhookBody,
  retryDelayMs,
  windowStartMinute,
  type AlertDecision,
  type AlertNoticeContent,
  type AlertRuleSpec,
  type BotObservation,
} from "../src/alerts";
import { emptyKpiBucket, type KpiMinuteBucket } from "../src/kpi";

const twoSidedRule: AlertRuleSpec = { id: "r1", name: "Two-sided under 99.9%", kind: "TWO_SIDED_BELOW", threshold: 0.999, windowSeconds: 300, escalateAfterMinutes: null };
const latencyRule: AlertRuleSpec = { id: "r2", name: "p99 over 100 ms", kind: "LATENCY_P99_ABOVE", threshold: 100, windowSeconds: 300, escalateAfterMinutes: null };
const faultedRule: AlertRuleSpec = { id: "r3", name: "Bot faulted", kind: "BOT_FAULTED", threshold: null, windowSeconds: null, escalateAfterMinutes: 15 };

/** Feeds metric values through decide() as the evaluator does, keeping the open alert's streak. */
function run(rule: AlertRuleSpec, values: readonly number[]): AlertDecision[] {
  let open: { recoveringCount: number } | null = null;
  return values.map((value) => {
    const decision = decide(rule, "BTCUSDT", { kind: "metric", value }, open);
    if (decision.action === "open") open = { recoveringCount: 0 };
    else if (decision.action === "keep") open = { recoveringCount: decision.recoveringCount };
    else if (decision.action === "resolve") open = null;
    return decision;
  });
}

describe("decide: breach, hysteresis and recovery", () => {
  it.each([
    ["at the threshold is fine", twoSidedRule, [0.999], ["none"]],
    ["below the threshold opens", twoSidedRule, [0.998], ["open"]],
    ["recovers after three evaluations past the recovery level", twoSidedRule, [0.99, 0.9995, 0.9995, 0.9995], ["open", "keep", "keep", "resolve"]],
    ["a value between threshold and recovery level resets the streak", twoSidedRule, [0.99, 0.9995, 0.99905, 0.9995, 0.9995, 0.9995], ["open", "keep", "keep", "keep", "keep", "resolve"]],
    ["latency above its limit opens; back under 90 ms recovers", latencyRule, [150, 95, 90, 80, 70], ["open", "keep", "keep", "keep", "resolve"]],
  ] as const)("%s", (_name, rule, values, actions) => {
    expect(run(rule, values).map((d) => d.action)).toEqual(actions);
  });

  it("names the subject, value, window and threshold in the breach message", () => {
    const [decision] = run(twoSidedRule, [0.98712]);
    expect(decision).toEqual({ action: "open", value: 0.98712, message: "BTCUSDT: two-sided presence 98.712% over 5 min, below the 99.9% threshold" });
  });

  it("keeps an open alert as it is while there is no data, and opens none", () => {
    expect(decide(twoSidedRule, "x", { kind: "no-data" }, null)).toEqual({ action: "none" });
    expect(decide(twoSidedRule, "x", { kind: "no-data" }, { recoveringCount: 2 })).toEqual({ action: "keep", value: null, recoveringCount: 2 });
  });

  it("recovery levels sit a tenth of the way to the ideal", () => {
    expect(recoveryLevel("TWO_SIDED_BELOW", 0.999)).toBeCloseTo(0.9991, 10);
    expect(recoveryLevel("LATENCY_P99_ABOVE", 100)).toBe(90);
    expect(recoveryLevel("FILL_RATE_ABOVE", 0.005)).toBeCloseTo(0.0045, 10);
  });

  it("property: a value hovering around its threshold never flaps (one open, no resolve until it clearly recovers)", () => {
    const level = recoveryLevel("TWO_SIDED_BELOW", 0.999);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.9985, max: level, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 200 }), (values) => {
        const actions = run(twoSidedRule, values).map((d) => d.action);
        expect(actions.filter((a) => a === "open").length).toBeLessThanOrEqual(1);
        expect(actions).not.toContain("resolve");
      }),
    );
  });

  it("property: every resolve follows N evaluations at the recovery level, and opens alternate with resolves", () => {
    const level = recoveryLevel("TWO_SIDED_BELOW", 0.999);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0.95, 0.9989, 0.99905, level, 1), { maxLength: 300 }), (values) => {
        const actions = run(twoSidedRule, values).map((d) => d.action);
        let open = false;
        actions.forEach((action, i) => {
          if (action === "open") {
            expect(open).toBe(false);
            expect(values[i]).toBeLessThan(0.999);
            open = true;
          }
          if (action === "resolve") {
            expect(open).toBe(true);
            const recent = values.slice(i + 1 - DEFAULT_ALERT_POLICY.recoveryEvaluations, i + 1);
            expect(recent.every((v) => v >= level)).toBe(true);
            open = false;
          }
        });
      }),
    );
  });

  it("condition rules open while the condition holds and resolve after it has not for N evaluations", () => {
    const holds = (h: boolean) => ({ kind: "condition", holds: h, detail: "faulted" }) as const;
    expect(decide(faultedRule, "BTCUSDT", holds(true), null)).toMatchObject({ action: "open", message: "BTCUSDT: bot faulted: faulted" });
    expect(decide(faultedRule, "BTCUSDT", holds(false), { recoveringCount: 2 })).toMatchObject({ action: "resolve" });
    expect(decide(faultedRule, "BTCUSDT", holds(true), { recoveringCount: 2 })).toEqual({ action: "keep", value: null, recoveringCount: 0 });
  });
});

function bucket(minute: number, overrides: Partial<KpiMinuteBucket> = {}): KpiMinuteBucket {
  return {
    ...emptyKpiBucket("b", minute),
    runningMs: 60_000,
    spreadCompliantMs: 60_000,
    twoSidedMs: 60_000,
    depthMs: 60_000,
    ordersPlaced: 10,
    ordersDepthOk: 10,
    placedNotional: "100000",
    ...overrides,
  };
}

describe("measureKpi", () => {
  it("sums the window's buckets exactly", () => {
    const m = measureKpi("TWO_SIDED_BELOW", [bucket(0), bucket(60_000, { twoSidedMs: 54_000 })], 120);
    expect(m).toEqual({ kind: "metric", value: 114_000 / 120_000 });
  });

  it("is no-data with less than half the window (at most 30 s) of running time", () => {
    expect(measureKpi("TWO_SIDED_BELOW", [bucket(0, { runningMs: 4_000, twoSidedMs: 0 })], 10)).toEqual({ kind: "no-data" });
    expect(measureKpi("TWO_SIDED_BELOW", [bucket(0, { runningMs: 5_000, twoSidedMs: 0 })], 10)).toEqual({ kind: "metric", value: 0 });
    expect(measureKpi("TWO_SIDED_BELOW", [bucket(0, { runningMs: 29_000 })], 300)).toEqual({ kind: "no-data" });
  });

  it("counts nothing placed as full depth compliance and no latency samples as 0 ms", () => {
    const quiet = bucket(0, { ordersPlaced: 0, ordersDepthOk: 0 });
    expect(measureKpi("DEPTH_COMPLIANCE_BELOW", [quiet], 60)).toEqual({ kind: "metric", value: 1 });
    expect(measureKpi("LATENCY_P99_ABOVE", [quiet], 60)).toEqual({ kind: "metric", value: 0 });
    expect(measureKpi("FILL_RATE_ABOVE", [quiet], 60)).toEqual({ kind: "metric", value: 0 });
  });

  it("windows start at the minute holding now - window", () => {
    expect(windowStartMinute(Date.UTC(2026, 0, 1, 12, 5, 30), 300)).toBe(Date.UTC(2026, 0, 1, 12, 0));
    expect(windowStartMinute(Date.UTC(2026, 0, 1, 12, 5, 30), 10)).toBe(Date.UTC(2026, 0, 1, 12, 5));
  });
});

describe("measureCondition", () => {
  const now = 1_000_000;
  const bot = (overrides: Partial<BotObservation>): BotObservation => ({
    desiredState: "RUNNING",
    actualState: "QUOTING",
    stateReason: null,
    stateChangedAt: now - 120_000,
    lease: { acquiredAt: now - 600_000, expiresAt: now + 5_000, engineHeartbeatAt: now - 1_000 },
    unleasedSince: now - 120_000,
    ...overrides,
  });
  it.each([
    ["BOT_FAULTED", bot({ actualState: "FAULTED", stateReason: "boom" }), null, true],
    ["BOT_FAULTED", bot({}), null, false],
    ["BOT_STOPPED", bot({ actualState: "STOPPED" }), 60, true],
    ["BOT_STOPPED", bot({ actualState: "STOPPED", stateChangedAt: now - 10_000 }), 60, false],
    ["BOT_STOPPED", bot({ actualState: "STOPPED", desiredState: "STOPPED" }), 60, false],
    ["RISK_ACTION", bot({ actualState: "HALTED", stateReason: "RISK_PAUSED: price moved 2%" }), null, true],
    ["RISK_ACTION", bot({ actualState: "HALTED", stateReason: "STALE_MARKET_DATA: no market data for 5000 ms" }), null, true],
    ["RISK_ACTION", bot({ actualState: "STOPPED", desiredState: "STOPPED", stateReason: "emergency stop by risk" }), null, true],
    ["RISK_ACTION", bot({ actualState: "HALTED", stateReason: "waiting for market data" }), null, false],
    ["ENGINE_HEARTBEAT_LOST", bot({ lease: null, unleasedSince: now - 40_000 }), 30, true],
    ["ENGINE_HEARTBEAT_LOST", bot({ lease: null, unleasedSince: now - 10_000 }), 30, false],
    ["ENGINE_HEARTBEAT_LOST", bot({ lease: { acquiredAt: now - 600_000, expiresAt: now - 31_000, engineHeartbeatAt: now - 40_000 } }), 30, true],
    // An engine that took the bot a moment ago has not reported yet: the last run's state does not count.
    ["BOT_STOPPED", bot({ actualState: "STOPPED", lease: { acquiredAt: now - 2_000, expiresAt: now + 5_000, engineHeartbeatAt: now } }), 60, false],
    ["BOT_FAULTED", bot({ actualState: "FAULTED", lease: { acquiredAt: now - 2_000, expiresAt: now + 5_000, engineHeartbeatAt: now } }), null, false],
    ["RISK_ACTION", bot({ actualState: "HALTED", stateReason: "RISK_PAUSED: x", lease: { acquiredAt: now - 2_000, expiresAt: now + 5_000, engineHeartbeatAt: now } }), null, false],
    ["BOT_FAULTED", bot({ actualState: "FAULTED", lease: null }), null, true],
    ["ENGINE_HEARTBEAT_LOST", bot({}), 30, false],
    ["ENGINE_HEARTBEAT_LOST", bot({ lease: null, desiredState: "STOPPED" }), 30, false],
  ] as const)("%s on %o (grace %s s) holds: %s", (kind, observation, grace, holds) => {
    expect(measureCondition(kind, observation, now, grace)).toMatchObject({ kind: "condition", holds });
  });
});

describe("escalation and retries", () => {
  it("escalates an unacknowledged alert once, after the rule's minutes", () => {
    const event = { openedAt: 0, acknowledgedAt: null, escalatedAt: null };
    expect(isDueForEscalation(faultedRule, event, 15 * 60_000 - 1)).toBe(false);
    expect(isDueForEscalation(faultedRule, event, 15 * 60_000)).toBe(true);
    expect(isDueForEscalation(faultedRule, { ...event, acknowledgedAt: 1 }, 20 * 60_000)).toBe(false);
    expect(isDueForEscalation(faultedRule, { ...event, escalatedAt: 1 }, 20 * 60_000)).toBe(false);
    expect(isDueForEscalation(twoSidedRule, event, 99 * 60_000)).toBe(false);
  });

  it("property: retry delays grow exponentially within [half, whole] of the capped step", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const step = Math.min(60_000, 1_000 * 2 ** (attempt - 1));
        const delay = retryDelayMs(attempt, () => r, { baseMs: 1_000, maxMs: 60_000 });
        expect(delay).toBeGreaterThanOrEqual(Math.floor(step / 2));
        expect(delay).toBeLessThanOrEqual(step);
      }),
    );
  });
});

describe("validation", () => {
  const rule = { name: "r", kind: "TWO_SIDED_BELOW", botId: null, threshold: 0.999, windowSeconds: 300, escalateAfterMinutes: null, enabled: true, channelIds: [] } as const;
  const paths = (input: unknown) => {
    const parsed = alertRuleInputSchema.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  it.each([
    [{ ...rule }, []],
    [{ ...rule, threshold: 1.5 }, ["threshold: The threshold must be between 0% and 100%."]],
    [{ ...rule, threshold: 0 }, ["threshold: The threshold must be between 0% and 100%."]],
    [{ ...rule, threshold: null }, ["threshold: This kind of rule needs a threshold."]],
    [{ ...rule, kind: "LATENCY_P99_ABOVE", threshold: 0.5 }, ["threshold: The threshold must be between 1 and 60000 ms."]],
    [{ ...rule, windowSeconds: 5 }, ["windowSeconds: The window must be 10 s to 86400 s (a day)."]],
    [{ ...rule, kind: "BOT_FAULTED", threshold: 1 }, ["threshold: This kind of rule takes no threshold."]],
    [{ ...rule, name: " " }, ["name: Give the rule a name."]],
  ])("%o -> %o", (input, expected) => {
    expect(paths(input)).toEqual(expected);
  });

  it("every default rule is valid", () => {
    for (const r of DEFAULT_ALERT_RULES) expect(paths({ ...r, botId: null, enabled: true, channelIds: [] })).toEqual([]);
  });

  it.each([
    [{ type: "EMAIL", config: { recipients: ["ops@example.com"] } }, []],
    [{ type: "EMAIL", config: { recipients: ["not-an-email"] } }, ["config.recipients.0: Enter a valid email address."]],
    [{ type: "EMAIL", config: { recipients: [] } }, ["config.recipients: Add at least one recipient."]],
    [{ type: "WEBHOOK", config: { url: "ftp://example.com/x", format: "json" } }, ["config.url: Enter an http:// or https:// URL."]],
    [{ type: "WEBHOOK", config: { url: "not a url", format: "json" } }, ["config.url: Enter an http:// or https:// URL."]],
    [{ type: "WECOM", config: { url: "https://open.feishu.cn/hook/x", format: "feishu" } }, []],
  ])("channel %o -> %o", (input, expected) => {
    const parsed = alertChannelConfigSchema.safeParse(input);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual(expected);
  });
});

describe("messages", () => {
  const content: AlertNoticeContent = {
    notice: "BREACH",
    idempotencyKey: "e1:c1:BREACH",
    team: { id: "t", name: "Demo Desk" },
    alert: {
      id: "e1",
      message: "BTCUSDT: two-sided presence 98.7% over 5 min, below the 99.9% threshold",
      value: 0.987,
      openedAt: Date.UTC(2026, 0, 1, 12),
      resolvedAt: null,
      rule: { id: "r1", name: "Two <sided>", kind: "TWO_SIDED_BELOW", threshold: 0.999, windowSeconds: 300 },
      bot: { id: "bot1", symbol: "BTCUSDT" },
    },
    channelName: "ops",
    url: noticeUrl("http://dash.example/", { id: "e1", bot: { id: "bot1" } }),
    createdAt: Date.UTC(2026, 0, 1, 12),
  };

  it("links to the bot page", () => {
    expect(content.url).toBe("http://dash.example/bots/bot1");
    expect(noticeUrl("http://dash.example", null)).toBe("http://dash.example/alerts");
  });

  it("renders an email with subject, text and escaped HTML linking to the bot", () => {
    const email = renderEmail(content);
    expect(email.subject).toBe("[Bandkeeper] Alert: BTCUSDT Two <sided>");
    expect(email.text).toContain("below the 99.9% threshold");
    expect(email.text).toContain("http://dash.example/bots/bot1");
    expect(email.html).toContain('href="http://dash.example/bots/bot1"');
    expect(email.html).toContain("Two &lt;sided&gt;");
    expect(email.html).not.toContain("<sided>");
  });

  it("renders each webhook format", () => {
    expect(renderWebhookBody("json", content)).toMatchObject({ id: "e1:c1:BREACH", type: "alert.breach", alert: { id: "e1", bot: { symbol: "BTCUSDT" } } });
    expect((renderWebhookBody("slack", content) as { text: string }).text).toContain("<http://dash.example/bots/bot1|Open in Bandkeeper>");
    expect((renderWebhookBody("slack", content) as { text: string }).text).toContain("Two &lt;sided&gt;");
    expect(renderWebhookBody("wecom", content)).toMatchObject({ msgtype: "text", text: { content: expect.stringContaining("98.7%") as string } });
    expect(renderWebhookBody("feishu", content)).toMatchObject({ msg_type: "text", content: { text: expect.stringContaining("98.7%") as string } });
  });

  it("renders a test notice without an alert", () => {
    const test = renderEmail({ ...content, notice: "TEST", alert: null, url: "http://dash.example/alerts" });
    expect(test.subject).toBe('[Bandkeeper] Test notice: channel "ops" of Demo Desk works');
  });

  it("renders a team notice (a new member, a role change) with its own text", () => {
    const team = { ...content, notice: "TEAM" as const, alert: null, teamMessage: "Ann (ann@x.example) joined Demo Desk as ADMIN, invited by Bo.", url: "http://dash.example/members" };
    const email = renderEmail(team);
    expect(email.subject).toBe("[Bandkeeper] Team change in Demo Desk");
    expect(email.text.split("\n")[0]).toBe("Ann (ann@x.example) joined Demo Desk as ADMIN, invited by Bo.");
    expect(email.text).toContain("http://dash.example/members");
    expect(renderWebhookBody("json", team)).toMatchObject({ type: "alert.team", message: team.teamMessage, alert: null });
    expect((renderWebhookBody("slack", team) as { text: string }).text).toContain("joined Demo Desk as ADMIN");
  });
});
