import type { Prisma } from "@bandkeeper/db/client";
import { redactSecrets } from "./audit-redaction";
import type { Database } from "./db";

// A transaction client or the root client: audit entries are written with the change they record.
type Writer = Pick<Database, "auditLog"> | Prisma.TransactionClient;

// Every action the dashboard records, entity first. test/security/audit-secrets.test.ts performs each one with
// secrets in its input and scans what was written, so a new action must be added there too.
export const AUDIT_ACTIONS = [
  "account.create",
  "account.disable",
  "account.enable",
  "alert.acknowledge",
  "alert_channel.create",
  "alert_channel.delete",
  "alert_channel.rotate_secret",
  "alert_channel.test",
  "alert_channel.update",
  "alert_rule.create",
  "alert_rule.delete",
  "alert_rule.update",
  "bot.emergency_stop",
  "bot.pause",
  "bot.start",
  "change_request.approve",
  "change_request.approve_first",
  "change_request.cancel",
  "change_request.propose",
  "change_request.reject",
  "invitation.accept",
  "invitation.create",
  "invitation.issue_link",
  "invitation.revoke",
  "member.change_role",
  "member.remove",
  "team.create",
  "team.update_security",
  "user.password_failed",
  "user.sessions_ended",
  "user.two_factor_disabled",
  "user.two_factor_enabled",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  teamId: string;
  // Null when nobody signed in did it (a failed password check).
  actorId: string | null;
  action: AuditAction;
  entityType: string;
  entityId?: string | null;
  changeRequestId?: string | null;
  // What the reader of the audit log needs to understand the action; secrets are redacted on the way in.
  payload?: Prisma.InputJsonValue;
}

// Every privileged action writes its audit entry in the same transaction, so call this
// with the transaction client of the change.
export async function recordAudit(writer: Writer, entry: AuditEntry): Promise<void> {
  await writer.auditLog.create({
    data: {
      teamId: entry.teamId,
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      changeRequestId: entry.changeRequestId ?? null,
      payload: entry.payload === undefined ? undefined : (redactSecrets(entry.payload) ?? undefined),
    },
  });
}

// An action on one's own account (two-factor sign-in, ending sessions) concerns every team the user belongs to: each
// gets the entry, so its owners can see it.
export async function recordAuditInUserTeams(
  writer: Prisma.TransactionClient,
  userId: string,
  entry: Omit<AuditEntry, "teamId" | "entityType" | "entityId">,
): Promise<void> {
  const memberships = await writer.membership.findMany({ where: { userId }, select: { teamId: true } });
  for (const { teamId } of memberships) {
    await recordAudit(writer, { ...entry, teamId, entityType: "User", entityId: userId });
  }
}
