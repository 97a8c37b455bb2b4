// "Pause all" and "Emergency stop all" for one exchange account: every bot of the account that the operation changes
// gets the same desired state, audit entry and (for a stop) timeline event as when it is operated alone, in one
// transaction. Stopping needs no second person (whoever may stop a bot may stop them all); starting again is per
// bot, as always.
import { z } from "zod";
import { BOT_DESIRED_STATES, type BotDesiredState } from "~/lib/bot-state";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";
import { EMERGENCY_STOP, type Operation, PAUSE, applyOperation, changesBot, reasonInput } from "./operate";

const operateAccountInput = z.object({
  exchangeAccountId: z.string().min(1, "is required").max(64, "is too long"),
  reason: reasonInput,
});

const operateAccountOutput = z.object({
  account: z.object({ id: z.string(), name: z.string() }),
  desiredState: z.enum(BOT_DESIRED_STATES),
  // The bots this call changed, with the state each was asked to be in before; bots already there are left out.
  changed: z.array(z.object({ id: z.string(), symbol: z.string(), from: z.enum(BOT_DESIRED_STATES) })),
});

function operateAccount(operation: Operation) {
  return teamProcedure("OPERATE_BOT")
    .input(operateAccountInput)
    .output(operateAccountOutput)
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const account = await tx.exchangeAccount.findFirst({
          where: { id: input.exchangeAccountId, teamId: ctx.team.id },
          select: { id: true, name: true },
        });
        if (!account) throw new AppError("NOT_FOUND", "This exchange account does not exist.");
        // Locks the account's bots in one order, so a per-bot operation or another account-wide one waits its turn.
        const bots = await tx.$queryRaw<{ id: string; symbol: string; desiredState: BotDesiredState }[]>`
          SELECT id, symbol, "desiredState" FROM "Bot"
          WHERE "exchangeAccountId" = ${account.id} AND "teamId" = ${ctx.team.id}
          ORDER BY id FOR UPDATE`;
        const changed = bots.filter((bot) => changesBot(operation, bot.desiredState));
        for (const bot of changed) {
          await applyOperation(tx, { teamId: ctx.team.id, user: ctx.user }, bot, operation, input.reason, { account: account.name });
        }
        return {
          account,
          desiredState: operation.desiredState,
          changed: changed
            .map((bot) => ({ id: bot.id, symbol: bot.symbol, from: bot.desiredState }))
            .sort((a, b) => a.symbol.localeCompare(b.symbol)),
        };
      }),
    );
}

export const pauseAccountBots = operateAccount(PAUSE);
export const emergencyStopAccountBots = operateAccount(EMERGENCY_STOP);
