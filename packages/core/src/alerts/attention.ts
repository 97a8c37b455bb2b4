// Bot events that need a human: the bot wrote off an order the exchange then showed to be live (order_reopened),
// the journal could not record something and set it aside (journal_record_failed), the account's keys stopped
// working (account_auth_failed). Each is a BotEvent row with its reason; the BOT_NEEDS_ATTENTION rule holds while
// such an event is recent (the rule's window, 15 minutes by default), so one burst raises one alert, resolved once
// the events stop, and a later event raises a new one.
import type { Measurement } from "./evaluation";

export const ATTENTION_EVENT_TYPES = ["order_reopened", "journal_record_failed", "account_auth_failed"] as const;
export type AttentionEventType = (typeof ATTENTION_EVENT_TYPES)[number];

export const ATTENTION_DEFAULT_SECONDS = 900;

/** A BotEvent row as the evaluator reads it. */
export interface AttentionEvent {
  readonly type: string;
  readonly time: number;
  readonly reason: string | null;
}

const WHAT: Record<AttentionEventType, string> = {
  order_reopened: "an order written off was live on the exchange",
  journal_record_failed: "the journal could not record something",
  account_auth_failed: "the exchange refused the account's keys",
};

export function isAttentionEvent(type: string): type is AttentionEventType {
  return (ATTENTION_EVENT_TYPES as readonly string[]).includes(type);
}

/** Holds while one of `events` (any order) is at most `windowSeconds` old; the detail names the latest. */
export function measureAttention(events: readonly AttentionEvent[], now: number, windowSeconds: number | null): Measurement {
  const since = now - (windowSeconds ?? ATTENTION_DEFAULT_SECONDS) * 1_000;
  const recent = events.filter((e) => isAttentionEvent(e.type) && e.time >= since && e.time <= now).sort((a, b) => b.time - a.time);
  const latest = recent[0];
  if (latest === undefined) return { kind: "condition", holds: false, detail: "no event needing a human" };
  const what = WHAT[latest.type as AttentionEventType];
  const more = recent.length > 1 ? ` (and ${recent.length - 1} more)` : "";
  return { kind: "condition", holds: true, detail: `${what}: ${latest.reason ?? latest.type}${more}` };
}
