// A minimal Binance client for the server tests: Node's fetch and the `ws` library, signing done here by hand so
// the tests do not share code with the server's verification.
import { createHmac } from "node:crypto";
import { WebSocket, type ClientOptions } from "ws";
import { rawText } from "../../src/server/streams";
import { startExchangeSimulator, type RunningSimulator, type SimulatorOptions } from "../../src/index";

export const apiKey = "testKey0123456789";
export const apiSecret = "testSecret0123456789";

export async function startSim(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startExchangeSimulator({
    symbols: ["BTCUSDT", "ETHUSDT"],
    accounts: [{ apiKey, apiSecret, balances: { USDT: "1000000", BTC: "10", ETH: "100" } }],
    ...options,
  });
}

export function hmac(payload: string, secret = apiSecret): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

export function form(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join("&");
}

export interface RestReply {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function rest(
  sim: RunningSimulator,
  method: string,
  path: string,
  params: Record<string, string | number> = {},
  options: { signed?: boolean; key?: string; secret?: string; inBody?: boolean; timestamp?: number } = {},
): Promise<RestReply> {
  let query = form(params);
  const headers: Record<string, string> = {};
  if (options.signed) {
    query = form({ ...params, timestamp: options.timestamp ?? Date.now() });
    query += `&signature=${hmac(query, options.secret)}`;
    headers["X-MBX-APIKEY"] = options.key ?? apiKey;
  }
  let url = `${sim.baseUrl}${path}`;
  let body: string | undefined;
  if (options.inBody) {
    body = query;
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  } else if (query !== "") {
    url += `?${query}`;
  }
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
}

/** A BUY price 1% through the best ask: crosses even if the market moves a little before the order lands. */
export async function crossingBuyPrice(sim: RunningSimulator, symbol = "BTCUSDT"): Promise<string> {
  const { body } = await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbol });
  return (Math.ceil(Number((body as { askPrice: string }).askPrice) * 1.01 * 100) / 100).toFixed(2);
}

/** Every key of `expected` present in `actual` with the same JSON type, recursively (first array element). */
export function sameShape(actual: unknown, expected: unknown, path = "$"): string[] {
  const problems: string[] = [];
  const kind = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
  if (kind(actual) !== kind(expected)) return [`${path}: ${kind(actual)} instead of ${kind(expected)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length > 0 && actual.length > 0) problems.push(...sameShape(actual[0], expected[0], `${path}[0]`));
    return problems;
  }
  if (kind(expected) === "object") {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!(key in a)) problems.push(`${path}.${key}: missing`);
      else problems.push(...sameShape(a[key], e[key], `${path}.${key}`));
    }
    for (const key of Object.keys(a)) {
      if (!(key in e)) problems.push(`${path}.${key}: not in the docs' example`);
    }
  }
  return problems;
}

/** A WebSocket client that queues every message so tests can wait for the one they expect. */
export class TestSocket {
  readonly messages: unknown[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  closeCode: number | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.messages.push(JSON.parse(rawText(data)));
      this.wake();
    });
    socket.on("close", (code) => {
      this.closed = true;
      this.closeCode = code;
      this.wake();
    });
  }

  static open(url: string, options: ClientOptions = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options);
      const client = new TestSocket(socket);
      socket.once("open", () => resolve(client));
      socket.once("error", reject);
    });
  }

  send(body: unknown): void {
    this.socket.send(JSON.stringify(body));
  }

  /** Waits for (and removes) the first queued message matching `match`. Messages are untyped wire JSON. */
  async next(match: (message: any) => boolean = () => true, timeoutMs = 3000): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex(match);
      if (index !== -1) return this.messages.splice(index, 1)[0];
      if (this.closed) throw new Error("socket closed while waiting for a message");
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching message within ${timeoutMs} ms; queued: ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 3000): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error("socket still open");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closeCode;
  }

  close(): void {
    this.socket.terminate();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Signs WS API params: all but signature, apiKey included, sorted, raw. */
export function signWs(params: Record<string, string | number>, secret = apiSecret): Record<string, string | number> {
  const payload = Object.keys(params)
    .sort()
    .map((name) => `${name}=${String(params[name])}`)
    .join("&");
  return { ...params, signature: hmac(payload, secret) };
}

let requestCounter = 0;
export function wsRequest(method: string, params?: Record<string, unknown>): { id: string; method: string; params?: Record<string, unknown> } {
  requestCounter += 1;
  return { id: `req-${requestCounter}`, method, ...(params ? { params } : {}) };
}
