// What every change-request procedure shares: the row shape it reads, its output schema, the config helpers
// and the row locks that keep concurrent proposals and decisions from merging silently.
import { type BotConfig, type ConfigChange, defaultBotConfig, parseBotConfig } from "@bandkeeper/core/config";
import { CONTROL_CHARACTER_MESSAGE, isPlainText } from "@bandkeeper/core/text";
import type { Prisma } from "@bandkeeper/db/client";
import { z } from "zod";
import { BOT_DESIRED_STATES } from "~/lib/bot-state";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";

export const CHANGE_REQUEST_KINDS = ["CREATE_BOT", "UPDATE_CONFIG"] as const;
export const CHANGE_REQUEST_STATUSES = ["PENDING", "APPROVED", "REJECTED", "CANCELLED"] as const;

const person = z.object({ id: z.string(), name: z.string() });

export const configChangeOutput = z.object({ path: z.string(), old: z.unknown(), new: z.unknown() });

export const changeRequestOutput = z.object({
  id: z.string(),
  kind: z.enum(CHANGE_REQUEST_KINDS),
  status: z.enum(CHANGE_REQUEST_STATUSES),
  // The bot it changes; for CREATE_BOT null until approval creates it.
  botId: z.string().nullable(),
  symbol: z.string(),
  account: z.object({ id: z.string(), name: z.string() }),
  // CREATE_BOT: the state the new bot starts in.
  initialState: z.enum(BOT_DESIRED_STATES).nullable(),
  proposer: person,
  reviewer: person.nullable(),
  // A risky change's first approval, waiting for a second approver or an owner (four-eyes.ts).
  firstApproval: z.object({ by: person, at: z.date() }).nullable(),
  reason: z.string().nullable(),
  reviewComment: z.string().nullable(),
  baseVersion: z.number().int().nullable(),
  // UPDATE_CONFIG: against the base version; CREATE_BOT: against the defaults.
  changes: z.array(configChangeOutput),
  createdAt: z.date(),
  decidedAt: z.date().nullable(),
  // The config version an approval created, and when the engine applied it.
  resultingVersion: z.object({ version: z.number().int(), appliedAt: z.date().nullable() }).nullable(),
});

export type ChangeRequestView = z.infer<typeof changeRequestOutput>;

export const changeRequestSelect = {
  id: true,
  kind: true,
  status: true,
  botId: true,
  symbol: true,
  initialState: true,
  reason: true,
  reviewComment: true,
  baseVersion: true,
  diff: true,
  createdAt: true,
  decidedAt: true,
  proposer: { select: { id: true, name: true } },
  reviewer: { select: { id: true, name: true } },
  firstApprover: { select: { id: true, name: true } },
  firstApprovedAt: true,
  exchangeAccount: { select: { id: true, name: true } },
  bot: { select: { symbol: true, exchangeAccount: { select: { id: true, name: true } } } },
  configVersion: { select: { version: true, appliedAt: true } },
} as const satisfies Prisma.ChangeRequestSelect;

type ChangeRequestRow = Prisma.ChangeRequestGetPayload<{ select: typeof changeRequestSelect }>;

export function toChangeRequestView(row: ChangeRequestRow): ChangeRequestView {
  // A CREATE_BOT request names its account and symbol itself; an UPDATE_CONFIG request through its bot.
  const account = row.bot?.exchangeAccount ?? row.exchangeAccount;
  const symbol = row.bot?.symbol ?? row.symbol;
  if (!account || !symbol) throw new Error(`change request ${row.id} names neither a bot nor an account and symbol`);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    botId: row.botId,
    symbol,
    account,
    initialState: row.initialState,
    proposer: row.proposer,
    reviewer: row.reviewer,
    firstApproval: row.firstApprover && row.firstApprovedAt ? { by: row.firstApprover, at: row.firstApprovedAt } : null,
    reason: row.reason,
    reviewComment: row.reviewComment,
    baseVersion: row.baseVersion,
    changes: storedChanges(row.diff),
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
    resultingVersion: row.configVersion,
  };
}

