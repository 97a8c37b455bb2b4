import { encryptSecret } from "@bandkeeper/db/crypto";
import { alertChannelConfigSchema } from "@bandkeeper/core/alerts";
import { lineText } from "@bandkeeper/core/text";
import { z } from "zod";
import { recordAudit } from "../../audit";
import { checkOutboundField } from "../../outbound";
import { teamProcedure } from "../../trpc";
import { adoptFirstChannel } from "./default-channel";
import { duplicateChannelName, newWebhookSecret, secretKey } from "./shared";

export const channelNameSchema = lineText({ min: { length: 1, message: "Give the channel a name." }, max: { length: 60, message: "At most 60 characters." } });

export const createAlertChannelInput = z.object({ name: channelNameSchema }).and(alertChannelConfigSchema);

export const createAlertChannel = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(createAlertChannelInput)
  .output(z.object({ id: z.string(), name: z.string(), secret: z.string().nullable(), isDefault: z.boolean() }))
  .mutation(async ({ ctx, input }) => {
    if (input.type !== "EMAIL") await checkOutboundField("config.url", input.config.url);
    // Generic webhooks are signed; the secret is shown once, here, and kept only encrypted.
    const secret = input.type === "WEBHOOK" ? newWebhookSecret() : null;
    const secretCiphertext = secret === null ? null : encryptSecret(secret, secretKey());
    return ctx.db.$transaction(async (tx) => {
      const channel = await tx.alertChannel
        .create({ data: { teamId: ctx.team.id, name: input.name, type: input.type, config: input.config, secretCiphertext }, select: { id: true, name: true } })
        .catch((error: unknown) => duplicateChannelName(error));
      const isDefault = await adoptFirstChannel(tx, ctx.team.id, channel.id);
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "alert_channel.create",
        entityType: "AlertChannel",
        entityId: channel.id,
        payload: { name: input.name, type: input.type, config: input.config, signed: secret !== null, isDefault },
      });
      return { ...channel, secret, isDefault };
    });
  });
