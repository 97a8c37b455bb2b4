// What an audit entry may not keep: every member of the team reads the log, so a secret written there is a secret
// shared with all of them. Applied to each payload as it is written (and to older entries as they are read).
//
// Two rules, so that a new payload field is covered without anyone remembering to:
// - a field whose name says it holds a secret (password, secret, token, key, signature, ...) keeps no value;
// - a URL anywhere in a string keeps only its origin: a chat tool's webhook URL is its password, in the path
//   (Slack's /services/T…/B…/…, Discord's /api/webhooks/…/…, Telegram's /bot<token>/, Feishu's /hook/…) or in the
//   query (WeCom's ?key=…), and user:password@ never survives.
import type { Prisma } from "@bandkeeper/db/client";

export const REDACTED = "[redacted]";

// Field names holding a secret; `keyFingerprint` (a hash prefix shown in the dashboard) is the one key-ish name
// that is not.
const SECRET_FIELD = /(pass(word|phrase)?|secret|token|api.?key|private.?key|signature|authori[sz]ation|cookie|credential)/i;
const NOT_SECRET_FIELDS = new Set(["keyFingerprint"]);

const URL_IN_TEXT = /\b[a-z][a-z\d+.-]*:\/\/[^\s"'<>]+/gi;

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name) && !NOT_SECRET_FIELDS.has(name);
}

/** A URL reduced to its origin; anything after it (path, query, fragment) becomes "/…". */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return REDACTED;
  }
  if (url.origin === "null") return REDACTED;
  const rest = `${url.pathname === "/" ? "" : url.pathname}${url.search}${url.hash}`;
  return rest === "" ? url.origin : `${url.origin}/…`;
}

function redactText(text: string): string {
  return text.replace(URL_IN_TEXT, (match) => redactUrl(match));
}

export function redactSecrets(value: Prisma.InputJsonValue | null): Prisma.InputJsonValue | null {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item as Prisma.InputJsonValue | null));
  const out: Record<string, Prisma.InputJsonValue | null> = {};
  for (const [key, item] of Object.entries(value as Record<string, Prisma.InputJsonValue | null | undefined>)) {
    if (item === undefined) continue;
    out[key] = isSecretField(key) ? REDACTED : redactSecrets(item);
  }
  return out;
}
