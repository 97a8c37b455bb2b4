// What a notice says, in every format a channel takes: an email (subject, text, HTML), the generic signed JSON,
// Slack's incoming-webhook text and the WeCom / Feishu bot text messages. Pure: the sender signs and sends.
import { ALERT_RULE_KIND_INFO, type AlertRuleKind } from "./rules";
import { formatValue, formatWindow } from "./evaluation";

// TEAM: a change to the team's members (a new member, a role change) told to the owners through the channels.
export const ALERT_NOTICES = ["BREACH", "RECOVERY", "ESCALATION", "TEST", "TEAM"] as const;
export type AlertNoticeKind = (typeof ALERT_NOTICES)[number];

export interface AlertNoticeContent {
  readonly notice: AlertNoticeKind;
  /** The delivery's idempotency key: the same for every retry of one notice to one channel. */
  readonly idempotencyKey: string;
  readonly team: { readonly id: string; readonly name: string };
  /** What a TEAM notice says; null for the other kinds. */
  readonly teamMessage?: string | null;
  /** Null for TEST and TEAM notices. */
  readonly alert: {
    readonly id: string;
    readonly message: string;
    readonly value: number | null;
    readonly openedAt: number;
    readonly resolvedAt: number | null;
    readonly rule: { readonly id: string; readonly name: string; readonly kind: AlertRuleKind; readonly threshold: number | null; readonly windowSeconds: number | null };
    readonly bot: { readonly id: string; readonly symbol: string } | null;
  } | null;
  readonly channelName: string;
  /** The dashboard page to open: the bot's page, the alert history otherwise. */
  readonly url: string;
  /** When this notice was created (epoch ms). */
  readonly createdAt: number;
}

const NOTICE_TITLES: Record<AlertNoticeKind, string> = {
  BREACH: "Alert",
  RECOVERY: "Recovered",
  ESCALATION: "Still unacknowledged",
  TEST: "Test notice",
  TEAM: "Team change",
};

export function noticeTitle(content: AlertNoticeContent): string {
  const title = NOTICE_TITLES[content.notice];
  if (content.notice === "TEAM") return `[Bandkeeper] ${title} in ${content.team.name}`;
  if (!content.alert) return `[Bandkeeper] ${title}: channel "${content.channelName}" of ${content.team.name} works`;
  const bot = content.alert.bot ? ` ${content.alert.bot.symbol}` : "";
  return `[Bandkeeper] ${title}:${bot} ${content.alert.rule.name}`;
}

/** The lines every text format shares, most important first. */
export function noticeLines(content: AlertNoticeContent): string[] {
  const { alert } = content;
  if (content.notice === "TEAM") {
    return [content.teamMessage ?? "The team's members changed.", "If you did not expect this, check the team's members and audit log.", content.url];
  }
  if (!alert) {
    return [`This is a test notice from Bandkeeper for the channel "${content.channelName}" of ${content.team.name}.`, "If you can read it, alerts will reach you here.", content.url];
  }
  const lines = [alert.message];
  const { rule } = alert;
  if (rule.threshold !== null) {
    const info = ALERT_RULE_KIND_INFO[rule.kind];
    lines.push(`Rule: ${rule.name} (${info.label.toLowerCase()} ${formatValue(rule.kind, rule.threshold)}${rule.windowSeconds ? ` over ${formatWindow(rule.windowSeconds)}` : ""})`);
  } else {
    lines.push(`Rule: ${rule.name}`);
  }
  lines.push(`Opened: ${new Date(alert.openedAt).toISOString()}`);
  if (alert.resolvedAt !== null) lines.push(`Resolved: ${new Date(alert.resolvedAt).toISOString()}`);
  if (content.notice === "ESCALATION") lines.push("Nobody has acknowledged this alert yet.");
  lines.push(content.url);
  return lines;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export function renderEmail(content: AlertNoticeContent): RenderedEmail {
  const lines = noticeLines(content);
  const body = lines.slice(0, -1);
  const colour = content.notice === "RECOVERY" ? "#15803d" : content.notice === "TEST" || content.notice === "TEAM" ? "#1d4ed8" : "#b91c1c";
  const html = [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111827;line-height:1.5">`,
    `<h2 style="color:${colour};margin:0 0 12px">${escapeHtml(noticeTitle(content).replace(/^\[Bandkeeper\] /, ""))}</h2>`,
    ...body.map((line, i) => (i === 0 ? `<p style="font-size:16px;margin:0 0 12px"><strong>${escapeHtml(line)}</strong></p>` : `<p style="margin:0 0 4px;color:#374151">${escapeHtml(line)}</p>`)),
    `<p style="margin:16px 0"><a href="${escapeHtml(content.url)}" style="background:#111827;color:#fff;padding:8px 14px;border-radius:6px;text-decoration:none">Open in Bandkeeper</a></p>`,
    `<p style="font-size:12px;color:#6b7280">${escapeHtml(content.team.name)} · notice ${escapeHtml(content.idempotencyKey)}</p>`,
    `</body></html>`,
  ].join("\n");
  return { subject: noticeTitle(content), text: `${lines.join("\n")}\n`, html };
}

export const WEBHOOK_FORMATS = ["json", "slack", "wecom", "feishu"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The JSON body a webhook channel posts, in its format. */
export function renderWebhookBody(format: WebhookFormat, content: AlertNoticeContent): unknown {
  const text = [noticeTitle(content), ...noticeLines(content)].join("\n");
  switch (format) {
    case "json":
      return genericPayload(content);
    case "slack":
      // Slack incoming webhooks (and Mattermost, Rocket.Chat): mrkdwn text, the link in Slack's <url|label> form.
      return { text: [`*${escapeSlack(noticeTitle(content))}*`, ...noticeLines(content).slice(0, -1).map(escapeSlack), `<${content.url}|Open in Bandkeeper>`].join("\n") };
    case "wecom":
      return { msgtype: "text", text: { content: text } };
    case "feishu":
      return { msg_type: "text", content: { text } };
  }
}

function genericPayload(content: AlertNoticeContent) {
  const { alert } = content;
  return {
    id: content.idempotencyKey,
    type: `alert.${content.notice.toLowerCase()}`,
    createdAt: new Date(content.createdAt).toISOString(),
    team: content.team,
    ...(content.notice === "TEAM" ? { message: content.teamMessage ?? null } : {}),
    alert: alert && {
      id: alert.id,
      message: alert.message,
      value: alert.value,
      openedAt: new Date(alert.openedAt).toISOString(),
      resolvedAt: alert.resolvedAt === null ? null : new Date(alert.resolvedAt).toISOString(),
      rule: alert.rule,
      bot: alert.bot,
    },
    url: content.url,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] ?? c);
}

/** The page a notice links to: the bot's page when it concerns one bot, the alert history otherwise. */
export function noticeUrl(webUrl: string, alert: { readonly id: string; readonly bot: { readonly id: string } | null } | null): string {
  const base = webUrl.replace(/\/+$/, "");
  if (alert?.bot) return `${base}/bots/${encodeURIComponent(alert.bot.id)}`;
  return alert ? `${base}/alerts?alert=${encodeURIComponent(alert.id)}` : `${base}/alerts`;
}
