// The simulator as a library: `startExchangeSimulator()` runs the exchange core behind Binance's REST, market
// streams and WebSocket API on one port, fully in-process, and `close()` stops every socket and timer.
import { defaultSymbols } from "./exchange/instruments";
import { SimulatedExchange } from "./exchange/simulated-exchange";
import type { Clock, SymbolInfo, Venue } from "./exchange/venue";
import type { MarketModel } from "./market/model";
import { ReplayMarket } from "./market/replay";
import { SyntheticMarket, type SyntheticMarketOptions } from "./market/synthetic";
import { addAccount, type AccountOptions } from "./server/admin";
import type { ConnectionSettings } from "./server/connections";
import { ExchangeServer } from "./server/exchange-server";
import { FaultInjector, type FaultPatch } from "./server/faults";
import type { RateLimitSettings } from "./server/rate-limits";
import { StateStore } from "./state/state-store";

export interface SyntheticMarketSettings {
  /** Deterministic for a seed; each symbol gets its own seed from it. */
  seed?: number;
  /** Per-symbol overrides of the synthetic market (drift, volatility, jumps, liquidity, trade flow). */
  synthetic?: Readonly<Record<string, Omit<SyntheticMarketOptions, "symbol">>>;
}

export interface ReplaySettings {
  /**
   * Recorded files for one symbol: raw stream captures (several are played as one continuous recording), or one
   * data.binance.vision trades / aggTrades CSV (a file name containing "aggTrades" is read as aggTrades).
   */
  replay: readonly string[];
  /** 1 = recorded speed (default), 10 = ten times faster. */
  speed?: number;
  /** The replayed symbol; default the first configured symbol. Other symbols stay synthetic. */
  symbol?: string;
  seed?: number;
}

export type MarketOptions =
  | SyntheticMarketSettings
  | ReplaySettings
  /** Explicit models per symbol; symbols without one get a synthetic market. */
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
  /**
   * Where accounts, API keys, balances, orders, trades and id sequences outlive a restart (see
   * src/state/state-store.ts). An account in `accounts` whose API key the directory already holds keeps its
   * saved balances. Without it everything is forgotten on close.
   */
  stateDir?: string;
  /** How often changes are written (default 100 ms) and the journal size that triggers a snapshot. */
  persistence?: { flushIntervalMs?: number; compactBytes?: number };
  /**
   * The first id of the order, trade and execution sequences when nothing is saved (default: the wall clock in
   * ms, so that a simulator started afresh never reuses an id an earlier run gave out; Binance never does).
   */
  idBase?: number;
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
  /** The state directory's store, with `stateDir`: what loading reported (`notes`) and what writing costs. */
  state: StateStore | undefined;
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

async function marketModels(
  market: MarketOptions,
  symbols: readonly SymbolInfo[],
  startPrices: Readonly<Record<string, string>>,
): Promise<Record<string, MarketModel> | undefined> {
  if ("models" in market) return { ...market.models };
  if ("replay" in market) {
    const symbol = market.symbol ?? symbols[0]?.symbol;
    const info = symbols.find((candidate) => candidate.symbol === symbol);
    if (!info || symbol === undefined) throw new Error(`replay symbol ${String(symbol)} is not one of the simulator's symbols`);
    return { [symbol]: await loadReplay(info, market.replay, market.speed ?? 1) };
  }
  if (!market.synthetic) return undefined;
  const models: Record<string, MarketModel> = {};
  let seed = market.seed ?? 1;
  for (const info of symbols) {
    const overrides = market.synthetic[info.symbol];
    const startPrice = startPrices[info.symbol] ?? overrides?.startPrice;
    if (overrides) {
      models[info.symbol] = new SyntheticMarket({
        seed,
        tickSize: tickSizeOf(info),
        ...overrides,
        ...(startPrice !== undefined ? { startPrice } : {}),
        symbol: info.symbol,
      });
    }
    seed += 1;
  }
  return models;
}

async function loadReplay(info: SymbolInfo, files: readonly string[], speed: number): Promise<MarketModel> {
  if (files.length === 0) throw new Error("replay needs at least one file");
  const csv = files.filter((file) => /\.csv(\.gz)?$/i.test(file));
  if (csv.length === 0) return ReplayMarket.fromCapture(info.symbol, files, { speed });
  const [file] = csv;
  if (csv.length !== files.length || files.length !== 1 || file === undefined) {
    throw new Error("replay takes stream captures, or exactly one trades / aggTrades CSV");
  }
  return ReplayMarket.fromTradesCsv(info.symbol, file, {
    speed,
    format: /aggTrades/i.test(file) ? "aggTrades" : "trades",
    // Trade-only data has no book: show a one-level book touching each print.
    bookAroundTrades: { tickSize: tickSizeOf(info), qty: "1" },
  });
}

function tickSizeOf(info: SymbolInfo): string {
  const filter = info.filters.find((candidate) => candidate.filterType === "PRICE_FILTER");
  return filter?.filterType === "PRICE_FILTER" ? filter.tickSize : "0.01";
}

export async function startExchangeSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const faults = new FaultInjector(options.faults ?? {});
  const clock = options.clock ?? wallClock;
  const symbols = resolveSymbols(options.symbols);
  const market = options.market ?? {};
  const store = options.stateDir === undefined ? undefined : StateStore.open({ dir: options.stateDir, ...options.persistence });
  // A restarted synthetic market resumes at the last saved price, so resting orders do not meet a price gap.
  const startPrices = store?.savedPrices() ?? {};
  let exchange: SimulatedExchange;
  try {
    const markets = await marketModels(market, symbols ?? defaultSymbols(), startPrices);
    const idBase = options.idBase ?? Date.now();
    exchange = new SimulatedExchange({
      clock,
      ...(symbols ? { symbols } : {}),
      ...(markets ? { markets } : {}),
      ...(market.seed !== undefined ? { seed: market.seed } : {}),
      idBase,
      // A replayed market's recorded trade ids pass through; its own trades continue after them.
      ...("replay" in market ? {} : { tradeIdBase: idBase }),
      startPrices,
    });
  } catch (error) {
    store?.close();
    throw error;
  }
  const server = new ExchangeServer({
    venue: exchange,
    faults,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.connections ? { connections: options.connections } : {}),
  });
  const host = options.host ?? "127.0.0.1";
  let port: number;
  try {
    if (store) {
      store.restoreInto(exchange.internals());
      exchange.attachRecorder(store);
      for (const apiKey of store.savedRevokedKeys()) server.context.keys.revoke(apiKey);
      server.context.keys.onRevoke((apiKey) => store.keyRevoked(apiKey));
    }
    for (const account of options.accounts ?? []) {
      // A saved account keeps its balances (and its secret): the command line's are only for its first start.
      const saved = store && exchange.accountByApiKey(account.apiKey);
      if (saved) {
        if (saved.secret !== (account.apiSecret ?? account.ed25519PublicKey)) {
          store.notes.push(`account ${account.apiKey} is kept with the secret saved in ${options.stateDir}, not the one given now`);
        }
        continue;
      }
      addAccount(server.context, account);
    }
    store?.start();
    port = await server.listen(options.port ?? 0, host);
  } catch (error) {
    store?.close();
    await server.close();
    throw error;
  }
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
    state: store,
    close: () => {
      closing ??= (async () => {
        clearInterval(ticker);
        // Written before the sockets close, in case the process is killed while they do.
        store?.flush();
        await server.close();
        store?.close();
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
export { StateStore, type StateStoreStats } from "./state/state-store";
export { StateDirError } from "./state/state-files";
export type * from "./exchange/venue";
export { ExchangeError } from "./exchange/venue";
