import { encryptSecret } from "@bandkeeper/db/crypto";
import { z } from "zod";
import { recordAudit } from "../../audit";
import { fieldError } from "../../field-error";
import { teamProcedure } from "../../trpc";
import { newWebhookSecret, secretKey, teamChannel } from "./shared";

// A new signing secret for a generic webhook (the old one stops working at once): shown once, like the first.
export const rotateAlertChannelSecret = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(z.object({ channelId: z.string().min(1) }))
  .output(z.object({ id: z.string(), secret: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const secret = newWebhookSecret();
    const secretCiphertext = encryptSecret(secret, secretKey());
    return ctx.db.$transaction(async (tx) => {
      const channel = await teamChannel(tx, ctx.team.id, input.channelId);
      if (channel.type !== "WEBHOOK") throw fieldError("channelId", "Only a generic webhook channel is signed.");
      await tx.alertChannel.update({ where: { id: channel.id }, data: { secretCiphertext } });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "alert_channel.rotate_secret",
        entityType: "AlertChannel",
        entityId: channel.id,
        payload: { name: channel.name },
      });
      return { id: channel.id, secret };
    });
  });
