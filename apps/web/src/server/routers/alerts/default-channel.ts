// The team's default alert channel: its first channel becomes it (and joins the rules that had no channel, the
// default rules a team starts with among them); a new rule without channels uses it; an owner or admin may make
// another channel the default; deleting it hands the role to the oldest channel left.
import { z } from "zod";
import type { Prisma } from "@bandkeeper/db/client";
import { recordAudit } from "../../audit";
import { teamProcedure } from "../../trpc";
import { teamChannel } from "./shared";

/** Call after creating a channel, in its transaction: the team's first channel becomes the default. */
export async function adoptFirstChannel(tx: Prisma.TransactionClient, teamId: string, channelId: string): Promise<boolean> {
  // The team row first: two first channels created at once must not both become the default.
  await tx.$queryRaw`SELECT id FROM "Team" WHERE id = ${teamId} FOR UPDATE`;
  const existing = await tx.alertChannel.findFirst({ where: { teamId, isDefault: true }, select: { id: true } });
  if (existing) return false;
  await tx.alertChannel.update({ where: { id: channelId }, data: { isDefault: true } });
  const silent = await tx.alertRule.findMany({ where: { teamId, channels: { none: {} } }, select: { id: true } });
  await tx.alertRuleChannel.createMany({ data: silent.map((rule) => ({ ruleId: rule.id, channelId })) });
  return true;
}

/** The channels a new rule gets: the ones it names, or the team's default when it names none. */
export async function channelsForNewRule(tx: Prisma.TransactionClient, teamId: string, channelIds: readonly string[]): Promise<string[]> {
  if (channelIds.length > 0) return [...new Set(channelIds)];
  const fallback = await tx.alertChannel.findFirst({ where: { teamId, isDefault: true }, select: { id: true } });
  return fallback ? [fallback.id] : [];
}

/** Call before deleting a channel, in its transaction: if it was the default, the oldest other channel takes over. */
export async function handOnDefault(tx: Prisma.TransactionClient, teamId: string, channel: { id: string; isDefault: boolean }): Promise<void> {
  if (!channel.isDefault) return;
  await tx.alertChannel.update({ where: { id: channel.id }, data: { isDefault: false } });
  const next = await tx.alertChannel.findFirst({
    where: { teamId, id: { not: channel.id } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  if (next) await tx.alertChannel.update({ where: { id: next.id }, data: { isDefault: true } });
}

export const setDefaultAlertChannel = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(z.object({ channelId: z.string().min(1) }))
  .output(z.object({ id: z.string(), changed: z.boolean() }))
  .mutation(async ({ ctx, input }) => {
    return ctx.db.$transaction(async (tx) => {
      // The team row is locked first, so two members picking different defaults at once cannot both win.
      await tx.$queryRaw`SELECT id FROM "Team" WHERE id = ${ctx.team.id} FOR UPDATE`;
      const channel = await teamChannel(tx, ctx.team.id, input.channelId);
      const current = await tx.alertChannel.findFirst({ where: { teamId: ctx.team.id, isDefault: true }, select: { id: true } });
      if (current?.id === channel.id) return { id: channel.id, changed: false };
      if (current) await tx.alertChannel.update({ where: { id: current.id }, data: { isDefault: false } });
      await tx.alertChannel.update({ where: { id: channel.id }, data: { isDefault: true } });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "alert_channel.update",
        entityType: "AlertChannel",
        entityId: channel.id,
        payload: { name: channel.name, isDefault: true, previousDefaultId: current?.id ?? null },
      });
      return { id: channel.id, changed: true };
    });
  });
