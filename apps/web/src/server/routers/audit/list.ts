import type { Prisma } from "@bandkeeper/db/client";
import { z } from "zod";
import { redactSecrets } from "../../audit-redaction";
import { teamProcedure } from "../../trpc";

export const AUDIT_PAGE_SIZES = [25, 50, 100] as const;

export const auditListInput = z
  .object({
    actorId: z.string().min(1).optional(),
    action: z.string().min(1).max(100).optional(),
    entityType: z.string().min(1).max(100).optional(),
    // [from, to): the client sends the start of the first day and of the day after the last one.
    from: z.date({ error: "Enter a valid date." }).optional(),
    to: z.date({ error: "Enter a valid date." }).optional(),
    // The id of the last entry of the previous page.
    cursor: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .refine((input) => !input.from || !input.to || input.from < input.to, {
    path: ["to"],
    message: "The end date must not be before the start date.",
  });

export const auditEntrySchema = z.object({
  id: z.string(),
  createdAt: z.date(),
  actor: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  changeRequestId: z.string().nullable(),
  // What the action recorded, secrets redacted (recordAudit): plain JSON.
  payload: z.unknown(),
});

export type AuditEntryItem = z.infer<typeof auditEntrySchema>;

export const auditListOutput = z.object({
  entries: z.array(auditEntrySchema),
  // Present when there are older entries.
  nextCursor: z.string().nullable(),
});

// Newest first, a page at a time, keyed by (createdAt, id) so paging stays cheap however long the log grows.
export const listAudit = teamProcedure("VIEW_TEAM")
  .input(auditListInput)
  .output(auditListOutput)
  .query(async ({ ctx, input }) => {
    const rows = await ctx.db.auditLog.findMany({
      where: {
        teamId: ctx.team.id,
        ...(input.actorId ? { actorId: input.actorId } : {}),
        ...(input.action ? { action: input.action } : {}),
        ...(input.entityType ? { entityType: input.entityType } : {}),
        ...(input.from || input.to ? { createdAt: { gte: input.from, lt: input.to } } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      take: input.limit + 1,
      select: {
        id: true,
        createdAt: true,
        action: true,
        entityType: true,
        entityId: true,
        changeRequestId: true,
        payload: true,
        actor: { select: { id: true, name: true, email: true } },
      },
    });
    const entries = rows.slice(0, input.limit);
    return {
      // Entries written before redaction existed are redacted as they are read.
      entries: entries.map((entry) => ({ ...entry, payload: redactSecrets((entry.payload ?? null) as Prisma.InputJsonValue | null) })),
      nextCursor: rows.length > input.limit ? (entries.at(-1)?.id ?? null) : null,
    };
  });
