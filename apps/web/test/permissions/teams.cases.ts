import type { PermissionCase } from "./harness";

export const cases: readonly PermissionCase[] = [
  { procedure: "teams.create", row: "SIGNED_IN", input: () => ({ name: "Matrix spin-off" }) },
  { procedure: "teams.current", row: "VIEW_TEAM" },
  { procedure: "teams.mine", row: "SIGNED_IN" },
  { procedure: "teams.security", row: "VIEW_TEAM" },
  {
    procedure: "teams.updateSecurity",
    row: "MANAGE_MEMBERS",
    input: () => ({ approvalCoolingOffHours: 24, requireTwoFactor: false, riskyMinNotional: null, riskyMaxSpread: null, riskyOrdersPerSide: null }),
  },
];
