// The symbol a replay trades: its filters come from an exchangeInfo JSON file (GET /api/v3/exchangeInfo as saved
// from Binance), from command-line flags, or from the simulator's built-in symbols (BTCUSDT, ETHUSDT, BNBUSDT) as
// shortcuts. Flags override the filters of a file's or a built-in entry. The result is the simulator's SymbolInfo,
// checked by core's own instrument parser, so a filter the bot cannot quote with is refused before the replay runs.
import { readFile } from "node:fs/promises";
import { buildInstrument, InstrumentError } from "@bandkeeper/core";
import type { SymbolFilter, SymbolInfo } from "@bandkeeper/exchange-sim";
import { defaultSymbols } from "@bandkeeper/exchange-sim/exchange/instruments";

export class SymbolSpecError extends Error {
  override name = "SymbolSpecError";
}

/** Filter values given as flags (decimal strings, as Binance prints them). */
export interface SymbolFlags {
  readonly tickSize?: string;
  readonly stepSize?: string;
  readonly minQty?: string;
  readonly maxQty?: string;
  readonly minNotional?: string;
  readonly baseAsset?: string;
  readonly quoteAsset?: string;
}

export interface SymbolSource {
  readonly symbol: string;
  /** Path of an exchangeInfo JSON file holding the symbol. */
  readonly exchangeInfoFile?: string;
  readonly flags?: SymbolFlags;
}

export const SYMBOL_FLAG_NAMES: Readonly<Record<keyof SymbolFlags, string>> = {
  tickSize: "--tick-size",
  stepSize: "--step-size",
  minQty: "--min-qty",
  maxQty: "--max-qty",
  minNotional: "--min-notional",
  baseAsset: "--base-asset",
  quoteAsset: "--quote-asset",
};

/** Quote assets recognised at the end of a symbol name, longest first, when no --quote-asset is given. */
const QUOTE_ASSETS = ["FDUSD", "USDT", "USDC", "TUSD", "BUSD", "EUR", "TRY", "BRL", "JPY", "BTC", "ETH", "BNB"];
const DECIMAL = /^\d+(\.\d+)?$/;

export async function resolveReplaySymbol(source: SymbolSource): Promise<SymbolInfo> {
  const symbol = source.symbol.toUpperCase();
  const flags = source.flags ?? {};
  for (const [key, flag] of Object.entries(SYMBOL_FLAG_NAMES) as [keyof SymbolFlags, string][]) {
    const value = flags[key];
    if (value === undefined) continue;
    const isAsset = key === "baseAsset" || key === "quoteAsset";
    if (isAsset ? !/^[A-Z0-9]+$/i.test(value) : !DECIMAL.test(value)) {
      throw new SymbolSpecError(`${flag} must be ${isAsset ? "an asset name such as USDT" : "a decimal number such as 0.01"}, got "${value}"`);
    }
  }
  let base: SymbolInfo;
  let origin: string;
  if (source.exchangeInfoFile !== undefined) {
    base = symbolFromExchangeInfo(await readJson(source.exchangeInfoFile), symbol, source.exchangeInfoFile);
    origin = source.exchangeInfoFile;
  } else {
    const builtIn = builtInSymbol(symbol);
    if (builtIn) {
      base = builtIn;
      origin = "the built-in symbols";
    } else {
      const { tickSize, stepSize } = flags;
      if (tickSize === undefined || stepSize === undefined) {
        throw new SymbolSpecError(
          `unknown symbol ${symbol}: give its filters with --exchange-info FILE, or at least --tick-size and --step-size ` +
            `(built-in symbols: ${builtInSymbolNames().join(", ")})`,
        );
      }
      return symbolFromFilterFlags(symbol, { ...flags, tickSize, stepSize });
    }
  }
  const info = withFlags(base, flags);
  checkInstrument(info, origin);
  return info;
}

/** The simulator's definition of a built-in symbol, or undefined. */
export function builtInSymbol(symbol: string): SymbolInfo | undefined {
  return defaultSymbols().find((info) => info.symbol === symbol.toUpperCase());
}

