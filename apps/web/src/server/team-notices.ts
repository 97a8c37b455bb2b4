// Owners hear of every change to who is in the team (a new member, a role change) through the team's alert
// channels: one TEAM delivery per enabled channel, in the transaction of the change, sent by the engine's
// delivery worker like any alert.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@bandkeeper/db/client";

export async function noticeToTeam(tx: Prisma.TransactionClient, teamId: string, message: string): Promise<number> {
  const channels = await tx.alertChannel.findMany({ where: { teamId, enabled: true }, select: { id: true } });
  if (channels.length === 0) return 0;
  await tx.alertDelivery.createMany({
    data: channels.map((channel) => ({ channelId: channel.id, notice: "TEAM" as const, message, idempotencyKey: `team:${channel.id}:${randomUUID()}` })),
  });
  return channels.length;
}
