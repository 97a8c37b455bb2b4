import type { Prisma } from "@bandkeeper/db/client";
import { z } from "zod";
import { teamProcedure } from "../../trpc";
import { changeRequestOutput, changeRequestSelect, toChangeRequestView } from "./change-request";

export const listChangesInput = z.object({
  // PENDING: the review queue, oldest first; DECIDED: the history, newest decision first.
  view: z.enum(["PENDING", "DECIDED"]),
  botId: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  // The id of the last item of the previous page.
  cursor: z.string().min(1).nullish(),
});

export const listChangesOutput = z.object({
  items: z.array(changeRequestOutput),
  nextCursor: z.string().nullable(),
});

export const listChanges = teamProcedure("VIEW_TEAM")
  .input(listChangesInput)
  .output(listChangesOutput)
  .query(async ({ ctx, input }) => {
    const pending = input.view === "PENDING";
    const where: Prisma.ChangeRequestWhereInput = {
      teamId: ctx.team.id,
      status: pending ? "PENDING" : { not: "PENDING" },
      ...(input.botId ? { botId: input.botId } : {}),
    };
    const orderBy: Prisma.ChangeRequestOrderByWithRelationInput[] = pending
      ? [{ createdAt: "asc" }, { id: "asc" }]
      : [{ decidedAt: "desc" }, { id: "desc" }];
    const rows = await ctx.db.changeRequest.findMany({
      where,
      orderBy,
      take: input.limit + 1,
      ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      select: changeRequestSelect,
    });
    const page = rows.slice(0, input.limit);
    return {
      items: page.map(toChangeRequestView),
      nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
    };
  });
