import { createCallerFactory, router } from "../trpc";
import { botsRouter } from "./bots";
import { changesRouter } from "./changes";
import { teamsRouter } from "./teams";

export const appRouter = router({
  bots: botsRouter,
  changes: changesRouter,
  teams: teamsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
