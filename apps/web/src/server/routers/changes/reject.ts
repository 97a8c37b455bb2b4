import { z } from "zod";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";
import {
  alreadyDecided,
  changeRequestOutput,
  changeRequestSelect,
  commentInput,
  lockTeamRequest,
  toChangeRequestView,
} from "./change-request";

export const rejectChangeInput = z.object({
  id: z.string().min(1),
  // The proposer needs to know what to change before proposing again.
  comment: commentInput.min(1, "say why the request is rejected"),
});

export const rejectChange = teamProcedure("REVIEW_CHANGE")
  .input(rejectChangeInput)
  .output(changeRequestOutput)
  .mutation(({ ctx, input }) =>
    ctx.db.$transaction(async (tx) => {
      await lockTeamRequest(tx, ctx.team.id, input.id);
      const request = await tx.changeRequest.findUniqueOrThrow({
        where: { id: input.id },
        select: { status: true, kind: true, proposerId: true },
      });
      if (request.status !== "PENDING") throw alreadyDecided(request.status);
      if (request.proposerId === ctx.user.id) {
        throw new AppError("OWN_REQUEST", "Nobody rejects their own request: cancel it instead.");
      }
      const decided = await tx.changeRequest.update({
        where: { id: input.id },
        data: { status: "REJECTED", reviewerId: ctx.user.id, reviewComment: input.comment, decidedAt: new Date() },
        select: changeRequestSelect,
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "change_request.reject",
        entityType: "ChangeRequest",
        entityId: input.id,
        changeRequestId: input.id,
        payload: { kind: request.kind, botId: decided.botId, comment: input.comment },
      });
      return toChangeRequestView(decided);
    }),
  );
