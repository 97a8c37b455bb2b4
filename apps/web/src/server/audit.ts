import type { Prisma } from "@bandkeeper/db/client";
import type { Database } from "./db";

// A transaction client or the root client: audit entries are written with the change they record.
type Writer = Pick<Database, "auditLog"> | Prisma.TransactionClient;

export interface AuditEntry {
  teamId: string;
  actorId: string;
  // A dotted name, entity first: "bot.pause", "change_request.approve", "account.create".
  action: string;
  entityType: string;
  entityId?: string | null;
  changeRequestId?: string | null;
  // What the reader of the audit log needs to understand the action; never secrets.
  payload?: Prisma.InputJsonValue;
}

// DESIGN.md section 6: every privileged action writes its audit entry in the same transaction, so call this
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
      payload: entry.payload,
    },
  });
}
