// The simulator as a library: `startExchangeSimulator()` runs the exchange core behind Binance's REST, market
// streams and WebSocket API on one port, fully in-process, and `close()` stops every socket and timer.
import { defaultSymbols } from "./exchange/instruments";
import { SimulatedExchange } from "./exchange/simulated-exchange";
import type { Clock, SymbolInfo, Venue } from "./exchange/venue";
import type { MarketModel } from "./market/model";
import { addAccount, type AccountOptions } from "./server/admin";
import type { ConnectionSettings } from "./server/connections";
import { ExchangeServer } from "./server/exchange-server";
import { FaultInjector, type FaultPatch } from "./server/faults";
import type { RateLimitSettings } from "./server/rate-limits";

export type MarketOptions =
  /** Endless synthetic markets, deterministic for a seed. */
  | { seed?: number }
  /** Explicit models per symbol (e.g. a replay); symbols without one get a synthetic market. */
  | { models: Readonly<Record<string, MarketModel>>; seed?: number };

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Symbol names from the built-in set (BTCUSDT, ETHUSDT, BNBUSDT) or full exchangeInfo definitions. */
  symbols?: readonly (string | SymbolInfo)[];
  accounts?: readonly AccountOptions[];
  market?: MarketOptions;
  faults?: FaultPatch;
  /** Binance's limits by default; benchmarks raise them. */
  rateLimits?: Partial<RateLimitSettings>;
  /** Ping interval, pong timeout and maximum connection lifetime. */
  connections?: Partial<ConnectionSettings>;
  /** The simulation's time source (default the wall clock). Clock skew faults move only the server time the
   * transport reports and checks timestamps against (time, exchangeInfo, recvWindow), never the market's clock,
   * which must not run backwards. */
  clock?: Clock;
  /** How often the simulator advances the market models and flushes depth batches (default 10 ms). */
  tickIntervalMs?: number;
}

export interface RunningSimulator {
  /** REST base, e.g. http://127.0.0.1:8765 (endpoints under /api/v3, admin under /admin). */
  baseUrl: string;
  /** WebSocket base: market streams at /ws and /stream, the WebSocket API at /ws-api/v3. */
  wsBaseUrl: string;
  port: number;
  exchange: Venue;
  faults: FaultInjector;
  server: ExchangeServer;
  addAccount(account: AccountOptions): { accountId: string };
  close(): Promise<void>;
}

const wallClock: Clock = { now: () => Date.now() };

export function resolveSymbols(symbols: readonly (string | SymbolInfo)[] | undefined): SymbolInfo[] | undefined {
  if (symbols === undefined) return undefined;
  const builtIn = new Map(defaultSymbols().map((info) => [info.symbol, info]));
  return symbols.map((entry) => {
    if (typeof entry !== "string") return entry;
    const info = builtIn.get(entry.toUpperCase());
    if (!info) {
      throw new Error(`unknown symbol ${entry}: built-in symbols are ${[...builtIn.keys()].join(", ")}`);
    }
    return info;
  });
}

export async function startExchangeSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const faults = new FaultInjector(options.faults ?? {});
  const clock = options.clock ?? wallClock;
  const symbols = resolveSymbols(options.symbols);
  const market = options.market ?? {};
  const exchange = new SimulatedExchange({
    clock,
    ...(symbols ? { symbols } : {}),
    ...("models" in market ? { markets: market.models } : {}),
    ...(market.seed !== undefined ? { seed: market.seed } : {}),
  });
  const server = new ExchangeServer({
    venue: exchange,
    faults,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.connections ? { connections: options.connections } : {}),
  });
  for (const account of options.accounts ?? []) addAccount(server.context, account);

  const host = options.host ?? "127.0.0.1";
  const port = await server.listen(options.port ?? 0, host);
  const ticker = setInterval(() => exchange.tick(), options.tickIntervalMs ?? 10);
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    baseUrl: `http://${urlHost}:${port}`,
    wsBaseUrl: `ws://${urlHost}:${port}`,
    port,
    exchange,
    faults,
    server,
    addAccount: (account) => addAccount(server.context, account),
    close: () => {
      closing ??= (async () => {
        clearInterval(ticker);
        await server.close();
      })();
      return closing;
    },
  };
}

export { ExchangeServer } from "./server/exchange-server";
export { FaultInjector, noFaults, type FaultPatch, type FaultSettings } from "./server/faults";
export { RateLimiter, binanceRateLimits, type RateLimitSettings } from "./server/rate-limits";
export { binanceConnectionSettings, type ConnectionSettings } from "./server/connections";
export type { AccountOptions } from "./server/admin";
export { SimulatedExchange } from "./exchange/simulated-exchange";
export type * from "./exchange/venue";
export { ExchangeError } from "./exchange/venue";
