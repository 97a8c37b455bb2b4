import { ALERT_CHANNEL_TYPES, alertChannelConfigSchema } from "@bandkeeper/core/alerts";
import { z } from "zod";
import { isAllowed } from "../../permissions";
import { teamProcedure } from "../../trpc";
import { deliveryOutput, deliverySelect, toDelivery } from "./shared";

export const alertChannelsOutput = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    type: z.enum(ALERT_CHANNEL_TYPES),
    // Recipients, or the webhook URL (only its origin for roles that cannot manage channels: a chat tool's URL
    // is its password).
    target: z.string(),
    format: z.string().nullable(),
    signed: z.boolean(),
    enabled: z.boolean(),
    // New rules without channels of their own use it.
    isDefault: z.boolean(),
    rules: z.number().int(),
    recentTests: z.array(deliveryOutput),
  }),
);

export type AlertChannelItem = z.infer<typeof alertChannelsOutput>[number];

export const listAlertChannels = teamProcedure("VIEW_TEAM")
  .output(alertChannelsOutput)
  .query(async ({ ctx }) => {
    const fullTargets = isAllowed(ctx.team.role, "MANAGE_ACCOUNTS_AND_CHANNELS");
    const channels = await ctx.db.alertChannel.findMany({
      where: { teamId: ctx.team.id },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      include: {
        _count: { select: { rules: true } },
        deliveries: { where: { notice: "TEST" }, orderBy: { createdAt: "desc" }, take: 3, select: deliverySelect },
      },
    });
    return channels.map((channel) => {
      const settings = alertChannelConfigSchema.safeParse({ type: channel.type, config: channel.config });
      let target = "(invalid settings)";
      let format: string | null = null;
      if (settings.success) {
        if (settings.data.type === "EMAIL") {
          target = settings.data.config.recipients.join(", ");
        } else {
          format = settings.data.config.format;
          target = fullTargets ? settings.data.config.url : `${new URL(settings.data.config.url).origin}/…`;
        }
      }
      return {
        id: channel.id,
        name: channel.name,
        type: channel.type,
        target,
        format,
        signed: channel.secretCiphertext !== null,
        enabled: channel.enabled,
        isDefault: channel.isDefault,
        rules: channel._count.rules,
        recentTests: channel.deliveries.map(toDelivery),
      };
    });
  });
