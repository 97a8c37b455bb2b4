// Connection housekeeping shared by market streams and the WS API: server pings and dropping clients that do not
// pong, the maximum lifetime, serverShutdown, and forced drops.
import type { WebSocket } from "ws";

export interface ConnectionSettings {
  /** Server ping interval (Binance: 20 s). */
  pingIntervalMs: number;
  /** A client that has not answered a ping for this long is dropped (Binance: 1 min). */
  pongTimeoutMs: number;
  /** Connections are closed after this long (Binance: 24 h). */
  maxLifetimeMs: number;
  /** Market-stream control messages a connection may send per second before it is disconnected (Binance: 5). */
  maxIncomingMessagesPerSecond: number;
}

export const binanceConnectionSettings: ConnectionSettings = {
  pingIntervalMs: 20_000,
  pongTimeoutMs: 60_000,
  maxLifetimeMs: 24 * 3_600_000,
  maxIncomingMessagesPerSecond: 5,
};

interface Tracked {
  socket: WebSocket;
  lastPongAt: number;
  lifetime: NodeJS.Timeout;
  shutdownMessage: () => string;
}

/** Every open socket of one kind (streams or WS API), with its timers. */
export class ConnectionTracker {
  private readonly sockets = new Map<WebSocket, Tracked>();
  private readonly pinger: NodeJS.Timeout;

  /** `silenced`: while true, no pings go out (a blackholed path; see the blackholeStreams fault). */
  constructor(
    private readonly settings: ConnectionSettings,
    private readonly silenced: () => boolean = () => false,
  ) {
    this.pinger = setInterval(() => this.pingAll(), settings.pingIntervalMs);
    this.pinger.unref();
  }

  get size(): number {
    return this.sockets.size;
  }

  /** `shutdownMessage` renders the serverShutdown event in this connection's framing. */
  add(socket: WebSocket, shutdownMessage: () => string, onGone: () => void): void {
    const lifetime = setTimeout(() => socket.close(1000, "Connection lifetime reached"), this.settings.maxLifetimeMs);
    lifetime.unref();
    this.sockets.set(socket, { socket, lastPongAt: Date.now(), lifetime, shutdownMessage });
    // Protocol errors (bad frames, invalid UTF-8) end that one connection; ws has already sent the close code.
    socket.on("error", () => socket.terminate());
    socket.on("pong", () => {
      const tracked = this.sockets.get(socket);
      if (tracked) tracked.lastPongAt = Date.now();
    });
    socket.on("close", () => {
      clearTimeout(lifetime);
      this.sockets.delete(socket);
      onGone();
    });
  }

  /** Drops every connection: abruptly, or after serverShutdown as on a planned restart. */
  dropAll(graceful: boolean): void {
    for (const tracked of [...this.sockets.values()]) {
      if (graceful) {
        tracked.socket.send(tracked.shutdownMessage(), () => tracked.socket.close(1001, "Server shutdown"));
      } else {
        tracked.socket.terminate();
      }
    }
  }

  /** serverShutdown to everyone, then close; resolves when every socket is gone. */
  async shutdown(): Promise<void> {
    clearInterval(this.pinger);
    const closing = [...this.sockets.values()].map(
      (tracked) =>
        new Promise<void>((resolve) => {
          tracked.socket.once("close", () => resolve());
          tracked.socket.send(tracked.shutdownMessage(), () => tracked.socket.close(1001, "Server shutdown"));
          // A client that never completes the close handshake is cut off.
          setTimeout(() => tracked.socket.terminate(), 1000).unref();
        }),
    );
    await Promise.all(closing);
  }

  private pingAll(): void {
    if (this.silenced()) return;
    const now = Date.now();
    for (const tracked of this.sockets.values()) {
      if (now - tracked.lastPongAt > this.settings.pongTimeoutMs) {
        tracked.socket.terminate();
        continue;
      }
      tracked.socket.ping(String(now));
    }
  }
}
