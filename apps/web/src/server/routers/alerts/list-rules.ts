import { z } from "zod";
import { teamProcedure } from "../../trpc";
import { ruleKindSchema } from "./shared";

export const alertRulesOutput = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    kind: ruleKindSchema,
    bot: z.object({ id: z.string(), symbol: z.string() }).nullable(),
    // A ratio (0.999) or milliseconds, by kind; null for state rules.
    threshold: z.number().nullable(),
    windowSeconds: z.number().int().nullable(),
    escalateAfterMinutes: z.number().int().nullable(),
    enabled: z.boolean(),
    channels: z.array(z.object({ id: z.string(), name: z.string() })),
    openAlerts: z.number().int(),
  }),
);

export type AlertRuleItem = z.infer<typeof alertRulesOutput>[number];

export const listAlertRules = teamProcedure("VIEW_TEAM")
  .output(alertRulesOutput)
  .query(async ({ ctx }) => {
    const rules = await ctx.db.alertRule.findMany({
      where: { teamId: ctx.team.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: {
        bot: { select: { id: true, symbol: true } },
        channels: { select: { channel: { select: { id: true, name: true } } }, orderBy: { channel: { name: "asc" } } },
        _count: { select: { events: { where: { state: "OPEN" } } } },
      },
    });
    return rules.map((rule) => ({
      id: rule.id,
      name: rule.name,
      kind: rule.kind,
      bot: rule.bot,
      threshold: rule.threshold === null ? null : rule.threshold.toNumber(),
      windowSeconds: rule.windowSeconds,
      escalateAfterMinutes: rule.escalateAfterMinutes,
      enabled: rule.enabled,
      channels: rule.channels.map((c) => c.channel),
      openAlerts: rule._count.events,
    }));
  });
