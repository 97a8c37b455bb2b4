import { z } from "zod";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";

// Lets the engine open sessions for the account again; its bots stay stopped until someone starts them.
export const enableAccount = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(z.object({ accountId: z.string().min(1) }))
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      const account = await tx.exchangeAccount.findFirst({
        where: { id: input.accountId, teamId: ctx.team.id },
        select: { id: true, name: true, status: true },
      });
      if (!account) throw new AppError("NOT_FOUND", "This exchange account does not exist.");
      if (account.status === "ACTIVE") throw new AppError("INVALID_INPUT", `${account.name} is already active.`);
      await tx.exchangeAccount.update({
        where: { id: account.id },
        data: { status: "ACTIVE", statusReason: null, disabledAt: null },
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "account.enable",
        entityType: "ExchangeAccount",
        entityId: account.id,
        payload: { name: account.name },
      });
      return { id: account.id };
    }),
  );
