import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";

export interface TestConnection {
  ws: WebSocket;
  url: string;
  received: unknown[];
}

/** A tiny local WebSocket server for client tests; records every connection and message. */
export class TestWsServer {
  readonly connections: TestConnection[] = [];
  /** Return false to refuse the next upgrade(s). */
  accept: () => boolean = () => true;
  onMessage: (conn: TestConnection, msg: Record<string, unknown>) => void = () => undefined;
  private constructor(private readonly wss: WebSocketServer) {
    wss.on("connection", (ws, req) => {
      const conn: TestConnection = { ws, url: req.url ?? "", received: [] };
      this.connections.push(conn);
      ws.on("message", (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as Record<string, unknown>;
        conn.received.push(msg);
        this.onMessage(conn, msg);
      });
    });
  }

  static async start(): Promise<TestWsServer> {
    const holder: { server?: TestWsServer } = {};
    const wss = new WebSocketServer({
      port: 0,
      host: "127.0.0.1",
      verifyClient: (_info, done) => done(holder.server?.accept() ?? true, 503),
    });
    await new Promise<void>((r) => wss.once("listening", r));
    holder.server = new TestWsServer(wss);
    return holder.server;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  get open(): TestConnection[] {
    return this.connections.filter((c) => c.ws.readyState === WebSocket.OPEN);
  }

  last(): TestConnection {
    const c = this.connections[this.connections.length - 1];
    if (c === undefined) throw new Error("no connection yet");
    return c;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    await new Promise((r) => this.wss.close(r));
  }
}
