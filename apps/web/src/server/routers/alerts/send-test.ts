import { randomUUID } from "node:crypto";
import { alertChannelConfigSchema } from "@bandkeeper/core/alerts";
import { z } from "zod";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { outboundRefusal } from "../../outbound";
import { teamProcedure } from "../../trpc";
import { deliveryOutput, deliverySelect, teamChannel, toDelivery } from "./shared";

// Puts a TEST notice for the channel in the outbox; the engine's delivery worker sends it like any other (checking
// the address again at the call), so the test proves the whole path, and its attempts show under the channel. A
// webhook the outbound policy refuses now is refused here, with the reason, and nothing is queued.
export const sendAlertTest = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(z.object({ channelId: z.string().min(1) }))
  .output(deliveryOutput)
  .mutation(async ({ ctx, input }) => {
    const settings = alertChannelConfigSchema.safeParse(await teamChannel(ctx.db, ctx.team.id, input.channelId));
    if (settings.success && settings.data.type !== "EMAIL") {
      const refusal = await outboundRefusal(settings.data.config.url);
      if (refusal !== null) throw new AppError("INVALID_INPUT", `This channel's URL is not called: ${refusal.message}`);
    }
    return ctx.db.$transaction(async (tx) => {
      const channel = await teamChannel(tx, ctx.team.id, input.channelId);
      const delivery = await tx.alertDelivery.create({
        data: { channelId: channel.id, notice: "TEST", idempotencyKey: `test:${channel.id}:${randomUUID()}` },
        select: deliverySelect,
      });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "alert_channel.test",
        entityType: "AlertChannel",
        entityId: channel.id,
        payload: { name: channel.name, deliveryId: delivery.id },
      });
      return toDelivery(delivery);
    });
  });
