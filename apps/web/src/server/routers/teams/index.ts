import { router } from "../../trpc";
import { currentTeam } from "./current";

export const teamsRouter = router({
  current: currentTeam,
});
