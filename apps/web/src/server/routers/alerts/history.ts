import { z } from "zod";
import { teamProcedure } from "../../trpc";
import { deliveryOutput, deliverySelect, ruleKindSchema, toDelivery } from "./shared";

export const alertHistoryInput = z.object({
  state: z.enum(["OPEN", "RESOLVED"]).optional(),
  // The openedAt/id of the last event of the previous page.
  cursor: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const alertHistoryOutput = z.object({
  events: z.array(
    z.object({
      id: z.string(),
      state: z.enum(["OPEN", "RESOLVED"]),
      message: z.string(),
      recovery: z.string().nullable(),
      value: z.number().nullable(),
      openedAt: z.date(),
      lastSeenAt: z.date(),
      resolvedAt: z.date().nullable(),
      acknowledgedAt: z.date().nullable(),
      acknowledgedBy: z.string().nullable(),
      escalatedAt: z.date().nullable(),
      rule: z.object({ id: z.string(), name: z.string(), kind: ruleKindSchema }),
      bot: z.object({ id: z.string(), symbol: z.string() }).nullable(),
      deliveries: z.array(deliveryOutput),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export type AlertHistoryEvent = z.infer<typeof alertHistoryOutput>["events"][number];

export const alertHistory = teamProcedure("VIEW_TEAM")
  .input(alertHistoryInput)
  .output(alertHistoryOutput)
  .query(async ({ ctx, input }) => {
    const rows = await ctx.db.alertEvent.findMany({
      where: { teamId: ctx.team.id, ...(input.state ? { state: input.state } : {}) },
      orderBy: [{ openedAt: "desc" }, { id: "desc" }],
      take: input.limit + 1,
      ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      include: {
        rule: { select: { id: true, name: true, kind: true } },
        bot: { select: { id: true, symbol: true } },
        acknowledgedBy: { select: { name: true } },
        deliveries: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: deliverySelect },
      },
    });
    const page = rows.slice(0, input.limit);
    return {
      events: page.map((event) => ({
        id: event.id,
        state: event.state,
        message: event.message,
        recovery: recoveryOf(event.data),
        value: event.value === null ? null : event.value.toNumber(),
        openedAt: event.openedAt,
        lastSeenAt: event.lastSeenAt,
        resolvedAt: event.resolvedAt,
        acknowledgedAt: event.acknowledgedAt,
        acknowledgedBy: event.acknowledgedBy?.name ?? null,
        escalatedAt: event.escalatedAt,
        rule: event.rule,
        bot: event.bot,
        deliveries: event.deliveries.map(toDelivery),
      })),
      nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
    };
  });

function recoveryOf(data: unknown): string | null {
  if (typeof data !== "object" || data === null) return null;
  const recovery = (data as { recovery?: unknown }).recovery;
  return typeof recovery === "string" ? recovery : null;
}
