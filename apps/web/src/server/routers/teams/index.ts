import { router } from "../../trpc";
import { currentTeam } from "./current";
import { myTeams } from "./mine";
import { teamSecurity, updateTeamSecurity } from "./security";

export const teamsRouter = router({
  current: currentTeam,
  mine: myTeams,
  security: teamSecurity,
  updateSecurity: updateTeamSecurity,
});
