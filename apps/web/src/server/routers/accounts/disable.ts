import { CONTROL_CHARACTER_MESSAGE, isPlainText } from "@bandkeeper/core/text";
import { z } from "zod";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";

export const disableAccountInput = z.object({
  accountId: z.string().min(1),
  reason: z.string().trim().max(200, "At most 200 characters.").refine(isPlainText, CONTROL_CHARACTER_MESSAGE).optional(),
});

// Disabling stops every bot of the account in the same transaction: the engine sees their desired state change
// (NOTIFY), cancels their orders and stops them, and will not open a session for a disabled account. Enabling
// again leaves the bots stopped; people start them deliberately.
export const disableAccount = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(disableAccountInput)
  .output(z.object({ id: z.string(), stoppedBots: z.array(z.string()) }))
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      const account = await tx.exchangeAccount.findFirst({
        where: { id: input.accountId, teamId: ctx.team.id },
        select: { id: true, name: true, status: true },
      });
      if (!account) throw new AppError("NOT_FOUND", "This exchange account does not exist.");
      if (account.status === "DISABLED") throw new AppError("INVALID_INPUT", `${account.name} is already disabled.`);
      const reason = input.reason ?? null;
      await tx.exchangeAccount.update({
        where: { id: account.id },
        data: { status: "DISABLED", statusReason: reason, disabledAt: new Date() },
      });
      const bots = await tx.bot.findMany({
        where: { exchangeAccountId: account.id, teamId: ctx.team.id, desiredState: { not: "STOPPED" } },
        select: { id: true, symbol: true },
      });
      await tx.bot.updateMany({
        where: { id: { in: bots.map((bot) => bot.id) } },
        data: { desiredState: "STOPPED" },
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "account.disable",
        entityType: "ExchangeAccount",
        entityId: account.id,
        payload: { name: account.name, reason, stoppedBots: bots.map((bot) => bot.symbol) },
      });
      return { id: account.id, stoppedBots: bots.map((bot) => bot.symbol) };
    }),
  );
