import { router } from "../../trpc";
import { changePassword } from "./change-password";
import { endOneSession, listSessions, signOutEverywhere } from "./sessions";
import { twoFactorRouter } from "./two-factor";

export const profileRouter = router({
  changePassword,
  sessions: listSessions,
  endSession: endOneSession,
  signOutEverywhere,
  twoFactor: twoFactorRouter,
});
