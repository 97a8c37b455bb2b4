// Sends an invitation's link to the invited address when the server has SMTP settings; the link then goes to that
// mailbox only and is shown to nobody in the dashboard.
import nodemailer from "nodemailer";
import { env } from "~/env";

export function invitationMailConfigured(): boolean {
  return Boolean(env().SMTP_HOST);
}

export interface InvitationMail {
  to: string;
  teamName: string;
  invitedBy: string;
  role: string;
  url: string;
  expiresAt: Date;
}

export async function sendInvitationMail(mail: InvitationMail): Promise<void> {
  const settings = env();
  if (!settings.SMTP_HOST) throw new Error("SMTP_HOST is not set");
  const secure = settings.SMTP_SECURE === "true";
  const transport = nodemailer.createTransport({
    host: settings.SMTP_HOST,
    port: settings.SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    ...(settings.SMTP_USER ? { auth: { user: settings.SMTP_USER, pass: settings.SMTP_PASSWORD ?? "" } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 10_000,
  });
  const expires = `${mail.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  await transport.sendMail({
    from: settings.INVITATION_FROM,
    to: mail.to,
    subject: `[Bandkeeper] ${mail.invitedBy} invited you to ${mail.teamName}`,
    text: [
      `${mail.invitedBy} invited ${mail.to} to join ${mail.teamName} on Bandkeeper as ${mail.role}.`,
      "",
      `Open this link to join (it works once, until ${expires}):`,
      mail.url,
      "",
      "If you did not expect this, ignore this email.",
    ].join("\n"),
  });
  transport.close();
}

/** The dashboard's own address, for links in emails. */
export function dashboardUrl(path: string): string {
  return `${(env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "")}${path}`;
}
