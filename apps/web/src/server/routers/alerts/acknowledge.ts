import { z } from "zod";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";

// "I am on it": stops the escalation of an open alert. Whoever may operate bots may acknowledge.
export const acknowledgeAlert = teamProcedure("OPERATE_BOT")
  .input(z.object({ eventId: z.string().min(1) }))
  .output(z.object({ id: z.string(), acknowledgedAt: z.date() }))
  .mutation(async ({ ctx, input }) => {
    return ctx.db.$transaction(async (tx) => {
      const event = await tx.alertEvent.findFirst({ where: { id: input.eventId, teamId: ctx.team.id }, select: { id: true, acknowledgedAt: true, message: true } });
      if (!event) throw new AppError("NOT_FOUND", "No such alert in this team.");
      if (event.acknowledgedAt) return { id: event.id, acknowledgedAt: event.acknowledgedAt };
      const acknowledged = await tx.alertEvent.update({
        where: { id: event.id },
        data: { acknowledgedAt: new Date(), acknowledgedById: ctx.user.id },
        select: { id: true, acknowledgedAt: true },
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "alert.acknowledge",
        entityType: "AlertEvent",
        entityId: event.id,
        payload: { message: event.message },
      });
      return { id: acknowledged.id, acknowledgedAt: acknowledged.acknowledgedAt ?? new Date() };
    });
  });
