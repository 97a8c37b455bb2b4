// The permission table as data: each team action lists the roles allowed to perform it.
export const TEAM_ROLES = ["OWNER", "ADMIN", "TRADER", "VIEWER"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const TEAM_PERMISSIONS = {
  VIEW_TEAM: ["OWNER", "ADMIN", "TRADER", "VIEWER"],
  OPERATE_BOT: ["OWNER", "ADMIN", "TRADER"],
  PROPOSE_CHANGE: ["OWNER", "ADMIN", "TRADER"],
  REVIEW_CHANGE: ["OWNER", "ADMIN"],
  MANAGE_ACCOUNTS_AND_CHANNELS: ["OWNER", "ADMIN"],
  MANAGE_MEMBERS: ["OWNER"],
  // An ADMIN may invite too (only to roles below OWNER); changing roles and removing members stay the OWNER's.
  INVITE_MEMBERS: ["OWNER", "ADMIN"],
} as const satisfies Record<string, readonly TeamRole[]>;

export type TeamAction = keyof typeof TEAM_PERMISSIONS;

export function isAllowed(role: TeamRole, action: TeamAction): boolean {
  return (TEAM_PERMISSIONS[action] as readonly TeamRole[]).includes(role);
}

// The actions of the roles that approve or manage accounts: a team that requires two-factor sign-in refuses them to
// a member who has not set it up (Team.requireTwoFactor).
export const TWO_FACTOR_ACTIONS: readonly TeamAction[] = ["REVIEW_CHANGE", "MANAGE_ACCOUNTS_AND_CHANNELS", "MANAGE_MEMBERS", "INVITE_MEMBERS"];

export function needsTwoFactor(action: TeamAction): boolean {
  return TWO_FACTOR_ACTIONS.includes(action);
}