function storedChanges(diff: Prisma.JsonValue): ConfigChange[] {
  if (!Array.isArray(diff)) return [];
  return diff.flatMap((entry) =>
    entry && typeof entry === "object" && !Array.isArray(entry) && typeof entry.path === "string"
      ? [{ path: entry.path, old: entry.old, new: entry.new }]
      : [],
  );
}

/** JSON for a Json column: absent optional fields are left out, as JSON.stringify does. */
export function toJson(value: BotConfig | readonly ConfigChange[]): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/** A stored config as the engine reads it: defaults filled in. A config the schema no longer accepts stays as stored. */
export function effectiveConfig(stored: Prisma.JsonValue | undefined): unknown {
  if (stored === undefined) return defaultBotConfig;
  const parsed = parseBotConfig(stored);
  return parsed.ok ? parsed.config : stored;
}

export function versionLabel(version: number | null): string {
  return version === null ? "no config" : `v${version}`;
}

type ProposalData = Omit<Prisma.ChangeRequestUncheckedCreateInput, "teamId" | "proposerId" | "status">;

/** A new pending request and its "propose" audit entry, written in the caller's transaction. */
export async function writeProposal(
  tx: Prisma.TransactionClient,
  by: { teamId: string; userId: string },
  data: ProposalData,
  auditPayload: Prisma.InputJsonObject,
): Promise<ChangeRequestView> {
  const request = await tx.changeRequest.create({
    data: { ...data, teamId: by.teamId, proposerId: by.userId },
    select: changeRequestSelect,
  });
  await recordAudit(tx, {
    teamId: by.teamId,
    actorId: by.userId,
    action: "change_request.propose",
    entityType: "ChangeRequest",
    entityId: request.id,
    changeRequestId: request.id,
    payload: { kind: data.kind, ...auditPayload },
  });
  return toChangeRequestView(request);
}

// Row locks, taken inside the transaction before anything is checked: two proposals on one bot, or a proposal
// racing an approval, then run one after the other instead of both seeing "nothing pending", and the loser gets a
// message. (Partial unique indexes on ChangeRequest hold the one-pending rule for any other writer.)

export async function lockTeamBot(tx: Prisma.TransactionClient, teamId: string, botId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Bot" WHERE "id" = ${botId} AND "teamId" = ${teamId} FOR UPDATE`;
  if (rows.length === 0) throw new AppError("NOT_FOUND", "No such bot.");
}

export async function lockTeamAccount(tx: Prisma.TransactionClient, teamId: string, accountId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "ExchangeAccount" WHERE "id" = ${accountId} AND "teamId" = ${teamId} FOR UPDATE`;
  if (rows.length === 0) throw new AppError("NOT_FOUND", "No such exchange account.");
}

export async function lockTeamRequest(tx: Prisma.TransactionClient, teamId: string, requestId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "ChangeRequest" WHERE "id" = ${requestId} AND "teamId" = ${teamId} FOR UPDATE`;
  if (rows.length === 0) throw new AppError("NOT_FOUND", "No such change request.");
}

const STATUS_WORD: Record<(typeof CHANGE_REQUEST_STATUSES)[number], string> = {
  PENDING: "pending",
  APPROVED: "approved",
  REJECTED: "rejected",
  CANCELLED: "cancelled",
};

export function alreadyDecided(status: (typeof CHANGE_REQUEST_STATUSES)[number]): AppError {
  return new AppError("CONFLICT", `This request was ${STATUS_WORD[status]} already; only a pending request can change.`);
}

export const reasonInput = z
  .string()
  .trim()
  .min(1, "say why this change is needed")
  .max(2000, "at most 2000 characters")
  .refine(isPlainText, CONTROL_CHARACTER_MESSAGE);

export const commentInput = z.string().trim().max(2000, "at most 2000 characters").refine(isPlainText, CONTROL_CHARACTER_MESSAGE);
