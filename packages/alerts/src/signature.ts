// Webhook signatures: HMAC-SHA256 under the channel's secret over `${timestamp}.${body}`, so a receiver can
// check both who sent a notice and that it is fresh (reject old timestamps to stop replays).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Bandkeeper-Signature";
export const TIMESTAMP_HEADER = "X-Bandkeeper-Timestamp";
export const IDEMPOTENCY_HEADER = "X-Bandkeeper-Idempotency-Key";

/** `sha256=<hex>` of the HMAC over `${timestamp}.${body}`; the timestamp is Unix seconds. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does: recompute and compare in constant time, and refuse stale timestamps. */
export function verifyWebhook(secret: string, headers: { signature: string; timestamp: string }, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A new channel's signing secret: 32 random bytes, prefixed so people recognise it. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}
