import type { PermissionCase } from "./harness";

export const cases: readonly PermissionCase[] = [
  { procedure: "teams.current", row: "VIEW_TEAM" },
  { procedure: "teams.mine", row: "SIGNED_IN" },
];
