import { router } from "../../trpc";
import { changeMemberRole } from "./change-role";
import { listMembers } from "./list";
import { removeMember } from "./remove";

export const membersRouter = router({
  list: listMembers,
  changeRole: changeMemberRole,
  remove: removeMember,
});
