// The two ways a notice leaves: SMTP through nodemailer, and an HTTP POST. Each send ends in a SendResult, never
// an exception, and within its timeout, so a hanging or refusing receiver costs one slot for a bounded time.
import nodemailer, { type Transporter } from "nodemailer";
import { renderEmail, renderWebhookBody, type AlertNoticeContent, type WebhookFormat } from "@bandkeeper/core/alerts";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from "./signature";

export interface SendResult {
  ok: boolean;
  /** HTTP status, or the SMTP reply code. */
  statusCode: number | null;
  error: string | null;
  /** Retrying cannot help (the channel was disabled, its settings are broken): give up at once. */
  permanent?: boolean;
}

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
  from: string;
}

export interface EmailSender {
  send(recipients: readonly string[], content: AlertNoticeContent, timeoutMs: number): Promise<SendResult>;
  close(): void;
}

export function createEmailSender(settings: SmtpSettings | null): EmailSender {
  if (settings === null) {
    return {
      send: () => Promise.resolve({ ok: false, statusCode: null, error: "email is not configured: set SMTP_HOST (and SMTP_PORT, ALERT_FROM) for the engine" }),
      close: () => undefined,
    };
  }
  const transports = new Map<number, Transporter>();
  // One transport per timeout (in practice one): nodemailer's timeouts are set when it is created.
  const transportFor = (timeoutMs: number) => {
    let transport = transports.get(timeoutMs);
    if (!transport) {
      transport = nodemailer.createTransport({
        host: settings.host,
        port: settings.port,
        secure: settings.secure,
        ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? "" } } : {}),
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      });
      transports.set(timeoutMs, transport);
    }
    return transport;
  };
  return {
    async send(recipients, content, timeoutMs) {
      const email = renderEmail(content);
      try {
        const info = (await transportFor(timeoutMs).sendMail({
          from: settings.from,
          to: [...recipients],
          subject: email.subject,
          text: email.text,
          html: email.html,
          // The same Message-ID on every retry lets mail clients fold a duplicate away.
          messageId: `<${content.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, ".")}@bandkeeper>`,
          headers: { [IDEMPOTENCY_HEADER]: content.idempotencyKey },
        })) as { response?: string; rejected?: unknown[] };
        const statusCode = smtpCode(info.response);
        if (Array.isArray(info.rejected) && info.rejected.length > 0) {
          return { ok: false, statusCode, error: `rejected recipients: ${info.rejected.map(String).join(", ")}` };
        }
        return { ok: true, statusCode, error: null };
      } catch (error) {
        const responseCode = (error as { responseCode?: number }).responseCode;
        return { ok: false, statusCode: responseCode ?? null, error: describe(error) };
      }
    },
    close() {
      for (const transport of transports.values()) transport.close();
    },
  };
}

function smtpCode(response: string | undefined): number | null {
  const code = Number(response?.slice(0, 3));
  return Number.isInteger(code) && code > 0 ? code : null;
}

export interface WebhookRequest {
  url: string;
  format: WebhookFormat;
  secret: string | null;
  attempt: number;
}

/** POSTs the notice; 2xx is success, except a chat bot's `errcode`/`code` other than 0 in a 200 reply. */
export async function sendWebhook(request: WebhookRequest, content: AlertNoticeContent, timeoutMs: number, nowMs: number): Promise<SendResult> {
  const body = JSON.stringify(renderWebhookBody(request.format, content));
  const timestamp = Math.floor(nowMs / 1_000);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": "Bandkeeper-Alerts/1",
    [TIMESTAMP_HEADER]: String(timestamp),
    [IDEMPOTENCY_HEADER]: content.idempotencyKey,
    "X-Bandkeeper-Attempt": String(request.attempt),
  };
  if (request.secret !== null) headers[SIGNATURE_HEADER] = signWebhook(request.secret, timestamp, body);
  try {
    const response = await fetch(request.url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    const text = (await response.text()).slice(0, 500);
    if (response.status < 200 || response.status > 299) return { ok: false, statusCode: response.status, error: `HTTP ${response.status}${text ? `: ${text}` : ""}` };
    const refusal = chatBotRefusal(request.format, text);
    return refusal === null ? { ok: true, statusCode: response.status, error: null } : { ok: false, statusCode: response.status, error: refusal };
  } catch (error) {
    return { ok: false, statusCode: null, error: describe(error) };
  }
}

/** WeCom answers `{"errcode":0}` and Feishu `{"code":0}` on success, and 200 with another code on failure. */
function chatBotRefusal(format: WebhookFormat, text: string): string | null {
  if (format !== "wecom" && format !== "feishu") return null;
  try {
    const reply = JSON.parse(text) as { errcode?: number; code?: number; errmsg?: string; msg?: string };
    const code = format === "wecom" ? reply.errcode : reply.code;
    if (code === undefined || code === 0) return null;
    return `${format} refused the message: ${code} ${reply.errmsg ?? reply.msg ?? ""}`.trim();
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError") return "timed out waiting for the receiver";
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? cause.message : "";
  return detail && !error.message.includes(detail) ? `${error.message}: ${detail}` : error.message;
}
