// The venue's reference and market data queries (security NONE): exchangeInfo, depth, bookTicker and recent
// trades. Depth and tickers show API orders and the public market summed.
import { errors } from "./errors";
import type { ExchangeState } from "./exchange-state";
import { tickerOf } from "./publisher/market-streams";
import type { SymbolState } from "./symbol-state";
import { optionalParam, parseInteger, requireParam } from "./validation";
import type { BookTickerResponse, DepthResponse, ExchangeInfoParams, ExchangeInfoResponse, RecentTrade } from "./venue";

export const SYMBOL_STATUSES: readonly string[] = ["TRADING", "END_OF_DAY", "HALT", "BREAK", "CANCEL_ONLY"];

export function exchangeInfo(exchange: ExchangeState, params: ExchangeInfoParams): ExchangeInfoResponse {
  let selected: SymbolState[];
  if (params.symbol !== undefined) selected = [exchange.symbolState(params.symbol)];
  else if (params.symbols !== undefined) selected = params.symbols.map((s) => exchange.symbolState(s));
  else selected = [...exchange.states.values()];
  if (params.symbolStatus !== undefined) {
    if (!SYMBOL_STATUSES.includes(params.symbolStatus)) throw errors.invalidSymbolStatus();
    if (params.symbol !== undefined && selected[0]?.status !== params.symbolStatus) {
      throw errors.symbolStatusMismatch();
    }
    selected = selected.filter((s) => s.status === params.symbolStatus);
  }
  return {
    timezone: "UTC",
    serverTime: exchange.clock.now(),
    rateLimits: [
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 },
      { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 50 },
      { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: 160000 },
      { rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: 300000 },
    ],
    exchangeFilters: structuredClone([...exchange.settings.exchangeFilters]),
    symbols: selected.map((s) => ({ ...structuredClone(s.instrument.info), status: s.status })),
  };
}

/** `limit` as received (default 100, max 5000). */
export function depth(exchange: ExchangeState, symbol: string | undefined, limit?: string): DepthResponse {
  const state = exchange.symbolState(requireParam(symbol, "symbol"));
  let n = 100;
  const raw = optionalParam(limit);
  if (raw !== undefined) n = Math.min(Math.max(parseInteger(raw, "limit"), 1), 5000);
  return { lastUpdateId: state.updateId, bids: state.levels(true, n), asks: state.levels(false, n) };
}

export function bookTicker(exchange: ExchangeState, symbol: string | undefined): BookTickerResponse {
  return tickerOf(exchange.symbolState(requireParam(symbol, "symbol")));
}

export function bookTickers(exchange: ExchangeState, symbols?: readonly string[]): BookTickerResponse[] {
  const selected = symbols ? symbols.map((s) => exchange.symbolState(s)) : [...exchange.states.values()];
  return selected.map((s) => tickerOf(s));
}

/** `limit` as received (default 500, max 1000). */
export function recentTrades(exchange: ExchangeState, symbol: string | undefined, limit?: string): RecentTrade[] {
  const state = exchange.symbolState(requireParam(symbol, "symbol"));
  let n = 500;
  const raw = optionalParam(limit);
  if (raw !== undefined) n = Math.min(Math.max(parseInteger(raw, "limit"), 1), 1000);
  return state.recentTrades.slice(-n).map((t) => ({ ...t }));
}
