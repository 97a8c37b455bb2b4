import { parseBotConfig } from "@bandkeeper/core/config";
import type { Prisma } from "@bandkeeper/db/client";
import { z } from "zod";
import type { BotDesiredState } from "~/lib/bot-state";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { approvalRefusal, needsSecondApproval, riskReasons } from "../../four-eyes";
import { teamProcedure } from "../../trpc";
import {
  alreadyDecided,
  changeRequestOutput,
  changeRequestSelect,
  commentInput,
  lockTeamAccount,
  lockTeamBot,
  lockTeamRequest,
  toChangeRequestView,
  toJson,
  versionLabel,
} from "./change-request";

export const approveChangeInput = z.object({ id: z.string().min(1), comment: commentInput.optional() });

interface ApprovedConfig {
  botId: string;
  symbol: string;
  version: number;
}

// Approval writes the new immutable config version, points the bot at it (the trigger on Bot then NOTIFYs the
// engines on commit, and the engine sets appliedAt), decides the request and records the audit entry: one
// transaction, so none of it happens without the rest. The team's four-eyes rules (four-eyes.ts) come first: a
// refusal says which, and a risky change approved by a non-owner records a first approval and waits for a second.
export const approveChange = teamProcedure("REVIEW_CHANGE")
  .input(approveChangeInput)
  .output(changeRequestOutput)
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      await lockTeamRequest(tx, ctx.team.id, input.id);
      const request = await tx.changeRequest.findUniqueOrThrow({
        where: { id: input.id },
        select: {
          status: true,
          kind: true,
          proposerId: true,
          botId: true,
          exchangeAccountId: true,
          symbol: true,
          initialState: true,
          baseVersion: true,
          proposedConfig: true,
          firstApproverId: true,
          team: { select: { approvalCoolingOffHours: true, riskyMinNotional: true, riskyMaxSpread: true, riskyOrdersPerSide: true } },
        },
      });
      if (request.status !== "PENDING") throw alreadyDecided(request.status);
      if (request.proposerId === ctx.user.id) throw new AppError("OWN_REQUEST", "Nobody approves their own request: another member must.");
      // Checked again: the schema may have tightened since the proposal was written.
      const parsed = parseBotConfig(request.proposedConfig);
      if (!parsed.ok) {
        const issues = parsed.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
        throw new AppError("INVALID_INPUT", `The proposed config is no longer valid (${issues}); reject it.`);
      }
      const config = toJson(parsed.config);

      const now = new Date();
      if (request.firstApproverId === ctx.user.id) {
        throw new AppError("FOUR_EYES", "You approved this change already: it needs a second approver, or an owner.");
      }
      const refusal = await approvalRefusal(
        tx,
        ctx.team.id,
        request.team,
        { approverId: ctx.user.id, proposerId: request.proposerId, firstApproverId: request.firstApproverId },
        now,
      );
      if (refusal) throw new AppError("FOUR_EYES", refusal);
      const risks = riskReasons(request.team, request.proposedConfig);
      if (needsSecondApproval(ctx.team.role, risks) && !request.firstApproverId) {
        const pending = await tx.changeRequest.update({
          where: { id: input.id },
          data: { firstApproverId: ctx.user.id, firstApprovedAt: now },
          select: changeRequestSelect,
        });
        await recordAudit(tx, {
          teamId: ctx.team.id,
          actorId: ctx.user.id,
          action: "change_request.approve_first",
          entityType: "ChangeRequest",
          entityId: input.id,
          changeRequestId: input.id,
          payload: { kind: request.kind, risks, comment: input.comment ?? null },
        });
        return toChangeRequestView(pending);
      }

      const approved =
        request.kind === "UPDATE_CONFIG"
          ? await approveConfigUpdate(tx, ctx.team.id, input.id, request, config)
          : await approveBotCreation(tx, ctx.team.id, input.id, request, config);

      const decided = await tx.changeRequest.update({
        where: { id: input.id },
        data: {
          status: "APPROVED",
          reviewerId: ctx.user.id,
          reviewComment: input.comment || null,
          decidedAt: now,
          botId: approved.botId,
        },
        select: changeRequestSelect,
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "change_request.approve",
        entityType: "ChangeRequest",
        entityId: input.id,
        changeRequestId: input.id,
        payload: { kind: request.kind, botId: approved.botId, symbol: approved.symbol, version: approved.version, comment: input.comment ?? null },
      });
      return toChangeRequestView(decided);
    }),
  );

interface PendingRequest {
  proposerId: string;
  botId: string | null;
  exchangeAccountId: string | null;
  symbol: string | null;
  initialState: BotDesiredState | null;
  baseVersion: number | null;
}

async function approveConfigUpdate(
  tx: Prisma.TransactionClient,
  teamId: string,
  requestId: string,
  request: PendingRequest,
  config: Prisma.InputJsonValue,
): Promise<ApprovedConfig> {
  if (!request.botId) throw new Error(`UPDATE_CONFIG request ${requestId} has no bot`);
  await lockTeamBot(tx, teamId, request.botId);
  const bot = await tx.bot.findUniqueOrThrow({
    where: { id: request.botId },
    select: { symbol: true, currentConfigVersion: { select: { version: true } } },
  });
  const current = bot.currentConfigVersion?.version ?? null;
  if (current !== request.baseVersion) {
    throw new AppError(
      "CONFLICT",
      `${bot.symbol} moved to ${versionLabel(current)} after this request was proposed against ${versionLabel(request.baseVersion)}; approving it would overwrite that change. Reject it and propose again against ${versionLabel(current)}.`,
    );
  }
  const version = (current ?? 0) + 1;
  const created = await tx.botConfigVersion.create({
    data: { botId: request.botId, version, config, createdById: request.proposerId, changeRequestId: requestId },
    select: { id: true },
  });
  await tx.bot.update({ where: { id: request.botId }, data: { currentConfigVersionId: created.id } });
  return { botId: request.botId, symbol: bot.symbol, version };
}

async function approveBotCreation(
  tx: Prisma.TransactionClient,
  teamId: string,
  requestId: string,
  request: PendingRequest,
  config: Prisma.InputJsonValue,
): Promise<ApprovedConfig> {
  const { exchangeAccountId, symbol } = request;
  if (!exchangeAccountId || !symbol) throw new Error(`CREATE_BOT request ${requestId} names no account or symbol`);
  await lockTeamAccount(tx, teamId, exchangeAccountId);
  const account = await tx.exchangeAccount.findUniqueOrThrow({
    where: { id: exchangeAccountId },
    select: { name: true, status: true, bots: { where: { symbol }, select: { id: true } } },
  });
  if (account.status !== "ACTIVE") {
    throw new AppError("CONFLICT", `${account.name} was disabled after this request was proposed; reject it.`);
  }
  if (account.bots.length > 0) throw new AppError("CONFLICT", `${account.name} has a ${symbol} bot already; reject this request.`);
  const desiredState = request.initialState ?? "STOPPED";
  const bot = await tx.bot.create({
    data: {
      teamId,
      exchangeAccountId,
      symbol,
      desiredState,
      stateReason: desiredState === "STOPPED" ? null : "waiting for an engine",
    },
    select: { id: true },
  });
  const created = await tx.botConfigVersion.create({
    data: { botId: bot.id, version: 1, config, createdById: request.proposerId, changeRequestId: requestId },
    select: { id: true },
  });
  await tx.bot.update({ where: { id: bot.id }, data: { currentConfigVersionId: created.id } });
  return { botId: bot.id, symbol, version: 1 };
}
