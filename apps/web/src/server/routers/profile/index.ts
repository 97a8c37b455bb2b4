import { router } from "../../trpc";
import { changePassword } from "./change-password";

export const profileRouter = router({
  changePassword,
});
