import { createCallerFactory, router } from "../trpc";
import { accountsRouter } from "./accounts";
import { alertsRouter } from "./alerts";
import { auditRouter } from "./audit";
import { botsRouter } from "./bots";
import { changesRouter } from "./changes";
import { invitationsRouter } from "./invitations";
import { membersRouter } from "./members";
import { profileRouter } from "./profile";
import { teamsRouter } from "./teams";

export const appRouter = router({
  accounts: accountsRouter,
  alerts: alertsRouter,
  audit: auditRouter,
  bots: botsRouter,
  changes: changesRouter,
  invitations: invitationsRouter,
  members: membersRouter,
  profile: profileRouter,
  teams: teamsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
