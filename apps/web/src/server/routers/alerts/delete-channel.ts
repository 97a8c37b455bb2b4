import { z } from "zod";
import { recordAudit } from "../../audit";
import { teamProcedure } from "../../trpc";
import { handOnDefault } from "./default-channel";
import { teamChannel } from "./shared";

// Its deliveries go with it; rules that used it keep their other channels; the default role passes to the oldest
// channel left.
export const deleteAlertChannel = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(z.object({ channelId: z.string().min(1) }))
  .output(z.object({ id: z.string() }))
  .mutation(async ({ ctx, input }) => {
    return ctx.db.$transaction(async (tx) => {
      const channel = await teamChannel(tx, ctx.team.id, input.channelId);
      await handOnDefault(tx, ctx.team.id, channel);
      await tx.alertChannel.delete({ where: { id: channel.id } });
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "alert_channel.delete",
        entityType: "AlertChannel",
        entityId: channel.id,
        payload: { name: channel.name, type: channel.type },
      });
      return { id: channel.id };
    });
  });
