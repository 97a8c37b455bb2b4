// The alert rules every new team starts with: docs/design.md section 2's targets (core's DEFAULT_ALERT_RULES).
import { DEFAULT_ALERT_RULES } from "@bandkeeper/core/alerts";
import type { Prisma } from "./client";

type Writer = { alertRule: Prisma.TransactionClient["alertRule"] };

/** Call with the transaction that creates the team. */
export async function createDefaultAlertRules(db: Writer, teamId: string): Promise<void> {
  await db.alertRule.createMany({
    data: DEFAULT_ALERT_RULES.map((rule) => ({
      teamId,
      name: rule.name,
      kind: rule.kind,
      threshold: rule.threshold,
      windowSeconds: rule.windowSeconds,
      escalateAfterMinutes: rule.escalateAfterMinutes,
    })),
  });
}
