import { z } from "zod";
import { BOT_ACTUAL_STATES, BOT_DESIRED_STATES } from "~/lib/bot-state";
import { AppError } from "../../errors";
import { isAllowed } from "../../permissions";
import { teamProcedure } from "../../trpc";
import { effectiveConfig } from "./change-request";

const person = z.object({ id: z.string(), name: z.string() });

const configVersionOutput = z.object({
  version: z.number().int(),
  createdAt: z.date(),
  // When the engine started quoting with it; null until an engine applied it.
  appliedAt: z.date().nullable(),
  proposer: person.nullable(),
  // The request it came from: its reason and reviewer. Null for versions written outside a request (the seed).
  changeRequest: z
    .object({ id: z.string(), reason: z.string().nullable(), reviewer: person.nullable(), reviewComment: z.string().nullable() })
    .nullable(),
});

export const botConfigOutput = z.object({
  bot: z.object({
    id: z.string(),
    symbol: z.string(),
    account: z.object({ id: z.string(), name: z.string() }),
    desiredState: z.enum(BOT_DESIRED_STATES),
    actualState: z.enum(BOT_ACTUAL_STATES),
  }),
  // The version in force (the newest approved) with its config, defaults filled in; null before any.
  current: configVersionOutput.extend({ config: z.unknown() }).nullable(),
  // Every version, newest first.
  history: z.array(configVersionOutput),
  pending: z.object({ id: z.string(), proposer: person, createdAt: z.date() }).nullable(),
  canPropose: z.boolean(),
});

// A bot's configuration: the version in force, its history with when each took effect, and the pending request.
export const botConfig = teamProcedure("VIEW_TEAM")
  .input(z.object({ botId: z.string().min(1) }))
  .output(botConfigOutput)
  .query(async ({ ctx, input }) => {
    const bot = await ctx.db.bot.findFirst({
      where: { id: input.botId, teamId: ctx.team.id },
      select: {
        id: true,
        symbol: true,
        desiredState: true,
        actualState: true,
        currentConfigVersionId: true,
        exchangeAccount: { select: { id: true, name: true } },
        configVersions: {
          orderBy: { version: "desc" },
          select: {
            id: true,
            version: true,
            config: true,
            createdAt: true,
            appliedAt: true,
            createdBy: { select: { id: true, name: true } },
            changeRequest: {
              select: {
                id: true,
                reason: true,
                reviewComment: true,
                reviewer: { select: { id: true, name: true } },
              },
            },
          },
        },
        changeRequests: {
          where: { status: "PENDING" },
          take: 1,
          select: { id: true, createdAt: true, proposer: { select: { id: true, name: true } } },
        },
      },
    });
    if (!bot) throw new AppError("NOT_FOUND", "No such bot.");

    const history = bot.configVersions.map(({ id: _id, config: _config, createdBy, ...version }) => ({
      ...version,
      proposer: createdBy,
    }));
    const current = bot.configVersions.find((version) => version.id === bot.currentConfigVersionId);
    const pending = bot.changeRequests[0] ?? null;
    return {
      bot: {
        id: bot.id,
        symbol: bot.symbol,
        account: bot.exchangeAccount,
        desiredState: bot.desiredState,
        actualState: bot.actualState,
      },
      current: current
        ? {
            version: current.version,
            createdAt: current.createdAt,
            appliedAt: current.appliedAt,
            proposer: current.createdBy,
            changeRequest: current.changeRequest,
            config: effectiveConfig(current.config),
          }
        : null,
      history,
      pending,
      canPropose: isAllowed(ctx.team.role, "PROPOSE_CHANGE"),
    };
  });
