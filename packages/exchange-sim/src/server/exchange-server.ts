// One HTTP server for everything: REST under /api/v3, admin under /admin, and WebSocket upgrades routed to the
// market streams (/ws, /ws/<anything>, /stream) or the WebSocket API (/ws-api/v3).
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import type { Venue } from "../exchange/venue";
import { handleAdmin } from "./admin";
import { binanceConnectionSettings, type ConnectionSettings } from "./connections";
import { ApiKeyRegistry, LatencyTimers, UserEventGate, type ServerContext } from "./context";
import { FaultInjector, type FaultPatch } from "./faults";
import { MarketHistory } from "./market-history";
import { RateLimiter, type RateLimitSettings } from "./rate-limits";
import { handleRest, send } from "./rest";
import { MarketStreamServer } from "./streams";
import { WebSocketApiServer } from "./ws-api";

export interface ExchangeServerOptions {
  venue: Venue;
  faults?: FaultInjector | FaultPatch;
  rateLimits?: Partial<RateLimitSettings>;
  connections?: Partial<ConnectionSettings>;
}

export class ExchangeServer {
  readonly context: ServerContext;
  readonly streams: MarketStreamServer;
  readonly wsApi: WebSocketApiServer;
  private readonly http: Server;
  private readonly sockets = new Set<Socket>();
  private dropTimer: NodeJS.Timeout | undefined;
  private dropEveryMs = 0;
  private readonly stopWatchingFaults: () => void;
  private readonly fillWatchers: (() => void)[] = [];

  constructor(options: ExchangeServerOptions) {
    const faults = options.faults instanceof FaultInjector ? options.faults : new FaultInjector(options.faults ?? {});
    const venue = options.venue;
    this.context = {
      venue,
      latency: new LatencyTimers(),
      limiter: new RateLimiter(options.rateLimits),
      faults,
      keys: new ApiKeyRegistry(venue),
      userEvents: new UserEventGate(),
      history: new MarketHistory(venue, () => venue.clock.now()),
      now: () => venue.clock.now() + faults.settings.clockSkewMs,
    };
    this.context.keys.onNewAccount((accountId) => this.watchFills(accountId));
    const connectionSettings = { ...binanceConnectionSettings, ...options.connections };
    this.streams = new MarketStreamServer(this.context, connectionSettings);
    this.wsApi = new WebSocketApiServer(this.context, connectionSettings);
    this.http = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      if (path.startsWith("/admin/")) {
        void handleAdmin(
          this.context,
          {
            dropConnections: (graceful) => this.dropConnections(graceful),
            connectionCounts: () => ({ streams: this.streams.connectionCount, wsApi: this.wsApi.connectionCount }),
          },
          req,
          res,
        );
        return;
      }
      if (path.startsWith("/api/")) {
        void handleRest(this.context, req, res);
        return;
      }
      send(res, 404, { "Content-Type": "application/json;charset=UTF-8" }, { code: -1020, msg: "This operation is not supported." });
    });
    this.http.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on("close", () => this.sockets.delete(socket));
    });
    this.http.on("upgrade", (req, socket, head) => {
      // A client that resets mid-handshake must not take the server down.
      socket.on("error", () => socket.destroy());
      const url = URL.parse(req.url ?? "/", "http://localhost");
      if (!url) {
        socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      const path = url.pathname;
      if (WebSocketApiServer.handles(path)) this.wsApi.upgrade(req, socket, head);
      else if (MarketStreamServer.handles(path)) this.streams.upgrade(req, socket, head);
      else socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    });
    this.stopWatchingFaults = faults.onChange(() => this.scheduleDrops());
    this.scheduleDrops();
  }

  get faults(): FaultInjector {
    return this.context.faults;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(port, host, () => {
        this.http.off("error", reject);
        const address = this.http.address();
        resolve(typeof address === "object" && address !== null ? address.port : port);
      });
    });
  }

  dropConnections(graceful: boolean): void {
    this.streams.dropAll(graceful);
    this.wsApi.dropAll(graceful);
  }

  /** serverShutdown to every WebSocket client, then every socket and timer closed. */
  async close(): Promise<void> {
    this.stopWatchingFaults();
    for (const unsubscribe of this.fillWatchers.splice(0)) unsubscribe();
    this.context.latency.close();
    this.context.history.close();
    if (this.dropTimer) clearInterval(this.dropTimer);
    await Promise.all([this.streams.close(), this.wsApi.close()]);
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private watchFills(accountId: string): void {
    const unsubscribe = this.context.venue.onUserEvent(accountId, (event) => {
      // First fill of an order: cumulative filled quantity equals this fill's quantity.
      if (event.e === "executionReport" && event.x === "TRADE" && event.z === event.l) {
        this.context.limiter.orderFilled(accountId, this.context.now());
      }
    });
    this.fillWatchers.push(unsubscribe);
  }

  private scheduleDrops(): void {
    const every = this.context.faults.settings.dropConnectionsEveryMs;
    if (every === this.dropEveryMs) return;
    this.dropEveryMs = every;
    if (this.dropTimer) clearInterval(this.dropTimer);
    this.dropTimer = undefined;
    if (every > 0) {
      this.dropTimer = setInterval(() => this.dropConnections(this.context.faults.settings.gracefulDrops), every);
    }
  }
}
