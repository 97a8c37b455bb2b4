// Real receivers on loopback for tests of alert delivery (this package's and the engine's): an HTTP server whose
// behaviour the test switches, and an SMTP server (smtp-server) that keeps what it was sent.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export type ReceiverMode = "ok" | "error" | "hang";

export interface ReceiverReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  mode: ReceiverMode;
  /** When set, every answer is this one (a redirect, a chatty error page) whatever the mode. */
  reply?: ReceiverReply | undefined;
  close(): Promise<void>;
}

/** An HTTP receiver: "ok" answers 200, "error" 500, "hang" never answers. `port` reuses a port (a receiver that comes back). */
export async function startWebhookReceiver(port = 0): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const receiver: { mode: ReceiverMode; reply?: ReceiverReply | undefined } = { mode: "ok" };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      requests.push({ headers: req.headers, body, at: Date.now() });
      if (receiver.reply) {
        res.writeHead(receiver.reply.status, receiver.reply.headers ?? {}).end(receiver.reply.body ?? "");
        return;
      }
      if (receiver.mode === "hang") return;
      res.writeHead(receiver.mode === "ok" ? 200 : 500, { "Content-Type": "text/plain" }).end(receiver.mode === "ok" ? "ok" : "boom");
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${bound}/hook`,
    port: bound,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface MailReceiver {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** An SMTP server on loopback; with `login`, it refuses mail from clients that do not sign in with it. */
export async function startMailReceiver(options: { login?: { user: string; password: string } } = {}): Promise<MailReceiver> {
  const mails: ReceivedMail[] = [];
  const { login } = options;
  const server = new SMTPServer({
    authOptional: login === undefined,
    // No certificate here: sign-in over the plain loopback connection.
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (login && auth.username === login.user && auth.password === login.password) callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      let raw = "";
      stream.setEncoding("utf8").on("data", (chunk: string) => (raw += chunk));
      stream.on("end", () => {
        const from = session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address;
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The readable text of a quoted-printable MIME body. */
export function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
