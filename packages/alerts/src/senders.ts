// The two ways a notice leaves: SMTP through nodemailer, and an HTTP POST. Each send ends in a SendResult, never
// an exception, and within its timeout, so a hanging or refusing receiver costs one slot for a bounded time.
import nodemailer, { type Transporter } from "nodemailer";
import { renderEmail, renderWebhookBody, type AlertNoticeContent, type WebhookFormat } from "@bandkeeper/core/alerts";
import { type OutboundFetch, OutboundRefusedError } from "@bandkeeper/outbound";
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

/**
 * POSTs the notice through the outbound policy's fetch; 2xx is success, except a chat bot's `errcode`/`code` other
 * than 0 in a 200 reply. What is recorded is the status and a fixed reason, never the receiver's body: the URL
 * is a user's, and the delivery history is shown to every member.
 */
export async function sendWebhook(
  request: WebhookRequest,
  content: AlertNoticeContent,
  timeoutMs: number,
  nowMs: number,
  outboundFetch: OutboundFetch,
): Promise<SendResult> {
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
    const response = await outboundFetch(request.url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const status = response.status;
    if (status >= 300 && status < 400) return { ok: false, statusCode: status, error: `the receiver answered HTTP ${status}, a redirect, which is not followed` };
    if (status < 200 || status > 299) return { ok: false, statusCode: status, error: `the receiver answered HTTP ${status}` };
    const refused = chatBotRefused(request.format, await response.text());
    return refused ? { ok: false, statusCode: status, error: `${request.format} refused the message (its reply had an error code)` } : { ok: true, statusCode: status, error: null };
  } catch (error) {
    if (error instanceof OutboundRefusedError) return { ok: false, statusCode: null, error: `not sent: ${error.refusal.message}`, permanent: true };
    return { ok: false, statusCode: null, error: connectionFailure(error) };
  }
}

/** WeCom answers `{"errcode":0}` and Feishu `{"code":0}` on success, and 200 with another code on failure. */
function chatBotRefused(format: WebhookFormat, text: string): boolean {
  if (format !== "wecom" && format !== "feishu") return false;
  try {
    const reply = JSON.parse(text) as { errcode?: unknown; code?: unknown };
    const code = format === "wecom" ? reply.errcode : reply.code;
    return code !== undefined && code !== 0;
  } catch {
    return false;
  }
}

// Fixed reasons only: the system's own error text would tell a closed port from a filtered one, or name the address.
function connectionFailure(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "timed out waiting for the receiver";
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the receiver's host name does not resolve";
  return "could not reach the receiver";
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError") return "timed out waiting for the receiver";
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? cause.message : "";
  return detail && !error.message.includes(detail) ? `${error.message}: ${detail}` : error.message;
}
