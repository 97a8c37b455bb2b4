import { z } from "zod";
import { teamProcedure } from "../../trpc";

export const auditFiltersOutput = z.object({
  actors: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
  actions: z.array(z.string()),
  entityTypes: z.array(z.string()),
});

// The values the audit log's filters offer: everything that occurs in this team's log.
export const auditFilters = teamProcedure("VIEW_TEAM")
  .output(auditFiltersOutput)
  .query(async ({ ctx }) => {
    const where = { teamId: ctx.team.id };
    const [actions, entityTypes, actorIds] = await Promise.all([
      ctx.db.auditLog.findMany({ where, distinct: ["action"], select: { action: true } }),
      ctx.db.auditLog.findMany({ where, distinct: ["entityType"], select: { entityType: true } }),
      ctx.db.auditLog.findMany({ where: { ...where, actorId: { not: null } }, distinct: ["actorId"], select: { actorId: true } }),
    ]);
    const actors = await ctx.db.user.findMany({
      where: { id: { in: actorIds.flatMap((row) => (row.actorId ? [row.actorId] : [])) } },
      orderBy: { name: "asc" },
      select: { id: true, name: true, email: true },
    });
    return {
      actors,
      actions: actions.map((row) => row.action).sort(),
      entityTypes: entityTypes.map((row) => row.entityType).sort(),
    };
  });
