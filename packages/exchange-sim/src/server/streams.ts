// Market streams: /ws/<stream>[/<stream>…] (raw events) and /stream?streams=a/b (combined, wrapped as
// {"stream","data"}), SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY, fed by the
// exchange core's market events, and on a timer by the trade history (ticker, miniTicker, kline:
// statistics-streams.ts).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { MarketEvent, Unsubscribe } from "../exchange/venue";
import { ConnectionTracker, type ConnectionSettings } from "./connections";
import type { ServerContext } from "./context";
import { parseStatisticStream, StatisticsPublisher, statisticsEveryMs, type Statistic } from "./statistics-streams";

const streamNamePattern = /^([a-z0-9]+)@(trade|aggTrade|bookTicker|depth(?:5|10|20)?(?:@100ms|@1000ms)?)$/;
const maxStreamsPerConnection = 1024;
const textFrame = { binary: false } as const;
const controlMethods = "`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`";

interface ParsedStream {
  symbol: string;
  /** The core's event kind this stream is fed from, or the timer of the statistics streams. */
  source: MarketEvent["stream"] | "statistics";
  /** Top-N levels for partial book streams. */
  partialLevels?: number;
  statistic?: Statistic;
}

export function parseStreamName(name: string): ParsedStream | undefined {
  const match = streamNamePattern.exec(name);
  if (!match) {
    const statistic = parseStatisticStream(name);
    return statistic && { symbol: statistic.symbol, source: "statistics", statistic: statistic.statistic };
  }
  const symbol = (match[1] ?? "").toUpperCase();
  const kind = match[2] ?? "";
  if (kind === "trade" || kind === "aggTrade" || kind === "bookTicker") return { symbol, source: kind };
  const fast = kind.endsWith("@100ms");
  const levels = /^depth(5|10|20)/.exec(kind)?.[1];
  return {
    symbol,
    source: fast ? "depth@100ms" : "depth",
    ...(levels !== undefined ? { partialLevels: Number(levels) } : {}),
  };
}

class StreamConnection {
  readonly streams = new Set<string>();
  messageSecond = 0;
  messagesThisSecond = 0;
  /** Events held back by injected stream latency, in send order. */
  readonly outbox: { frame: Buffer; at: number }[] = [];
  constructor(
    readonly socket: WebSocket,
    public combined: boolean,
  ) {}
}

interface StreamSubscribers {
  parsed: ParsedStream;
  connections: Set<StreamConnection>;
}

/** One listener on the core per symbol, fanned out to the connections subscribed to that symbol's streams. */
class MarketFanout {
  private readonly bySymbol = new Map<string, { unsubscribe: Unsubscribe; subscribers: Map<string, StreamSubscribers> }>();

  private readonly statistics: StatisticsPublisher;

  constructor(
    private readonly context: ServerContext,
    private readonly deliver: (connection: StreamConnection, frame: (combined: boolean) => Buffer) => void,
  ) {
    this.statistics = new StatisticsPublisher(context.history, () => context.venue.clock.now());
  }

  add(connection: StreamConnection, name: string): void {
    const parsed = parseStreamName(name);
    if (!parsed) return;
    let entry = this.bySymbol.get(parsed.symbol);
    if (!entry) {
      const subscribers = new Map<string, StreamSubscribers>();
      let unsubscribe: Unsubscribe = () => undefined;
      try {
        unsubscribe = this.context.venue.onMarketEvent(parsed.symbol, (event) => this.publish(parsed.symbol, event));
      } catch {
        // An unknown symbol is accepted and simply never produces data, as on Binance.
      }
      entry = { unsubscribe, subscribers };
      this.bySymbol.set(parsed.symbol, entry);
    }
    let stream = entry.subscribers.get(name);
    if (!stream) {
      stream = { parsed, connections: new Set() };
      entry.subscribers.set(name, stream);
    }
    stream.connections.add(connection);
  }

  remove(connection: StreamConnection, name: string): void {
    const parsed = parseStreamName(name);
    if (!parsed) return;
    const entry = this.bySymbol.get(parsed.symbol);
    const stream = entry?.subscribers.get(name);
    if (!entry || !stream) return;
    stream.connections.delete(connection);
    if (stream.connections.size === 0) {
      entry.subscribers.delete(name);
      this.statistics.forget(name);
    }
    if (entry.subscribers.size === 0) {
      entry.unsubscribe();
      this.bySymbol.delete(parsed.symbol);
    }
  }

  close(): void {
    for (const entry of this.bySymbol.values()) entry.unsubscribe();
    this.bySymbol.clear();
  }

