import { z } from "zod";
import { teamProcedure } from "../../trpc";

// The navigation's badge: how many of the team's alerts are open, and how many of those nobody has acknowledged.
export const openAlertCount = teamProcedure("VIEW_TEAM")
  .output(z.object({ open: z.number().int(), unacknowledged: z.number().int() }))
  .query(async ({ ctx }) => {
    const [open, unacknowledged] = await Promise.all([
      ctx.db.alertEvent.count({ where: { teamId: ctx.team.id, state: "OPEN" } }),
      ctx.db.alertEvent.count({ where: { teamId: ctx.team.id, state: "OPEN", acknowledgedAt: null } }),
    ]);
    return { open, unacknowledged };
  });
