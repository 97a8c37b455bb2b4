import type { TeamRole } from "~/server/permissions";

// What each role may do, in one line (server/permissions.ts has the table), for the role pickers.
export const ROLE_SUMMARY: Record<TeamRole, string> = {
  OWNER: "everything, including members and roles",
  ADMIN: "accounts, alert channels, approving changes, inviting",
  TRADER: "starting and pausing bots, proposing changes",
  VIEWER: "watching only",
};