  private publish(symbol: string, event: MarketEvent): void {
    const entry = this.bySymbol.get(symbol);
    if (!entry) return;
    // Decided once per event, and only when someone would receive it, so the fault is not spent on nobody.
    let withheld: boolean | undefined;
    for (const [name, { parsed, connections }] of entry.subscribers) {
      if (parsed.source !== event.stream) continue;
      const diffDepth = parsed.partialLevels === undefined && (event.stream === "depth" || event.stream === "depth@100ms");
      if (diffDepth && (withheld ??= this.context.faults.takeDepthUpdateDrop())) continue;
      const data =
        parsed.partialLevels === undefined ? event.data : this.context.venue.depth(symbol, String(parsed.partialLevels));
      this.fanOut(name, data, connections);
    }
  }

  /** One round of the timer-driven statistics streams (ticker, miniTicker, kline). */
  publishStatistics(): void {
    const slowDue = this.statistics.nextRound();
    for (const [symbol, entry] of this.bySymbol) {
      for (const [name, { parsed, connections }] of entry.subscribers) {
        if (!parsed.statistic) continue;
        for (const data of this.statistics.payloads(name, symbol, parsed.statistic, slowDue)) this.fanOut(name, data, connections);
      }
    }
  }

  private fanOut(name: string, data: unknown, connections: Set<StreamConnection>): void {
    // Serialised and UTF-8 encoded once per framing, however many connections receive it.
    let raw: string | undefined;
    let rawFrame: Buffer | undefined;
    let combinedFrame: Buffer | undefined;
    const frame = (asCombined: boolean): Buffer =>
      asCombined
        ? (combinedFrame ??= Buffer.from(`{"stream":${JSON.stringify(name)},"data":${(raw ??= JSON.stringify(data))}}`))
        : (rawFrame ??= Buffer.from((raw ??= JSON.stringify(data))));
    for (const connection of connections) this.deliver(connection, frame);
  }
}

export class MarketStreamServer {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly tracker: ConnectionTracker;
  private readonly fanout: MarketFanout;
  private readonly connections = new Set<StreamConnection>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly offFaults: () => void;
  private readonly statisticsTimer: NodeJS.Timeout;

  constructor(
    private readonly context: ServerContext,
    private readonly settings: ConnectionSettings,
  ) {
    this.tracker = new ConnectionTracker(settings, () => this.blackholed);
    this.fanout = new MarketFanout(context, (connection, frame) => this.send(connection, frame(connection.combined)));
    this.statisticsTimer = setInterval(() => this.fanout.publishStatistics(), statisticsEveryMs);
    this.offFaults = context.faults.onChange(() => {
      for (const connection of this.connections) this.silence(connection);
    });
  }

  private get blackholed(): boolean {
    return this.context.faults.settings.blackholeStreams;
  }

  /** A blackholed connection reads nothing (no control messages, no pongs); it resumes when the fault is off. */
  private silence(connection: StreamConnection): void {
    if (this.blackholed) connection.socket.pause();
    else connection.socket.resume();
  }

  get connectionCount(): number {
    return this.tracker.size;
  }

