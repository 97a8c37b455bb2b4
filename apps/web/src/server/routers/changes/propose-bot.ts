import { botConfigSchema, defaultBotConfig, diffConfigs } from "@bandkeeper/core/config";
import { z } from "zod";
import { BOT_DESIRED_STATES } from "~/lib/bot-state";
import { AppError } from "../../errors";
import { fieldError } from "../../field-error";
import { teamProcedure } from "../../trpc";
import { changeRequestOutput, lockTeamAccount, reasonInput, toJson, writeProposal } from "./change-request";
import { checkNewBotSymbol } from "./venue-limits";

export const proposeBotInput = z.object({
  exchangeAccountId: z.string().min(1, "choose an exchange account"),
  symbol: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{2,20}$/, "a Binance symbol such as BTCUSDT: 2 to 20 letters and digits"),
  initialState: z.enum(BOT_DESIRED_STATES).default("STOPPED"),
  config: botConfigSchema,
  reason: reasonInput,
});

// Creating a bot is a change request too: approval creates the bot and its config version 1. The account's venue
// must list the symbol (asked before the transaction: no row lock is held over a network call).
export const proposeBot = teamProcedure("PROPOSE_CHANGE")
  .input(proposeBotInput)
  .output(changeRequestOutput)
  .mutation(async ({ ctx, input }) => {
    const venue = await ctx.db.exchangeAccount.findFirst({
      where: { id: input.exchangeAccountId, teamId: ctx.team.id },
      select: { name: true, venue: true, environment: true, baseUrl: true },
    });
    if (!venue) throw new AppError("NOT_FOUND", "No such exchange account.");
    await checkNewBotSymbol(venue, input.symbol, input.config);
    return ctx.db.$transaction(async (tx) => {
      await lockTeamAccount(tx, ctx.team.id, input.exchangeAccountId);
      const account = await tx.exchangeAccount.findUniqueOrThrow({
        where: { id: input.exchangeAccountId },
        select: { name: true, status: true },
      });
      if (account.status !== "ACTIVE") throw fieldError("exchangeAccountId", `${account.name} is disabled`);
      const existing = await tx.bot.findUnique({
        where: { exchangeAccountId_symbol: { exchangeAccountId: input.exchangeAccountId, symbol: input.symbol } },
        select: { id: true },
      });
      if (existing) throw fieldError("symbol", `${account.name} already has a ${input.symbol} bot`);
      const pending = await tx.changeRequest.findFirst({
        where: { kind: "CREATE_BOT", exchangeAccountId: input.exchangeAccountId, symbol: input.symbol, status: "PENDING" },
        select: { proposer: { select: { name: true } } },
      });
      if (pending) {
        throw new AppError(
          "CONFLICT",
          `A request to create ${input.symbol} on ${account.name} by ${pending.proposer.name} is pending already; it must be decided or cancelled first.`,
        );
      }

      const changes = diffConfigs(defaultBotConfig, input.config);
      return writeProposal(
        tx,
        { teamId: ctx.team.id, userId: ctx.user.id },
        {
          kind: "CREATE_BOT",
          exchangeAccountId: input.exchangeAccountId,
          symbol: input.symbol,
          initialState: input.initialState,
          reason: input.reason,
          diff: toJson(changes),
          proposedConfig: toJson(input.config),
        },
        {
          exchangeAccountId: input.exchangeAccountId,
          symbol: input.symbol,
          initialState: input.initialState,
          changesFromDefaults: toJson(changes),
        },
      );
    });
  });
