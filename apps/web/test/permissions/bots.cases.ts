import type { PermissionCase } from "./harness";

export const cases: readonly PermissionCase[] = [{ procedure: "bots.list", row: "VIEW_TEAM" }];
