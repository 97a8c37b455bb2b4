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

export interface ManagedSocketOptions {
  url: () => string;
  reconnect?: ReconnectPolicy;
  /** Returns [0, 1); injected so tests can pin the jitter. */
  random?: () => number;
  maxConnectionLifetimeMs?: number;
  /** No message and no ping for this long means the connection is dead: drop it and reconnect. */
  staleAfterMs?: number;
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
  private staleTimer: NodeJS.Timeout | undefined;
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
    clearTimeout(this.staleTimer);
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
      if (ws === this.currentWs) this.armStaleTimer();
    });
    ws.on("message", (data: WebSocket.RawData) => {
      if (ws === this.currentWs) this.armStaleTimer();
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
    this.armStaleTimer();
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
      clearTimeout(this.staleTimer);
      clearTimeout(this.rotationTimer);
      this.setStatus("reconnecting", `closed (${code})`);
      this.scheduleReconnect(`closed (${code})`);
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

  private armStaleTimer(): void {
    const staleAfterMs = this.options.staleAfterMs;
    if (staleAfterMs === undefined) return;
    clearTimeout(this.staleTimer);
    const ws = this.currentWs;
    this.staleTimer = setTimeout(() => {
      if (ws !== undefined && ws === this.currentWs) ws.terminate();
    }, staleAfterMs);
  }

  private setStatus(status: SocketStatus, reason?: string): void {
    this.statusValue = status;
    this.options.onStatus?.({ status, ...(reason === undefined ? {} : { reason }), connections: this.connections });
  }
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
