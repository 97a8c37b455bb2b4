import type { Prisma } from "@bandkeeper/db/client";
import { AppError } from "../../errors";
import { fieldError } from "../../field-error";

// Membership changes of one team run one at a time: two owners demoting each other at the same moment would
// otherwise each see the other still an owner and leave the team with none.
export async function lockTeamMemberships(tx: Prisma.TransactionClient, teamId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Team" WHERE id = ${teamId} FOR UPDATE`;
}

export async function findMembership(tx: Prisma.TransactionClient, teamId: string, membershipId: string) {
  const membership = await tx.membership.findFirst({
    where: { id: membershipId, teamId },
    select: { id: true, role: true, userId: true, user: { select: { email: true, name: true } } },
  });
  if (!membership) throw new AppError("NOT_FOUND", "This member is not in the team.");
  return membership;
}

// Refuses a change that would take away the team's last OWNER; `field` is where the form shows it.
export async function assertAnotherOwner(
  tx: Prisma.TransactionClient,
  teamId: string,
  leavingMembershipId: string,
  field: string,
): Promise<void> {
  const others = await tx.membership.count({ where: { teamId, role: "OWNER", id: { not: leavingMembershipId } } });
  if (others === 0) {
    throw fieldError(field, "A team needs at least one owner: make someone else an owner first.");
  }
}
