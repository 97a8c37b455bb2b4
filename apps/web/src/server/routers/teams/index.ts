import { router } from "../../trpc";
import { currentTeam } from "./current";
import { myTeams } from "./mine";

export const teamsRouter = router({
  current: currentTeam,
  mine: myTeams,
});
