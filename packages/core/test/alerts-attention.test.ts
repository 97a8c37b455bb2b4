import { describe, expect, it } from "vitest";
import { ATTENTION_EVENT_TYPES, alertRuleInputSchema, decide, measureAttention, type AlertRuleSpec } from "../src/alerts";

const rule: AlertRuleSpec = { id: "r1", name: "Bot needs a human", kind: "BOT_NEEDS_ATTENTION", threshold: null, windowSeconds: 900, escalateAfterMinutes: 15 };
const now = 1_700_000_000_000;

describe("BOT_NEEDS_ATTENTION", () => {
  it("holds while an event that needs a human is inside the window, naming the latest", () => {
    const events = [
      { type: "order_reopened", time: now - 800_000, reason: "order t-1 reopened" },
      { type: "journal_record_failed", time: now - 10_000, reason: "fill 77 of t-2 set aside: unique violation" },
      { type: "state", time: now - 1_000, reason: "QUOTING" },
    ];
    expect(measureAttention(events, now, 900)).toEqual({ kind: "condition", holds: true, detail: "the journal could not record something: fill 77 of t-2 set aside: unique violation (and 1 more)" });
    expect(measureAttention(events, now, 60)).toMatchObject({ holds: true, detail: expect.not.stringContaining("more") as unknown });
    expect(measureAttention(events, now + 1_000_000, 900)).toMatchObject({ holds: false });
    expect(measureAttention([{ type: "rate_limited", time: now, reason: "budget" }], now, null)).toMatchObject({ holds: false });
  });

  it("opens with the event in its message and resolves after the usual quiet evaluations", () => {
    const breach = decide(rule, "BTCUSDT", measureAttention([{ type: "account_auth_failed", time: now, reason: "-2015 Invalid API-key" }], now, 900), null);
    expect(breach).toEqual({ action: "open", value: null, message: "BTCUSDT: bot reported something a human must look at: the exchange refused the account's keys: -2015 Invalid API-key" });
    const quiet = measureAttention([], now, 900);
    expect(decide(rule, "BTCUSDT", quiet, { recoveringCount: 0 })).toMatchObject({ action: "keep", recoveringCount: 1 });
    expect(decide(rule, "BTCUSDT", quiet, { recoveringCount: 2 })).toMatchObject({ action: "resolve" });
  });

  it("takes a window of one minute to a day, and covers the three event types", () => {
    const input = { name: "needs a human", kind: "BOT_NEEDS_ATTENTION" as const, botId: null, threshold: null, escalateAfterMinutes: null, enabled: true, channelIds: [] };
    expect(alertRuleInputSchema.safeParse({ ...input, windowSeconds: 900 }).success).toBe(true);
    expect(alertRuleInputSchema.safeParse({ ...input, windowSeconds: null }).success).toBe(true);
    const tooShort = alertRuleInputSchema.safeParse({ ...input, windowSeconds: 10 });
    expect(tooShort.success ? [] : tooShort.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["windowSeconds", "An event keeps the alert open 60 s to 86400 s (a day)."]]);
    expect([...ATTENTION_EVENT_TYPES]).toEqual(["order_reopened", "journal_record_failed", "account_auth_failed"]);
  });
});
