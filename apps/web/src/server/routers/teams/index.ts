import { router } from "../../trpc";
import { createTeam } from "./create";
import { currentTeam } from "./current";
import { myTeams } from "./mine";
import { teamSecurity, updateTeamSecurity } from "./security";

export const teamsRouter = router({
  create: createTeam,
  current: currentTeam,
  mine: myTeams,
  security: teamSecurity,
  updateSecurity: updateTeamSecurity,
});
