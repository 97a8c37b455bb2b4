import { z } from "zod";
import { TEAM_ROLES } from "../../permissions";
import { teamProcedure } from "../../trpc";

export const membersListOutput = z.array(
  z.object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(TEAM_ROLES),
    joinedAt: z.date(),
    isYou: z.boolean(),
  }),
);

export type MemberItem = z.infer<typeof membersListOutput>[number];

const ROLE_ORDER = Object.fromEntries(TEAM_ROLES.map((role, index) => [role, index]));

// Everyone in the team sees who else is in it: the audit log names them.
export const listMembers = teamProcedure("VIEW_TEAM")
  .output(membersListOutput)
  .query(async ({ ctx }) => {
    const memberships = await ctx.db.membership.findMany({
      where: { teamId: ctx.team.id },
      select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
    });
    return memberships
      .map(({ id, role, createdAt, user }) => ({
        id,
        userId: user.id,
        name: user.name,
        email: user.email,
        role,
        joinedAt: createdAt,
        isYou: user.id === ctx.user.id,
      }))
      .sort((a, b) => (ROLE_ORDER[a.role] ?? 0) - (ROLE_ORDER[b.role] ?? 0) || a.name.localeCompare(b.name));
  });
