import type { PermissionCase } from "./harness";

export const cases: readonly PermissionCase[] = [
  { procedure: "audit.list", row: "VIEW_TEAM", input: () => ({}) },
  { procedure: "audit.filters", row: "VIEW_TEAM" },
];
