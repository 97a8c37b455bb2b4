import WebSocket from "ws";

export interface ReconnectPolicy {
  /** First retry delay; doubles per failed attempt up to maxDelayMs, with jitter. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = { initialDelayMs: 250, maxDelayMs: 30_000 };

/** Binance cuts every connection at 24 h; rotate a little before. */
export const DEFAULT_MAX_CONNECTION_LIFETIME_MS = 23 * 60 * 60 * 1000 + 30 * 60 * 1000;

/**
 * Delay before reconnect attempt `attempt` (0-based): the ceiling doubles per attempt up to maxDelayMs; half of
 * it is fixed and half random, which spreads a crowd of reconnecting clients without ever retrying instantly.
 */
export function reconnectDelay(policy: ReconnectPolicy, attempt: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt);
  return ceiling / 2 + random * (ceiling / 2);
}

export type SocketStatus = "idle" | "connecting" | "open" | "reconnecting" | "stopped";

export interface SocketStatusChange {
  status: SocketStatus;
  /** Why the last connection ended or was replaced. */
  reason?: string;
  /** How many connections have been opened so far. */
  connections: number;
}

/**
 * Whether the current connection is known to carry frames: healthy from its first frame (message, ping or pong)
 * until it closes or goes silent. A replacement for a healthy connection (rotation, serverShutdown) inherits its
 * health, since the old one kept serving until the new one took over.
 */
export interface SocketHealth {
  healthy: boolean;
  /** Why the connection is not healthy: `closed (1006)`, `no frame for 30 s`, `connecting`. */
  reason?: string;
}

export interface ManagedSocketOptions {
  url: () => string;
  reconnect?: ReconnectPolicy;
  /** Returns [0, 1); injected so tests can pin the jitter. */
  random?: () => number;
  maxConnectionLifetimeMs?: number;
  /** No frame at all (message, ping or pong) for this long means the connection is dead: drop it and reconnect. */
  staleAfterMs?: number;
  /**
   * After this long without a frame the client pings (and once on each new connection), so a quiet but healthy
   * connection still proves itself with the pong; unset = the client never pings on its own.
   */
  heartbeatMs?: number;
  /**
   * A heartbeat ping unanswered (no frame at all) for this long makes the connection unhealthy at once, while it
   * is kept open until `staleAfterMs` in case the answer is only late; unset = only the silence cut counts.
   */
  pongTimeoutMs?: number;
  /**
   * Runs on each new connection before it replaces the current one (resubscribe, authenticate). Messages on the
   * new connection are delivered meanwhile. A rejection drops the new connection and retries with backoff.
   */
  prepare?: (ws: WebSocket) => Promise<void>;
  onMessage: (text: string, ws: WebSocket) => void;
  /** The connection has just become the current one. */
  onPromoted?: (ws: WebSocket) => void;
  /** Any connection this socket owned has closed (current, draining or still preparing). */
  onConnectionClosed?: (ws: WebSocket) => void;
  onStatus?: (change: SocketStatusChange) => void;
  /** The current connection's health changed (see SocketHealth). */
  onHealth?: (health: SocketHealth) => void;
}

/**
 * One logical WebSocket connection that survives failures: reconnects with exponential backoff and jitter,
 * replaces itself before the 24 h cut or on request (serverShutdown) by opening the new connection first and
 * only then closing the old one, and drops connections that go silent.
 */
export class ManagedSocket {
  private currentWs: WebSocket | undefined;
  private pendingWs: WebSocket | undefined;
  private readonly draining = new Set<WebSocket>();
  private statusValue: SocketStatus = "idle";
  private attempts = 0;
  private connections = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private rotationTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  /** Local ms of the current connection's last frame (or of its opening). */
  private lastFrameAt = 0;
  /** A heartbeat ping is out since the last frame. */
  private pinged = false;
  /** Local ms the outstanding heartbeat ping went out. */
  private pingedAt = 0;
  private healthValue: SocketHealth = { healthy: false, reason: "connecting" };
  /** Why a connection we cut was cut, for its close. */
  private readonly cutReasons = new WeakMap<WebSocket, string>();
  private lastReason: string | undefined;
  private readonly policy: ReconnectPolicy;
  private readonly random: () => number;

