import { z } from "zod";
import { TEAM_ROLES } from "../../permissions";
import { protectedProcedure } from "../../trpc";

export const myTeamsOutput = z.array(
  z.object({ id: z.string(), name: z.string(), role: z.enum(TEAM_ROLES), current: z.boolean() }),
);

// The teams the signed-in user can switch between, in the order they joined them.
export const myTeams = protectedProcedure.output(myTeamsOutput).query(async ({ ctx }) => {
  const memberships = await ctx.db.membership.findMany({
    where: { userId: ctx.user.id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { role: true, team: { select: { id: true, name: true } } },
  });
  return memberships.map(({ role, team }) => ({ ...team, role, current: team.id === ctx.user.teamId }));
});
