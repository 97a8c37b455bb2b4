// Builds what a notice says from the delivery's rows.
import { noticeUrl, type AlertNoticeContent } from "@bandkeeper/core/alerts";
import type { Prisma } from "@bandkeeper/db/client";

export const deliveryWithContext = {
  channel: { include: { team: { select: { id: true, name: true } } } },
  event: { include: { rule: true, bot: { select: { id: true, symbol: true } } } },
} satisfies Prisma.AlertDeliveryInclude;

export type DeliveryWithContext = Prisma.AlertDeliveryGetPayload<{ include: typeof deliveryWithContext }>;

export function noticeContent(delivery: DeliveryWithContext, webUrl: string): AlertNoticeContent {
  const { event, channel } = delivery;
  const alert = event && {
    id: event.id,
    // A recovery notice tells of the recovery; the event keeps the breach's message.
    message: (delivery.notice === "RECOVERY" ? recoveryMessage(event.data) : null) ?? event.message,
    value: event.value === null ? null : event.value.toNumber(),
    openedAt: event.openedAt.getTime(),
    resolvedAt: event.resolvedAt?.getTime() ?? null,
    rule: {
      id: event.rule.id,
      name: event.rule.name,
      kind: event.rule.kind,
      threshold: event.rule.threshold === null ? null : event.rule.threshold.toNumber(),
      windowSeconds: event.rule.windowSeconds,
    },
    bot: event.bot,
  };
  return {
    notice: delivery.notice,
    idempotencyKey: delivery.idempotencyKey,
    team: channel.team,
    teamMessage: delivery.message,
    alert,
    channelName: channel.name,
    // A team change links to the members page.
    url: delivery.notice === "TEAM" ? `${webUrl.replace(/\/+$/, "")}/members` : noticeUrl(webUrl, alert),
    createdAt: delivery.createdAt.getTime(),
  };
}

function recoveryMessage(data: Prisma.JsonValue): string | null {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
  return typeof data.recovery === "string" ? data.recovery : null;
}