  constructor(private readonly options: ManagedSocketOptions) {
    this.policy = options.reconnect ?? DEFAULT_RECONNECT_POLICY;
    this.random = options.random ?? Math.random;
  }

  get status(): SocketStatus {
    return this.statusValue;
  }

  get current(): WebSocket | undefined {
    return this.currentWs;
  }

  get health(): SocketHealth {
    return this.healthValue;
  }

  /** Local ms since the current connection's last frame; undefined without a current connection. */
  silentForMs(now = Date.now()): number | undefined {
    return this.currentWs === undefined ? undefined : now - this.lastFrameAt;
  }

  start(): void {
    if (this.statusValue === "stopped") throw new Error("a stopped connection cannot be restarted; create a new one");
    if (this.statusValue !== "idle") return;
    this.setStatus("connecting");
    this.connect();
  }

  /** Open a replacement connection; the current one keeps serving until the replacement is ready. */
  rotate(reason: string): void {
    if (this.statusValue === "stopped" || this.statusValue === "idle" || this.pendingWs !== undefined) return;
    if (this.reconnectTimer !== undefined) return;
    this.lastReason = reason;
    this.connect();
  }

  async stop(): Promise<void> {
    if (this.statusValue === "stopped") return;
    this.statusValue = "stopped";
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.rotationTimer);
    clearTimeout(this.watchdog);
    this.reconnectTimer = undefined;
    const sockets = [this.currentWs, this.pendingWs, ...this.draining].filter((s): s is WebSocket => s !== undefined);
    this.currentWs = undefined;
    this.pendingWs = undefined;
    await Promise.all(sockets.map((ws) => closeAndWait(ws)));
    this.options.onStatus?.({ status: "stopped", connections: this.connections });
  }

  private connect(): void {
    const ws = new WebSocket(this.options.url());
    this.pendingWs = ws;
    ws.on("error", () => {
      // 'close' follows every 'error'; handled there.
    });
    ws.on("ping", () => {
      if (ws === this.currentWs) this.noteFrame();
    });
    ws.on("pong", () => {
      if (ws === this.currentWs) this.noteFrame();
    });
    ws.on("message", (data: WebSocket.RawData) => {
      if (ws === this.currentWs) this.noteFrame();
      this.options.onMessage(rawToText(data), ws);
    });
    ws.on("close", (code: number) => this.handleClose(ws, code));
    ws.on("open", () => {
      const prepare = this.options.prepare;
      // Without a prepare step the connection takes over at once, before its first message can arrive.
      if (prepare === undefined) this.promote(ws);
      else void this.prepareAndPromote(ws, prepare);
    });
  }

  private async prepareAndPromote(ws: WebSocket, prepare: (ws: WebSocket) => Promise<void>): Promise<void> {
    try {
      await prepare(ws);
    } catch {
      ws.terminate();
      return;
    }
    this.promote(ws);
  }

  private promote(ws: WebSocket): void {
    if (this.statusValue === "stopped" || ws.readyState !== WebSocket.OPEN || ws !== this.pendingWs) {
      ws.terminate();
      return;
    }
    const previous = this.currentWs;
    this.pendingWs = undefined;
    this.currentWs = ws;
    this.attempts = 0;
    this.connections += 1;
    this.lastFrameAt = Date.now();
    this.pinged = false;
    // A reconnect is proven by its first frame: the pong to this ping at the latest. A replacement for a healthy
    // connection stays healthy (the old one served until now).
    if (this.options.heartbeatMs !== undefined) this.ping(ws);
    this.scheduleWatchdog();
    clearTimeout(this.rotationTimer);
    this.rotationTimer = setTimeout(
      () => this.rotate("connection lifetime"),
      this.options.maxConnectionLifetimeMs ?? DEFAULT_MAX_CONNECTION_LIFETIME_MS,
    );
    if (previous !== undefined) {
      this.draining.add(previous);
      previous.close(1000, "rotated");
    }
    this.options.onPromoted?.(ws);
    this.setStatus("open", this.lastReason);
    this.lastReason = undefined;
  }

  private handleClose(ws: WebSocket, code: number): void {
    this.draining.delete(ws);
    this.options.onConnectionClosed?.(ws);
    if (this.statusValue === "stopped") return;
    if (ws === this.pendingWs) {
      this.pendingWs = undefined;
      this.scheduleReconnect(`connect failed (${code})`);
    } else if (ws === this.currentWs) {
      this.currentWs = undefined;
      clearTimeout(this.watchdog);
      clearTimeout(this.rotationTimer);
      const reason = this.cutReasons.get(ws) ?? `closed (${code})`;
      this.setHealth({ healthy: false, reason });
      this.setStatus("reconnecting", reason);
      this.scheduleReconnect(reason);
    }
  }

  private scheduleReconnect(reason: string): void {
    if (this.reconnectTimer !== undefined || this.pendingWs !== undefined) return;
    const delay = reconnectDelay(this.policy, this.attempts, this.random());
    this.attempts += 1;
    this.lastReason = reason;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.statusValue !== "stopped") this.connect();
    }, delay);
  }

  /**
   * Cheap on the hot path: one clock read; the watchdog looks at the time when it fires. Only the answer to a ping
   * (rare on a busy connection) re-arms it, so the next heartbeat counts from this frame, not from the ping.
   */
  private noteFrame(): void {
    this.lastFrameAt = Date.now();
    if (!this.healthValue.healthy) this.setHealth({ healthy: true });
    if (this.pinged) {
      this.pinged = false;
      this.scheduleWatchdog();
    }
  }

  /** Wakes at the next heartbeat or silence deadline of the current connection, whichever is first. */
  private scheduleWatchdog(): void {
    const { staleAfterMs, heartbeatMs, pongTimeoutMs } = this.options;
    if (staleAfterMs === undefined && heartbeatMs === undefined) return;
    clearTimeout(this.watchdog);
    const deadlines: number[] = [];
    if (staleAfterMs !== undefined) deadlines.push(this.lastFrameAt + staleAfterMs);
    if (heartbeatMs !== undefined && !this.pinged) deadlines.push(this.lastFrameAt + heartbeatMs);
    if (pongTimeoutMs !== undefined && this.pinged && this.healthValue.healthy) deadlines.push(this.pingedAt + pongTimeoutMs);
    this.watchdog = setTimeout(() => this.watch(), Math.max(0, Math.min(...deadlines) - Date.now()));
  }

  private watch(): void {
    const ws = this.currentWs;
    if (ws === undefined || this.statusValue === "stopped") return;
    const { staleAfterMs, heartbeatMs } = this.options;
    const silentFor = Date.now() - this.lastFrameAt;
    if (staleAfterMs !== undefined && silentFor >= staleAfterMs) {
      const reason = `no frame for ${formatSeconds(silentFor)}`;
      this.cutReasons.set(ws, reason);
      this.setHealth({ healthy: false, reason });
      ws.terminate();
      return;
    }
    if (heartbeatMs !== undefined && !this.pinged && silentFor >= heartbeatMs) this.ping(ws);
    const { pongTimeoutMs } = this.options;
    const unanswered = Date.now() - this.pingedAt;
    if (pongTimeoutMs !== undefined && this.pinged && this.healthValue.healthy && unanswered >= pongTimeoutMs) {
      this.setHealth({ healthy: false, reason: `no answer to a ping for ${formatSeconds(unanswered)}` });
    }
    this.scheduleWatchdog();
  }

  private ping(ws: WebSocket): void {
    this.pinged = true;
    this.pingedAt = Date.now();
    try {
      ws.ping();
    } catch {
      // Not open any more: its close is on the way.
    }
  }

  /** Reported when the connection turns healthy or unhealthy; while it stays down, the first reason stands. */
  private setHealth(health: SocketHealth): void {
    if (health.healthy === this.healthValue.healthy) return;
    this.healthValue = health;
    this.options.onHealth?.(health);
  }

  private setStatus(status: SocketStatus, reason?: string): void {
    this.statusValue = status;
    this.options.onStatus?.({ status, ...(reason === undefined ? {} : { reason }), connections: this.connections });
  }
}

function formatSeconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function rawToText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}

function closeAndWait(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => ws.terminate(), 1000);
    ws.once("close", () => {
      clearTimeout(force);
      resolve();
    });
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(1000, "client stopping");
  });
}
