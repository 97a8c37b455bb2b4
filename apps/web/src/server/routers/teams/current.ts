import { z } from "zod";
import { TEAM_ROLES } from "../../permissions";
import { teamProcedure } from "../../trpc";

export const currentTeamOutput = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(TEAM_ROLES),
});

export const currentTeam = teamProcedure("VIEW_TEAM")
  .output(currentTeamOutput)
  .query(({ ctx }) => ctx.team);
