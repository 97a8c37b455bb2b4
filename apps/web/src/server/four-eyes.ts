// Four eyes that one person cannot defeat with a second account (docs/permissions.md). Refusals say why.
//  - A member who joined by invitation approves nothing during the team's cooling-off period after joining.
//  - Within that period, nobody approves a request of the member who invited them, or of the member they invited.
//  - A risky change (past one of the team's thresholds) needs an OWNER's approval or two approvals.
import { Decimal } from "@bandkeeper/core/money";
import type { Prisma } from "@bandkeeper/db/client";
import type { TeamRole } from "./permissions";

type Reader = Pick<Prisma.TransactionClient, "membership" | "team">;

export interface TeamApprovalRules {
  approvalCoolingOffHours: number;
  riskyMinNotional: Prisma.Decimal | null;
  riskyMaxSpread: Prisma.Decimal | null;
  riskyOrdersPerSide: number | null;
}

interface Joining {
  userId: string;
  name: string;
  joinedAt: Date;
  invitedById: string | null;
}

async function joiningOf(db: Reader, teamId: string, userId: string): Promise<Joining | null> {
  const membership = await db.membership.findUnique({
    where: { userId_teamId: { userId, teamId } },
    select: { createdAt: true, invitation: { select: { invitedById: true } }, user: { select: { name: true } } },
  });
  if (!membership) return null;
  return { userId, name: membership.user.name, joinedAt: membership.createdAt, invitedById: membership.invitation?.invitedById ?? null };
}

function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * Why `approverId` may not approve a request of `proposerId` (or second a first approval by `firstApproverId`);
 * null when the rules allow it.
 */
export async function approvalRefusal(
  db: Reader,
  teamId: string,
  rules: TeamApprovalRules,
  people: { approverId: string; proposerId: string; firstApproverId: string | null },
  now: Date,
): Promise<string | null> {
  const periodMs = rules.approvalCoolingOffHours * 60 * 60 * 1000;
  if (periodMs <= 0) return null;
  const approver = await joiningOf(db, teamId, people.approverId);
  if (!approver) return "You are not a member of this team.";
  const coolingUntil = new Date(approver.joinedAt.getTime() + periodMs);
  if (approver.invitedById && now < coolingUntil) {
    return `You joined this team by invitation on ${formatUtc(approver.joinedAt)}: new members approve nothing for the first ${rules.approvalCoolingOffHours} hours (until ${formatUtc(coolingUntil)}). Another member must approve.`;
  }
  const others = [
    { id: people.proposerId, what: "proposed this change" },
    ...(people.firstApproverId ? [{ id: people.firstApproverId, what: "approved it first" }] : []),
  ];
  for (const other of others) {
    const member = await joiningOf(db, teamId, other.id);
    if (!member) continue;
    // Inviter and invitee, either way round, within the invitee's cooling-off period.
    const invitedApprover = approver.invitedById === member.userId && now < coolingUntil;
    const invitedByApprover = member.invitedById === approver.userId && now < new Date(member.joinedAt.getTime() + periodMs);
    if (invitedApprover) {
      return `${member.name} ${other.what} and invited you to the team on ${formatUtc(approver.joinedAt)}: for ${rules.approvalCoolingOffHours} hours after joining you cannot approve their changes. Another member must approve.`;
    }
    if (invitedByApprover) {
      const until = new Date(member.joinedAt.getTime() + periodMs);
      return `You invited ${member.name}, who ${other.what}, on ${formatUtc(member.joinedAt)}: until ${formatUtc(until)} you cannot approve their changes. Another member must approve.`;
    }
  }
  return null;
}

/** What makes a proposed config risky under the team's thresholds; empty when it is not. */
export function riskReasons(rules: TeamApprovalRules, proposedConfig: Prisma.JsonValue): string[] {
  const config = (typeof proposedConfig === "object" && proposedConfig !== null && !Array.isArray(proposedConfig) ? proposedConfig : {}) as Record<string, unknown>;
  const reasons: string[] = [];
  const minNotional = decimalOf(config.minNotional);
  if (rules.riskyMinNotional !== null && minNotional && minNotional.greaterThan(rules.riskyMinNotional.toString())) {
    reasons.push(`minNotional ${minNotional.toString()} is above the team's ${rules.riskyMinNotional.toString()}`);
  }
  const band = (typeof config.band === "object" && config.band !== null ? config.band : {}) as Record<string, unknown>;
  const maxSpread = decimalOf(band.maxSpread);
  if (rules.riskyMaxSpread !== null && maxSpread && maxSpread.greaterThan(rules.riskyMaxSpread.toString())) {
    reasons.push(`band.maxSpread ${maxSpread.toString()} is above the team's ${rules.riskyMaxSpread.toString()}`);
  }
  const ordersPerSide = typeof config.ordersPerSide === "number" ? config.ordersPerSide : null;
  if (rules.riskyOrdersPerSide !== null && ordersPerSide !== null && ordersPerSide > rules.riskyOrdersPerSide) {
    reasons.push(`ordersPerSide ${ordersPerSide} is above the team's ${rules.riskyOrdersPerSide}`);
  }
  return reasons;
}

/** An owner's approval decides a risky change alone; anyone else's counts as one of two. */
export function needsSecondApproval(role: TeamRole, reasons: readonly string[]): boolean {
  return reasons.length > 0 && role !== "OWNER";
}

function decimalOf(value: unknown): Decimal | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  try {
    return new Decimal(value);
  } catch {
    return null;
  }
}
