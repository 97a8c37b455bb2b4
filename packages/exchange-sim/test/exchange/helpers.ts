import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { SimulatedExchange } from "../../src/exchange/simulated-exchange";
import type {
  AccountId,
  MarketEvent,
  SimulatedExchangeOptions,
  UserEvent,
} from "../../src/exchange/venue";
import { ExchangeError } from "../../src/exchange/venue";
import { EmptyMarket } from "../../src/market/empty";

export const START = 1_723_161_600_000;

export class ManualClock {
  constructor(public time = START) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export interface Harness {
  clock: ManualClock;
  exchange: SimulatedExchange;
  account(balances?: Record<string, string>, commission?: { maker?: string; taker?: string }): AccountId;
  userEvents(accountId: AccountId): UserEvent[];
  marketEvents(symbol: string): MarketEvent[];
}

let keyCounter = 0;

/** An exchange on a manual clock with no public market unless `markets` provides one. */
export function harness(options: Partial<SimulatedExchangeOptions> = {}): Harness {
  const clock = new ManualClock();
  const exchange = new SimulatedExchange({
    clock,
    markets: {
      BTCUSDT: new EmptyMarket("BTCUSDT"),
      ETHUSDT: new EmptyMarket("ETHUSDT"),
      BNBUSDT: new EmptyMarket("BNBUSDT"),
      ...options.markets,
    },
    ...(options.symbols ? { symbols: options.symbols } : {}),
    ...(options.queuePosition !== undefined ? { queuePosition: options.queuePosition } : {}),
    ...(options.exchangeFilters ? { exchangeFilters: options.exchangeFilters } : {}),
  });
  const user = new Map<AccountId, UserEvent[]>();
  const market = new Map<string, MarketEvent[]>();
  return {
    clock,
    exchange,
    account(balances = { USDT: "1000000", BTC: "10", ETH: "100" }, commission) {
      keyCounter++;
      const { accountId } = exchange.createAccount({
        apiKey: `key-${keyCounter}`,
        secret: `secret-${keyCounter}`,
        balances,
        ...(commission ? { commission } : {}),
      });
      const events: UserEvent[] = [];
      user.set(accountId, events);
      exchange.onUserEvent(accountId, (e) => events.push(e));
      return accountId;
    },
    userEvents(accountId) {
      return user.get(accountId) ?? [];
    },
    marketEvents(symbol) {
      let events = market.get(symbol);
      if (!events) {
        const list: MarketEvent[] = [];
        events = list;
        market.set(symbol, list);
        exchange.onMarketEvent(symbol, (e) => list.push(e));
      }
      return events;
    },
  };
}

/** The ExchangeError a call throws (fails the test if it does not throw one). */
export function caught(fn: () => unknown): ExchangeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ExchangeError) return err;
    throw err;
  }
  throw new Error("expected an ExchangeError, nothing was thrown");
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), "utf8")) as T;
}

/** A value's JSON type, for field-by-field shape comparison against documented payloads. */
export function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** The repository's shared recordings (fixtures/binance), used by the engine's replay and benchmarks too. */
export function recordingPath(name: string): string {
  return fileURLToPath(new URL(`../../../../fixtures/binance/${name}`, import.meta.url));
}
