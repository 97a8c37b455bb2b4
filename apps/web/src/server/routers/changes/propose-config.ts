import { botConfigSchema, diffConfigs } from "@bandkeeper/core/config";
import type { Prisma } from "@bandkeeper/db/client";
import { z } from "zod";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";
import { changeRequestOutput, effectiveConfig, lockTeamBot, reasonInput, toJson, versionLabel, writeProposal } from "./change-request";
import { checkConfigAgainstVenue } from "./venue-limits";

export const proposeConfigInput = z.object({
  botId: z.string().min(1),
  // The config version the proposer saw; a newer one makes the proposal stale before it is written.
  baseVersion: z.number().int().positive().nullable(),
  // The engine's own schema, so every invalid field comes back named, with its reason, as `config.<path>`.
  config: botConfigSchema,
  reason: reasonInput,
});

export const proposeConfig = teamProcedure("PROPOSE_CHANGE")
  .input(proposeConfigInput)
  .output(changeRequestOutput)
  .mutation(async ({ ctx, input }) => {
    // The symbol's own limits, where its venue says them; asked before the transaction takes its row lock.
    const target = await ctx.db.bot.findFirst({
      where: { id: input.botId, teamId: ctx.team.id },
      select: { symbol: true, exchangeAccount: { select: { venue: true, environment: true, baseUrl: true } } },
    });
    if (target) await checkConfigAgainstVenue(target.exchangeAccount, target.symbol, input.config);
    return ctx.db.$transaction(async (tx) => {
      await lockTeamBot(tx, ctx.team.id, input.botId);
      const bot = await tx.bot.findUniqueOrThrow({
        where: { id: input.botId },
        select: { symbol: true, currentConfigVersion: { select: { version: true, config: true } } },
      });
      const current = bot.currentConfigVersion?.version ?? null;
      if (current !== input.baseVersion) {
        throw new AppError(
          "CONFLICT",
          `${bot.symbol} is at ${versionLabel(current)} now, not ${versionLabel(input.baseVersion)} as when you started; reload and propose against ${versionLabel(current)}.`,
        );
      }
      const pending = await tx.changeRequest.findFirst({
        where: { botId: input.botId, status: "PENDING" },
        select: { proposer: { select: { name: true } } },
      });
      if (pending) {
        throw new AppError(
          "CONFLICT",
          `${bot.symbol} already has a pending change request by ${pending.proposer.name}; it must be decided or cancelled first.`,
        );
      }
      const changes = diffConfigs(effectiveConfig(bot.currentConfigVersion?.config), input.config);
      if (changes.length === 0) {
        throw new AppError("INVALID_INPUT", `The proposal changes nothing: it equals ${versionLabel(current)}.`);
      }

      return writeProposal(
        tx,
        { teamId: ctx.team.id, userId: ctx.user.id },
        {
          kind: "UPDATE_CONFIG",
          botId: input.botId,
          reason: input.reason,
          baseVersion: input.baseVersion,
          diff: toJson(changes),
          proposedConfig: toJson(input.config),
          // The engine replays both configs over the pair's recent market data (apps/engine/src/change-replays).
          replay: { create: { baseConfig: effectiveConfig(bot.currentConfigVersion?.config) as Prisma.InputJsonValue } },
        },
        { botId: input.botId, symbol: bot.symbol, baseVersion: input.baseVersion, changes: toJson(changes) },
      );
    });
  });
