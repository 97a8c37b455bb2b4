import { describe, expect, it } from "vitest";
import { TEAM_PERMISSIONS, TEAM_ROLES, isAllowed, type TeamAction, type TeamRole } from "../src/server/permissions";

// docs/design.md section 5, row by row: OWNER, ADMIN, TRADER, VIEWER.
const designTable: Record<TeamAction, [boolean, boolean, boolean, boolean]> = {
  VIEW_TEAM: [true, true, true, true],
  OPERATE_BOT: [true, true, true, false],
  PROPOSE_CHANGE: [true, true, true, false],
  REVIEW_CHANGE: [true, true, false, false],
  MANAGE_ACCOUNTS_AND_CHANNELS: [true, true, false, false],
  MANAGE_MEMBERS: [true, false, false, false],
  // Not a row of the table: issue 5, "an ADMIN or OWNER invites by email".
  INVITE_MEMBERS: [true, true, false, false],
};

const cases = Object.entries(designTable).flatMap(([action, allowed]) =>
  TEAM_ROLES.map((role, index) => [action as TeamAction, role, allowed[index]] as const),
);

describe("team permissions", () => {
  it("covers exactly the actions of the design table", () => {
    expect(Object.keys(TEAM_PERMISSIONS).sort()).toEqual(Object.keys(designTable).sort());
  });

  it.each(cases)("%s for %s is %s", (action: TeamAction, role: TeamRole, allowed) => {
    expect(isAllowed(role, action)).toBe(allowed);
  });
});
