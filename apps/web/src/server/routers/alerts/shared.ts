// What the alert procedures share: loading a team's rule or channel (another team's is simply not found), the
// channel as people see it, and the webhook signing secret.
import { randomBytes } from "node:crypto";
import { ALERT_CHANNEL_TYPES, ALERT_RULE_KINDS } from "@bandkeeper/core/alerts";
import type { Prisma } from "@bandkeeper/db/client";
import { z } from "zod";
import { parseEncryptionKey } from "@bandkeeper/db/crypto";
import { env } from "../../../env";
import type { Database } from "../../db";
import { AppError } from "../../errors";
import { fieldError } from "../../field-error";

type Reader = Pick<Database, "alertRule" | "alertChannel" | "bot"> | Prisma.TransactionClient;

export const DELIVERY_STATUSES = ["PENDING", "SENDING", "DELIVERED", "FAILED"] as const;
export const NOTICES = ["BREACH", "RECOVERY", "ESCALATION", "TEST", "TEAM"] as const;

export const attemptOutput = z.object({
  attempt: z.number().int(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  success: z.boolean(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
});

export const deliveryOutput = z.object({
  id: z.string(),
  notice: z.enum(NOTICES),
  status: z.enum(DELIVERY_STATUSES),
  idempotencyKey: z.string(),
  attempts: z.array(attemptOutput),
  nextAttemptAt: z.date(),
  lastError: z.string().nullable(),
  deliveredAt: z.date().nullable(),
  createdAt: z.date(),
  channel: z.object({ id: z.string(), name: z.string(), type: z.enum(ALERT_CHANNEL_TYPES) }),
});

export const deliverySelect = {
  id: true,
  notice: true,
  status: true,
  idempotencyKey: true,
  nextAttemptAt: true,
  lastError: true,
  deliveredAt: true,
  createdAt: true,
  channel: { select: { id: true, name: true, type: true } },
  attemptsLog: {
    orderBy: { attempt: "asc" },
    select: { attempt: true, startedAt: true, finishedAt: true, success: true, statusCode: true, error: true },
  },
} satisfies Prisma.AlertDeliverySelect;

export function toDelivery({ attemptsLog, ...delivery }: Prisma.AlertDeliveryGetPayload<{ select: typeof deliverySelect }>) {
  return { ...delivery, attempts: attemptsLog };
}

export const ruleKindSchema = z.enum(ALERT_RULE_KINDS);

export async function teamRule(db: Reader, teamId: string, ruleId: string) {
  const rule = await db.alertRule.findFirst({ where: { id: ruleId, teamId } });
  if (!rule) throw new AppError("NOT_FOUND", "No such alert rule in this team.");
  return rule;
}

export async function teamChannel(db: Reader, teamId: string, channelId: string) {
  const channel = await db.alertChannel.findFirst({ where: { id: channelId, teamId } });
  if (!channel) throw new AppError("NOT_FOUND", "No such alert channel in this team.");
  return channel;
}

/** The rule's bot and channels must be this team's: named by field, so the form shows where. */
export async function checkRuleTargets(db: Reader, teamId: string, input: { botId: string | null; channelIds: readonly string[] }, prefix = ""): Promise<void> {
  if (input.botId !== null && (await db.bot.count({ where: { id: input.botId, teamId } })) === 0) {
    throw fieldError(`${prefix}botId`, "No such bot in this team.");
  }
  const channels = new Set(input.channelIds);
  if (channels.size > 0 && (await db.alertChannel.count({ where: { id: { in: [...channels] }, teamId } })) !== channels.size) {
    throw fieldError(`${prefix}channelIds`, "Every channel must be one of this team's.");
  }
}

/** A new webhook channel's signing secret; shown once, stored encrypted. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** The key webhook secrets are stored under (the server's BANDKEEPER_ENCRYPTION_KEY). */
export function secretKey(): Buffer {
  const key = env().BANDKEEPER_ENCRYPTION_KEY;
  if (!key) {
    throw new AppError("INVALID_INPUT", "Webhook signing secrets cannot be stored: the server has no BANDKEEPER_ENCRYPTION_KEY. Ask whoever runs it.");
  }
  return parseEncryptionKey(key);
}

/** A channel name another channel of the team already has, as a field error. */
export function duplicateChannelName(error: unknown, path = "name"): never {
  if ((error as { code?: unknown }).code === "P2002") throw fieldError(path, "Another channel of this team has this name.");
  throw error;
}
