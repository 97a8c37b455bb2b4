import { z } from "zod";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";
import { alreadyDecided, changeRequestOutput, changeRequestSelect, lockTeamRequest, toChangeRequestView } from "./change-request";

export const cancelChangeInput = z.object({ id: z.string().min(1) });

// A proposer withdraws their own pending request; anyone else's is for a reviewer to reject.
export const cancelChange = teamProcedure("PROPOSE_CHANGE")
  .input(cancelChangeInput)
  .output(changeRequestOutput)
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      await lockTeamRequest(tx, ctx.team.id, input.id);
      const request = await tx.changeRequest.findUniqueOrThrow({
        where: { id: input.id },
        select: { status: true, kind: true, proposerId: true },
      });
      if (request.proposerId !== ctx.user.id) {
        throw new AppError("PERMISSION_DENIED", "Only its proposer can cancel a request; a reviewer can reject it.");
      }
      if (request.status !== "PENDING") throw alreadyDecided(request.status);
      const cancelled = await tx.changeRequest.update({
        where: { id: input.id },
        data: { status: "CANCELLED", decidedAt: new Date() },
        select: changeRequestSelect,
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "change_request.cancel",
        entityType: "ChangeRequest",
        entityId: input.id,
        changeRequestId: input.id,
        payload: { kind: request.kind, botId: cancelled.botId },
      });
      return toChangeRequestView(cancelled);
    }),
  );
