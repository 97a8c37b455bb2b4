// The market-data operations computed from the trade history (market-history.ts), shared by REST and the WebSocket
// API like those in operations.ts: /api/v3/ticker/24hr (ticker.24hr), /ticker/price (ticker.price), /klines
// (klines) and /aggTrades (trades.aggregate), with Binance's weights and parameters.
import type { RawMiniTicker24h, RawTicker24h } from "@bandkeeper/binance/raw-types";
import type { Venue } from "../exchange/venue";
import { ApiError, messages } from "./errors";
import { parseSymbolList, type Operation, type Params } from "./operations";

/** Weight of ticker/24hr by how many symbols it covers (none given: all of them). */
function ticker24hWeight(params: Params): number {
  if (params.symbol !== undefined) return 2;
  let count: number | undefined;
  try {
    count = parseSymbolList(params)?.length;
  } catch {
    // A malformed list is refused when the request runs; it costs what a single symbol does.
    return 2;
  }
  if (count === undefined || count > 100) return 80;
  return count > 20 ? 40 : 2;
}

/** The one symbol, the listed ones, or every symbol; `symbol` and `symbols` together are -1101. */
function requestedSymbols(venue: Venue, params: Params): { single: string } | { list: string[] } {
  if (params.symbol !== undefined && params.symbols !== undefined) throw new ApiError(-1101, messages.tooManyParams);
  if (params.symbol !== undefined) return { single: params.symbol };
  const listed = parseSymbolList(params);
  if (listed) {
    const known = new Set(venue.symbols());
    if (listed.some((symbol) => !known.has(symbol))) throw new ApiError(-1121, "Invalid symbol.");
    return { list: listed };
  }
  return { list: [...venue.symbols()] };
}

function miniOf(full: RawTicker24h): RawMiniTicker24h {
  const { symbol, openPrice, highPrice, lowPrice, lastPrice, volume, quoteVolume, openTime, closeTime, firstId, lastId, count } = full;
  return { symbol, openPrice, highPrice, lowPrice, lastPrice, volume, quoteVolume, openTime, closeTime, firstId, lastId, count };
}

export const marketDataOperations = {
  ticker24h: {
    security: "NONE",
    weight: ticker24hWeight,
    params: ["symbol", "symbols", "type"],
    run: (venue, _account, params, context) => {
      const type = params.type ?? "FULL";
      if (type !== "FULL" && type !== "MINI") throw new ApiError(-1130, messages.invalidParam("type"));
      const one = (symbol: string) => {
        const full = context.history.ticker24h(symbol);
        return type === "MINI" ? miniOf(full) : full;
      };
      const requested = requestedSymbols(venue, params);
      return "single" in requested ? one(requested.single) : requested.list.map(one);
    },
  },
  tickerPrice: {
    security: "NONE",
    weight: (params) => (params.symbol === undefined ? 4 : 2),
    params: ["symbol", "symbols"],
    run: (venue, _account, params, context) => {
      const requested = requestedSymbols(venue, params);
      const one = (symbol: string) => ({ symbol, price: context.history.lastPrice(symbol) });
      return "single" in requested ? one(requested.single) : requested.list.map(one);
    },
  },
  klines: {
    security: "NONE",
    weight: () => 2,
    params: ["symbol", "interval", "startTime", "endTime", "timeZone", "limit"],
    run: (_venue, _account, params, context) => context.history.klines(params),
  },
  aggTrades: {
    security: "NONE",
    weight: () => 4,
    params: ["symbol", "fromId", "startTime", "endTime", "limit"],
    run: (_venue, _account, params, context) => context.history.aggTrades(params),
  },
} satisfies Record<string, Operation>;