function builtInSymbolNames(): string[] {
  return defaultSymbols().map((info) => info.symbol);
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SymbolSpecError(`cannot read the exchangeInfo file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SymbolSpecError(`the exchangeInfo file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The entry for `symbol` in an exchangeInfo response; fields Binance added after the file was saved take defaults. */
export function symbolFromExchangeInfo(raw: unknown, symbol: string, source: string): SymbolInfo {
  const where = `exchangeInfo ${source}`;
  if (!isObject(raw) || !Array.isArray(raw.symbols)) throw new SymbolSpecError(`${where}: no "symbols" array (is it a GET /api/v3/exchangeInfo response?)`);
  const entries = raw.symbols as unknown[];
  const entry = entries.find((candidate) => isObject(candidate) && typeof candidate.symbol === "string" && candidate.symbol.toUpperCase() === symbol.toUpperCase());
  if (!isObject(entry)) {
    const names = entries.flatMap((candidate) => (isObject(candidate) && typeof candidate.symbol === "string" ? [candidate.symbol] : []));
    throw new SymbolSpecError(`${where}: no symbol ${symbol} (it holds ${names.length > 0 ? names.slice(0, 20).join(", ") : "none"}${names.length > 20 ? ", ..." : ""})`);
  }
  for (const field of ["status", "baseAsset", "quoteAsset"] as const) {
    if (typeof entry[field] !== "string") throw new SymbolSpecError(`${where}: symbol ${symbol}: field ${field} must be a string`);
  }
  if (!Array.isArray(entry.filters)) throw new SymbolSpecError(`${where}: symbol ${symbol}: field filters must be an array`);
  const filters = (entry.filters as unknown[]).map((filter, index) => {
    if (!isObject(filter) || typeof filter.filterType !== "string") {
      throw new SymbolSpecError(`${where}: symbol ${symbol}: filters[${index}] has no filterType`);
    }
    return filter as unknown as SymbolFilter;
  });
  const template = symbolTemplate(symbol, entry.baseAsset as string, entry.quoteAsset as string);
  const known = Object.fromEntries(Object.keys(template).flatMap((key) => (key in entry ? [[key, entry[key]]] : [])));
  // TRADING whatever the file says: its status is the day it was saved, and the recording shows the pair trading.
  return { ...template, ...known, symbol: entry.symbol as string, status: "TRADING", filters };
}

/** A symbol the simulator does not define, from its filters alone (at least the tick and step sizes). */
export function symbolFromFilterFlags(symbol: string, flags: SymbolFlags & { readonly tickSize: string; readonly stepSize: string }): SymbolInfo {
  const info = withFlags(symbolFromFlags(symbol.toUpperCase(), flags), flags);
  checkInstrument(info, "the command line");
  return info;
}

function symbolFromFlags(symbol: string, flags: SymbolFlags): SymbolInfo {
  const quoteAsset = flags.quoteAsset ?? QUOTE_ASSETS.find((quote) => symbol.endsWith(quote) && symbol.length > quote.length);
  if (!quoteAsset) throw new SymbolSpecError(`cannot tell the quote asset of ${symbol}: give --quote-asset (and --base-asset)`);
  const baseAsset = flags.baseAsset ?? (symbol.endsWith(quoteAsset) ? symbol.slice(0, -quoteAsset.length) : "");
  if (!baseAsset) throw new SymbolSpecError(`cannot tell the base asset of ${symbol}: give --base-asset`);
  return symbolTemplate(symbol, baseAsset, quoteAsset);
}

/** A TRADING symbol shaped like the simulator's built-ins, with its PRICE_FILTER, LOT_SIZE and NOTIONAL filters. */
function symbolTemplate(symbol: string, baseAsset: string, quoteAsset: string): SymbolInfo {
  const model = builtInSymbol("BTCUSDT") as SymbolInfo;
  const filters: SymbolFilter[] = model.filters.filter((f) => f.filterType === "PRICE_FILTER" || f.filterType === "LOT_SIZE" || f.filterType === "NOTIONAL");
  return { ...structuredClone(model), symbol, baseAsset, quoteAsset, status: "TRADING", filters: structuredClone(filters) };
}

/** Flags replace the matching filter fields, so a tick or minimum given on the command line wins. */
function withFlags(info: SymbolInfo, flags: SymbolFlags): SymbolInfo {
  const filters = info.filters.map((filter) => ({ ...filter }));
  const upsert = <T extends SymbolFilter["filterType"]>(type: T, make: () => Extract<SymbolFilter, { filterType: T }>) => {
    const found = filters.find((f): f is Extract<SymbolFilter, { filterType: T }> => f.filterType === type);
    if (found) return found;
    const created = make();
    filters.push(created);
    return created;
  };
  if (flags.tickSize !== undefined) {
    const price = upsert("PRICE_FILTER", () => ({ filterType: "PRICE_FILTER", minPrice: "0", maxPrice: "0", tickSize: "0" }));
    price.tickSize = flags.tickSize;
    price.minPrice = flags.tickSize;
  }
  if (flags.stepSize !== undefined || flags.minQty !== undefined || flags.maxQty !== undefined) {
    const lot = upsert("LOT_SIZE", () => ({ filterType: "LOT_SIZE", minQty: "0", maxQty: "9000000", stepSize: "0" }));
    if (flags.stepSize !== undefined) {
      lot.stepSize = flags.stepSize;
      lot.minQty = flags.stepSize;
    }
    if (flags.minQty !== undefined) lot.minQty = flags.minQty;
    if (flags.maxQty !== undefined) lot.maxQty = flags.maxQty;
  }
  if (flags.minNotional !== undefined) {
    const legacy = filters.find((f) => f.filterType === "MIN_NOTIONAL");
    if (legacy?.filterType === "MIN_NOTIONAL") legacy.minNotional = flags.minNotional;
    else {
      const notional = upsert("NOTIONAL", () => ({ filterType: "NOTIONAL", minNotional: "0", applyMinToMarket: true, maxNotional: "9000000", applyMaxToMarket: false, avgPriceMins: 5 }));
      notional.minNotional = flags.minNotional;
    }
  }
  return {
    ...info,
    ...(flags.baseAsset !== undefined ? { baseAsset: flags.baseAsset.toUpperCase() } : {}),
    ...(flags.quoteAsset !== undefined ? { quoteAsset: flags.quoteAsset.toUpperCase() } : {}),
    filters,
  };
}

function checkInstrument(info: SymbolInfo, origin: string): void {
  try {
    buildInstrument({ symbol: info.symbol, status: info.status, baseAsset: info.baseAsset, quoteAsset: info.quoteAsset, filters: info.filters });
  } catch (error) {
    if (error instanceof InstrumentError) throw new SymbolSpecError(`symbol ${info.symbol} from ${origin}: filter ${error.message}`);
    throw error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The tick size of a symbol's PRICE_FILTER (present: resolveReplaySymbol checked it). */
export function tickSizeOf(info: SymbolInfo): string {
  const filter = info.filters.find((f) => f.filterType === "PRICE_FILTER");
  if (filter?.filterType !== "PRICE_FILTER") throw new SymbolSpecError(`symbol ${info.symbol} has no PRICE_FILTER`);
  return filter.tickSize;
}
