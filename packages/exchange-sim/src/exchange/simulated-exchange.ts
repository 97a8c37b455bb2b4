// The transport-free Binance Spot exchange behind the `Venue` contract: a facade over its rooms, each a folder or
// file of plain functions over one shared ExchangeState (exchange-state.ts):
//   market-data.ts   exchangeInfo, depth, bookTicker, recent trades
//   accounts/        accounts, balances, GET /account
//   order-entry/     place, cancel, cancelReplace, amend, order and trade queries
//   matching/        taking liquidity, resting, public fills, trades and their settlement
//   market-driver.ts the public market on the clock (tick)
//   publisher/       events queued during an action and delivered at its end; bookTicker and depth streams
import type { MarketModel } from "../market/model";
import { SeededRandom } from "../market/random";
import { SyntheticMarket } from "../market/synthetic";
import { accountByApiKey, accountView, adjustBalance, createAccount } from "./accounts/account-operations";
import type { ChangeRecorder, ExchangeInternals } from "./durable-state";
import { errors } from "./errors";
import { ExchangeState } from "./exchange-state";
import { defaultSymbols, Instrument } from "./instruments";
import { marketsFinished, nextEventTime, tick } from "./market-driver";
import { bookTicker, bookTickers, depth, exchangeInfo, recentTrades, SYMBOL_STATUSES } from "./market-data";
import { retire } from "./matching/order-lifecycle";
import { Dec } from "./num";
import { amendKeepPriority } from "./order-entry/amend";
import { cancelAllOpenOrders, cancelOrder } from "./order-entry/cancel";
import { cancelReplace } from "./order-entry/cancel-replace";
import { placeOrder } from "./order-entry/new-order";
import { allOrders } from "./order-entry/order-history";
import { myTrades, openOrders, queryOrder } from "./order-entry/order-queries";
import { EventQueue } from "./publisher/event-queue";
import { SymbolState } from "./symbol-state";
import type {
  AccountCredentials,
  AccountId,
  AccountResponse,
  AccountSetup,
  AllOrdersParams,
  AmendKeepPriorityParams,
  AmendKeepPriorityResponse,
  BookTickerResponse,
  CancelOrderParams,
  CancelOrderResponse,
  CancelReplaceParams,
  CancelReplaceSuccess,
  Clock,
  DepthResponse,
  ExchangeError,
  ExchangeInfoParams,
  ExchangeInfoResponse,
  MarketEvent,
  MyTrade,
  MyTradesParams,
  NewOrderParams,
  NewOrderResponse,
  QueryOrderParams,
  QueryOrderResponse,
  RecentTrade,
  SimulatedExchangeOptions,
  SymbolStatus,
  Unsubscribe,
  UserEvent,
  Venue,
} from "./venue";

export class SimulatedExchange implements Venue {
  readonly clock: Clock;
  private readonly exchange: ExchangeState;

  constructor(options: SimulatedExchangeOptions) {
    this.clock = options.clock;
    const exchangeFilters = structuredClone(options.exchangeFilters ?? []);
    const onListenerError =
      options.onListenerError ??
      ((error: unknown) =>
        queueMicrotask(() => {
          throw error;
        }));
    this.exchange = new ExchangeState(
      options.clock,
      new SeededRandom(options.seed ?? 1),
      {
        queuePosition: options.queuePosition ?? true,
        exchangeFilters,
        exchangeMaxNumOrders: exchangeFilters.find((f) => f.filterType === "EXCHANGE_MAX_NUM_ORDERS")?.maxNumOrders,
        retainClosedOrders: options.retainClosedOrders ?? 100_000,
        retainTrades: options.retainTrades ?? 100_000,
      },
      new EventQueue(onListenerError),
    );
    const symbols = options.symbols ?? defaultSymbols();
    let seed = options.seed ?? 1;
    for (const info of symbols) {
      const instrument = new Instrument(structuredClone(info));
      const market: MarketModel =
        options.markets?.[info.symbol] ??
        new SyntheticMarket({
          symbol: info.symbol,
          seed: seed++,
          tickSize: instrument.tickSize.toFixed(),
          ...(lotStepSize(instrument) ? { stepSize: lotStepSize(instrument) } : {}),
          ...(options.startPrices?.[info.symbol] !== undefined ? { startPrice: options.startPrices[info.symbol] } : {}),
        });
      const state = new SymbolState(instrument, market);
      if (options.idBase !== undefined) {
        state.nextOrderId = options.idBase;
        state.nextAggTradeId = options.idBase;
      }
      if (options.tradeIdBase !== undefined) state.lastTradeId = options.tradeIdBase - 1;
      this.exchange.states.set(info.symbol, state);
    }
    if (options.idBase !== undefined) this.exchange.counters.nextExecutionId = options.idBase;
    this.tick();
  }

