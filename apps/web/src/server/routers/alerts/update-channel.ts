import { alertChannelConfigSchema } from "@bandkeeper/core/alerts";
import { z } from "zod";
import { recordAudit } from "../../audit";
import { fieldError } from "../../field-error";
import { checkOutboundField } from "../../outbound";
import { teamProcedure } from "../../trpc";
import { channelNameSchema } from "./create-channel";
import { duplicateChannelName, teamChannel } from "./shared";

// Renames a channel, changes where it sends, or switches it off; its type (and signing secret) stay.
export const updateAlertChannel = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(z.object({ channelId: z.string().min(1), name: channelNameSchema, enabled: z.boolean() }).and(alertChannelConfigSchema))
  .output(z.object({ id: z.string() }))
  .mutation(async ({ ctx, input }) => {
    if (input.type !== "EMAIL") await checkOutboundField("config.url", input.config.url);
    return ctx.db.$transaction(async (tx) => {
      const before = await teamChannel(tx, ctx.team.id, input.channelId);
      if (before.type !== input.type) throw fieldError("type", "A channel's type cannot change: add a new channel instead.");
      await tx.alertChannel
        .update({ where: { id: before.id }, data: { name: input.name, config: input.config, enabled: input.enabled } })
        .catch((error: unknown) => duplicateChannelName(error));
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "alert_channel.update",
        entityType: "AlertChannel",
        entityId: before.id,
        payload: { before: { name: before.name, config: before.config ?? null, enabled: before.enabled }, after: { name: input.name, config: input.config, enabled: input.enabled } },
      });
      return { id: before.id };
    });
  });
