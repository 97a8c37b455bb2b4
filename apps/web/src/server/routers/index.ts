import { createCallerFactory, router } from "../trpc";
import { botsRouter } from "./bots";
import { teamsRouter } from "./teams";

export const appRouter = router({
  bots: botsRouter,
  teams: teamsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
