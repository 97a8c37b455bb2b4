// Channel settings as the dashboard writes them: validated here so the web app and the sender agree.
import { z } from "zod";
import { CONTROL_CHARACTER_MESSAGE, isPlainLine } from "../text";
import { WEBHOOK_FORMATS } from "./messages";

export const ALERT_CHANNEL_TYPES = ["EMAIL", "WEBHOOK", "SLACK", "WECOM"] as const;
export type AlertChannelType = (typeof ALERT_CHANNEL_TYPES)[number];

const webhookUrl = z
  .string()
  .trim()
  .min(1, "Enter the webhook URL.")
  .max(2_000, "At most 2000 characters.")
  .refine(isPlainLine, CONTROL_CHARACTER_MESSAGE)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "Enter an http:// or https:// URL.");

const email = z.email("Enter a valid email address.");

export const emailChannelConfigSchema = z.object({
  recipients: z.array(email).min(1, "Add at least one recipient.").max(20, "At most 20 recipients."),
});

export const webhookChannelConfigSchema = z.object({
  url: webhookUrl,
  format: z.enum(WEBHOOK_FORMATS),
});

/** Channel types and their settings; SLACK and WECOM are webhooks whose format is fixed by the type. */
export const alertChannelConfigSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("EMAIL"), config: emailChannelConfigSchema }),
  z.object({ type: z.literal("WEBHOOK"), config: webhookChannelConfigSchema }),
  z.object({ type: z.literal("SLACK"), config: webhookChannelConfigSchema.extend({ format: z.literal("slack") }) }),
  z.object({ type: z.literal("WECOM"), config: webhookChannelConfigSchema.extend({ format: z.enum(["wecom", "feishu"]) }) }),
]);
export type AlertChannelSettings = z.infer<typeof alertChannelConfigSchema>;
