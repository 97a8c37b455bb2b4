import { randomBytes } from "node:crypto";
import { lineText } from "@bandkeeper/core/text";
import { createDefaultAlertRules } from "@bandkeeper/db/alert-rules";
import { z } from "zod";
import { recordAudit } from "../../audit";
import { protectedProcedure } from "../../trpc";

export const teamNameSchema = lineText({ min: { length: 2, message: "Give the team a name of at least 2 characters." }, max: { length: 60, message: "At most 60 characters." } });

export const createTeamInput = z.object({ name: teamNameSchema });

/** A readable, unique slug: the name in lower-case ASCII and a random tail (two teams may share a name). */
function slugOf(name: string): string {
  const base = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `${base || "team"}-${randomBytes(3).toString("hex")}`;
}

// Any signed-in user may found a team (a first-time user has none yet): they are its OWNER, and it starts with the
// default alert rules. The client switches the session to it afterwards.
export const createTeam = protectedProcedure
  .input(createTeamInput)
  .output(z.object({ id: z.string(), name: z.string() }))
  .mutation(async ({ ctx, input }) => {
    return ctx.db.$transaction(async (tx) => {
      const team = await tx.team.create({ data: { name: input.name, slug: slugOf(input.name) }, select: { id: true, name: true } });
      await tx.membership.create({ data: { userId: ctx.user.id, teamId: team.id, role: "OWNER" } });
      await createDefaultAlertRules(tx, team.id);
      await recordAudit(tx, { teamId: team.id, actorId: ctx.user.id, action: "team.create", entityType: "Team", entityId: team.id, payload: { name: input.name } });
      return team;
    });
  });
