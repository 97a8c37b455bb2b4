import type { MatrixWorld, PermissionCase } from "./harness";

async function freshTraderMembership(world: MatrixWorld) {
  const user = await world.createMember("TRADER");
  return world.db.membership.findUniqueOrThrow({
    where: { userId_teamId: { userId: user.id, teamId: world.teamId } },
    select: { id: true },
  });
}

export const cases: readonly PermissionCase[] = [
  { procedure: "members.list", row: "VIEW_TEAM" },
  {
    procedure: "members.changeRole",
    row: "MANAGE_MEMBERS",
    input: async (world) => ({ membershipId: (await freshTraderMembership(world)).id, role: "VIEWER" }),
  },
  {
    procedure: "members.remove",
    row: "MANAGE_MEMBERS",
    input: async (world) => ({ membershipId: (await freshTraderMembership(world)).id }),
  },
];
