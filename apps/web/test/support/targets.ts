// Servers a test points users' URLs at, on 127.0.0.1: an HTTP server that counts what reaches it and answers as
// told, and a TCP port that accepts and hangs up (open, but not HTTP). Each is closed by the suite.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server } from "node:net";

export interface HttpTarget {
  url: string;
  port: number;
  requests: { method: string; path: string }[];
  answer: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

export async function startHttpTarget(answer: HttpTarget["answer"] = (_req, res) => res.end("{}")): Promise<HttpTarget> {
  const requests: HttpTarget["requests"] = [];
  const target = { answer } as HttpTarget;
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "" });
    target.answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(target, {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A port that accepts a connection and closes it at once, never answering. */
export async function startHangUpPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createTcpServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