  /** True if this server takes the upgrade for this path. */
  static handles(path: string): boolean {
    return path === "/ws" || path.startsWith("/ws/") || path === "/stream";
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    let combined: boolean;
    let initial: string[];
    if (url.pathname === "/stream") {
      combined = true;
      initial = (url.searchParams.get("streams") ?? "").split("/").filter((name) => name !== "");
    } else {
      combined = false;
      // Any path under /ws is a connection: what is not a stream name (ccxt opens /ws/0 and subscribes later)
      // subscribes to nothing.
      initial = url.pathname
        .slice("/ws".length)
        .split("/")
        .filter((name) => name !== "" && parseStreamName(name) !== undefined);
    }
    if (initial.length > maxStreamsPerConnection || initial.some((name) => !parseStreamName(name))) {
      socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, combined, initial));
  }

  dropAll(graceful: boolean): void {
    this.tracker.dropAll(graceful);
  }

  async close(): Promise<void> {
    this.offFaults();
    clearInterval(this.statisticsTimer);
    await this.tracker.shutdown();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.fanout.close();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket, combined: boolean, initial: string[]): void {
    const connection = new StreamConnection(socket, combined);
    this.connections.add(connection);
    for (const name of initial) this.subscribe(connection, name);
    this.tracker.add(
      socket,
      () => {
        const event = { e: "serverShutdown", E: this.context.now() };
        return JSON.stringify(connection.combined ? { stream: "!serverShutdown", data: event } : event);
      },
      () => {
        for (const name of connection.streams) this.fanout.remove(connection, name);
        connection.streams.clear();
        connection.outbox.length = 0;
        this.connections.delete(connection);
      },
    );
    socket.on("message", (data, isBinary) => this.onMessage(connection, data, isBinary));
    this.silence(connection);
  }

  private subscribe(connection: StreamConnection, name: string): void {
    if (connection.streams.has(name)) return;
    connection.streams.add(name);
    this.fanout.add(connection, name);
  }

  private unsubscribe(connection: StreamConnection, name: string): void {
    if (!connection.streams.delete(name)) return;
    this.fanout.remove(connection, name);
  }

  private onMessage(connection: StreamConnection, data: RawData, isBinary: boolean): void {
    const second = Math.floor(Date.now() / 1000);
    if (second !== connection.messageSecond) {
      connection.messageSecond = second;
      connection.messagesThisSecond = 0;
    }
    connection.messagesThisSecond += 1;
    if (connection.messagesThisSecond > this.settings.maxIncomingMessagesPerSecond) {
      connection.socket.close(1008, "Too many messages");
      return;
    }
    const reply = (body: unknown) => connection.socket.send(JSON.stringify(body));
    let request: unknown;
    try {
      request = JSON.parse(isBinary ? "" : rawText(data));
    } catch (error) {
      reply({ error: { code: 3, msg: `Invalid JSON: ${(error as Error).message}` }, id: null });
      return;
    }
    if (typeof request !== "object" || request === null || Array.isArray(request)) {
      reply({ error: { code: 3, msg: "Invalid JSON: expected an object" }, id: null });
      return;
    }
    const { method, params, id } = request as { method?: unknown; params?: unknown; id?: unknown };
    const requestId = id ?? null;
    switch (method) {
      case "SUBSCRIBE":
      case "UNSUBSCRIBE": {
        const names = streamList(params);
        if (!names) {
          reply({ error: { code: 2, msg: "Invalid request: invalid stream name in params" }, id: requestId });
          return;
        }
        if (method === "SUBSCRIBE" && connection.streams.size + names.length > maxStreamsPerConnection) {
          reply({ error: { code: 2, msg: `Invalid request: too many streams (max ${maxStreamsPerConnection})` }, id: requestId });
          return;
        }
        for (const name of names) {
          if (method === "SUBSCRIBE") this.subscribe(connection, name);
          else this.unsubscribe(connection, name);
        }
        reply({ result: null, id: requestId });
        return;
      }
      case "LIST_SUBSCRIPTIONS":
        reply({ result: [...connection.streams], id: requestId });
        return;
      case "SET_PROPERTY": {
        if (!Array.isArray(params) || params[0] !== "combined" || typeof params[1] !== "boolean") {
          reply({ error: { code: 1, msg: "Invalid value type: expected Boolean" }, id: requestId });
          return;
        }
        connection.combined = params[1];
        reply({ result: null, id: requestId });
        return;
      }
      case "GET_PROPERTY":
        if (!Array.isArray(params) || params[0] !== "combined") {
          reply({ error: { code: 2, msg: "Invalid request: unknown property" }, id: requestId });
          return;
        }
        reply({ result: connection.combined, id: requestId });
        return;
      default:
        reply({
          error: {
            code: 2,
            msg: `Invalid request: unknown variant \`${String(method)}\`, expected one of ${controlMethods}`,
          },
          id: requestId,
        });
    }
  }

  /** `frame` is UTF-8 JSON shared by every receiver: sent as a text frame without re-encoding. */
  private send(connection: StreamConnection, frame: Buffer): void {
    if (this.blackholed) return;
    const latency = this.context.faults.settings.latency.streamsMs;
    if (latency <= 0 && connection.outbox.length === 0) {
      connection.socket.send(frame, textFrame);
      return;
    }
    // Delayed events keep their order even when the latency changes while some are in flight.
    const last = connection.outbox[connection.outbox.length - 1];
    connection.outbox.push({ frame, at: Math.max(Date.now() + latency, last?.at ?? 0) });
    if (connection.outbox.length === 1) this.drainLater(connection);
  }

  private drainLater(connection: StreamConnection): void {
    const head = connection.outbox[0];
    if (!head) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const now = Date.now();
      while (connection.outbox[0] && connection.outbox[0].at <= now) {
        const { frame } = connection.outbox.shift() as { frame: Buffer };
        if (connection.socket.readyState === connection.socket.OPEN && !this.blackholed) connection.socket.send(frame, textFrame);
      }
      this.drainLater(connection);
    }, Math.max(0, head.at - Date.now()));
    this.timers.add(timer);
  }
}

function streamList(params: unknown): string[] | undefined {
  if (!Array.isArray(params)) return undefined;
  const names = params.filter((name): name is string => typeof name === "string");
  if (names.length !== params.length || !names.every((name) => parseStreamName(name))) return undefined;
  return names;
}

export function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data).toString("utf8");
}