  // Reference and market data
  exchangeInfo(params: ExchangeInfoParams = {}): ExchangeInfoResponse {
    return exchangeInfo(this.exchange, params);
  }
  depth(symbol: string | undefined, limit?: string): DepthResponse {
    return depth(this.exchange, symbol, limit);
  }
  bookTicker(symbol: string | undefined): BookTickerResponse {
    return bookTicker(this.exchange, symbol);
  }
  bookTickers(symbols?: readonly string[]): BookTickerResponse[] {
    return bookTickers(this.exchange, symbols);
  }
  recentTrades(symbol: string | undefined, limit?: string): RecentTrade[] {
    return recentTrades(this.exchange, symbol, limit);
  }
  symbols(): readonly string[] {
    return [...this.exchange.states.keys()];
  }

  // Accounts
  createAccount(setup: AccountSetup): AccountCredentials {
    return createAccount(this.exchange, setup);
  }
  accountByApiKey(apiKey: string): AccountCredentials | undefined {
    return accountByApiKey(this.exchange, apiKey);
  }
  account(accountId: AccountId, omitZeroBalances = false): AccountResponse {
    return accountView(this.exchange, accountId, omitZeroBalances);
  }
  adjustBalance(accountId: AccountId, asset: string, delta: string): void {
    adjustBalance(this.exchange, accountId, asset, delta);
  }

  // Trading
  placeOrder(accountId: AccountId, params: NewOrderParams): NewOrderResponse {
    return placeOrder(this.exchange, accountId, params);
  }
  cancelOrder(accountId: AccountId, params: CancelOrderParams): CancelOrderResponse {
    return cancelOrder(this.exchange, accountId, params);
  }
  cancelReplace(accountId: AccountId, params: CancelReplaceParams, options: { newOrderRejection?: ExchangeError } = {}): CancelReplaceSuccess {
    return cancelReplace(this.exchange, accountId, params, options);
  }
  queryOrder(accountId: AccountId, params: QueryOrderParams): QueryOrderResponse {
    return queryOrder(this.exchange, accountId, params);
  }
  allOrders(accountId: AccountId, params: AllOrdersParams): QueryOrderResponse[] {
    return allOrders(this.exchange.accountOf(accountId), (symbol) => this.exchange.symbolState(symbol), params);
  }
  openOrders(accountId: AccountId, symbol?: string): QueryOrderResponse[] {
    return openOrders(this.exchange, accountId, symbol);
  }
  cancelAllOpenOrders(accountId: AccountId, symbol: string | undefined): CancelOrderResponse[] {
    return cancelAllOpenOrders(this.exchange, accountId, symbol);
  }
  amendKeepPriority(accountId: AccountId, params: AmendKeepPriorityParams): AmendKeepPriorityResponse {
    return amendKeepPriority(this.exchange, accountId, params);
  }
  myTrades(accountId: AccountId, params: MyTradesParams): MyTrade[] {
    return myTrades(this.exchange, accountId, params);
  }

  // Subscriptions
  onMarketEvent(symbol: string, listener: (event: MarketEvent) => void): Unsubscribe {
    const state = this.exchange.symbolState(symbol);
    state.listeners.add(listener);
    return () => state.listeners.delete(listener);
  }
  onUserEvent(accountId: AccountId, listener: (event: UserEvent) => void): Unsubscribe {
    this.exchange.accountOf(accountId);
    return this.exchange.events.onUserEvent(accountId, listener);
  }

  // Simulation control
  tick(): void {
    tick(this.exchange);
  }
  setSymbolStatus(symbol: string, status: SymbolStatus): void {
    if (!SYMBOL_STATUSES.includes(status)) throw errors.invalidSymbolStatus();
    this.exchange.symbolState(symbol).status = status;
  }
  nextEventTime(): number | undefined {
    return nextEventTime(this.exchange);
  }
  marketsFinished(): boolean {
    return marketsFinished(this.exchange);
  }

  /** The durable parts, for the state store (durable-state.ts) to save and restore; nothing else uses them. */
  internals(): ExchangeInternals {
    const { exchange } = this;
    return {
      states: exchange.states,
      accounts: exchange.accounts,
      accountsByKey: exchange.accountsByKey,
      counters: exchange.counters,
      retainClosedOrders: exchange.settings.retainClosedOrders,
      retainTrades: exchange.settings.retainTrades,
      retire: (state, order) => retire(exchange, state, order),
    };
  }

  /** Hears every change to an account, order or trade history from now on (one recorder at a time). */
  attachRecorder(recorder: ChangeRecorder | undefined): void {
    this.exchange.recorder = recorder;
  }
}

/** The symbol's LOT_SIZE step, if it has a usable one, so a default synthetic market trades in whole steps. */
function lotStepSize(instrument: Instrument): string | undefined {
  const step = instrument.filter("LOT_SIZE")?.stepSize;
  return step !== undefined && new Dec(step).gt(0) ? step : undefined;
}
