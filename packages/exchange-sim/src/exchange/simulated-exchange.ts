import Decimal from "decimal.js";

import type { MarketModel, MarketStep } from "../market/model";
import { randomClientOrderId, SeededRandom } from "../market/random";
import { SyntheticMarket } from "../market/synthetic";
import { AccountState } from "./accounts";
import type { ChangeRecorder, ExchangeInternals } from "./durable-state";
import { errors } from "./errors";
import { defaultSymbols, Instrument } from "./instruments";
import { Dec, fmt, ZERO } from "./num";
import { OrderState } from "./order";
import { SymbolState } from "./symbol-state";
import { allOrders } from "./order-history";
import { amendedOrderView, cancelView, executionReport, newOrderView, orderView, type FillDetail } from "./views";
import {
  checkClientOrderId,
  checkFilters,
  checkLotSize,
  optionalParam,
  parseDecimal,
  parseInteger,
  parseNewOrder,
  requireParam,
  type NewOrderSpec,
} from "./validation";
import {
  ExchangeError,
  type AllOrdersParams,
  type AccountCredentials,
  type AmendKeepPriorityParams,
  type AmendKeepPriorityResponse,
  type AccountId,
  type AccountResponse,
  type AccountSetup,
  type BookTickerResponse,
  type CancelOrderParams,
  type CancelOrderResponse,
  type CancelReplaceFailureData,
  type CancelReplaceParams,
  type CancelReplaceSuccess,
  type Clock,
  type DepthResponse,
  type ErrorBody,
  type ExchangeFilter,
  type ExchangeInfoParams,
  type ExchangeInfoResponse,
  type ExecutionType,
  type Fill,
  type MarketEvent,
  type MyTrade,
  type MyTradesParams,
  type NewOrderParams,
  type NewOrderResponse,
  type QueryOrderParams,
  type QueryOrderResponse,
  type RecentTrade,
  type SimulatedExchangeOptions,
  type SymbolStatus,
  type Unsubscribe,
  type UserEvent,
  type Venue,
} from "./venue";

const SYMBOL_STATUSES: readonly string[] = ["TRADING", "END_OF_DAY", "HALT", "BREAK", "CANCEL_ONLY"];

interface PendingUserEvent {
  accountId: AccountId;
  event: UserEvent;
}

interface PendingMarketEvent {
  state: SymbolState;
  event: MarketEvent;
}

/** Who is on each side of a trade: an API order, or the public market (undefined). */
interface TradeParties {
  taker: OrderState | undefined;
  maker: OrderState | undefined;
  takerIsBuyer: boolean;
}

/** The transport-free Binance Spot exchange: accounts, validation, matching, public market, events. */
export class SimulatedExchange implements Venue {
  readonly clock: Clock;
  private readonly states = new Map<string, SymbolState>();
  private readonly accounts = new Map<AccountId, AccountState>();
  private readonly accountsByKey = new Map<string, AccountState>();
  private readonly userListeners = new Map<AccountId, Set<(event: UserEvent) => void>>();
  private readonly random: SeededRandom;
  private readonly queuePosition: boolean;
  private readonly exchangeFilters: readonly ExchangeFilter[];
  private readonly exchangeMaxNumOrders: number | undefined;
  private readonly retainClosedOrders: number;
  private readonly retainTrades: number;
  private readonly onListenerError: (error: unknown) => void;
  /** Exchange-wide sequences (the state store saves and restores them with the accounts and orders). */
  private readonly counters = { nextExecutionId: 1, nextAccountNumber: 1 };
  private recorder: ChangeRecorder | undefined;
  private readonly pendingUser: PendingUserEvent[] = [];
  private readonly pendingMarket: PendingMarketEvent[] = [];
  /** Accounts touched by the action in progress (they get one outboundAccountPosition at its end). */
  private readonly touchedAccounts = new Set<AccountState>();
  private flushing = false;
  /** Fills of the taker order in progress, for the FULL response. */
  private takerFills: Fill[] = [];

  constructor(options: SimulatedExchangeOptions) {
    this.clock = options.clock;
    this.random = new SeededRandom(options.seed ?? 1);
    this.queuePosition = options.queuePosition ?? true;
    this.exchangeFilters = structuredClone(options.exchangeFilters ?? []);
    this.exchangeMaxNumOrders = this.exchangeFilters.find((f) => f.filterType === "EXCHANGE_MAX_NUM_ORDERS")?.maxNumOrders;
    this.retainClosedOrders = options.retainClosedOrders ?? 100_000;
    this.retainTrades = options.retainTrades ?? 100_000;
    this.onListenerError =
      options.onListenerError ??
      ((error) =>
        queueMicrotask(() => {
          throw error;
        }));
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
      this.states.set(info.symbol, state);
    }
    if (options.idBase !== undefined) this.counters.nextExecutionId = options.idBase;
    this.tick();
  }

  // ------------------------------------------------------------------------------------------------------
  // Reference and market data

  exchangeInfo(params: ExchangeInfoParams = {}): ExchangeInfoResponse {
    let selected: SymbolState[];
    if (params.symbol !== undefined) selected = [this.symbolState(params.symbol)];
    else if (params.symbols !== undefined) selected = params.symbols.map((s) => this.symbolState(s));
    else selected = [...this.states.values()];
    if (params.symbolStatus !== undefined) {
      if (!SYMBOL_STATUSES.includes(params.symbolStatus)) throw errors.invalidSymbolStatus();
      if (params.symbol !== undefined && selected[0]?.status !== params.symbolStatus) {
        throw errors.symbolStatusMismatch();
      }
      selected = selected.filter((s) => s.status === params.symbolStatus);
    }
    return {
      timezone: "UTC",
      serverTime: this.clock.now(),
      rateLimits: [
        { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 },
        { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 50 },
        { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: 160000 },
        { rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: 300000 },
      ],
      exchangeFilters: structuredClone([...this.exchangeFilters]),
      symbols: selected.map((s) => ({ ...structuredClone(s.instrument.info), status: s.status })),
    };
  }

  depth(symbol: string | undefined, limit?: string): DepthResponse {
    const state = this.symbolState(requireParam(symbol, "symbol"));
    let n = 100;
    const raw = optionalParam(limit);
    if (raw !== undefined) n = Math.min(Math.max(parseInteger(raw, "limit"), 1), 5000);
    return { lastUpdateId: state.updateId, bids: state.levels(true, n), asks: state.levels(false, n) };
  }

  bookTicker(symbol: string | undefined): BookTickerResponse {
    return this.tickerOf(this.symbolState(requireParam(symbol, "symbol")));
  }

  bookTickers(symbols?: readonly string[]): BookTickerResponse[] {
    const selected = symbols ? symbols.map((s) => this.symbolState(s)) : [...this.states.values()];
    return selected.map((s) => this.tickerOf(s));
  }

  recentTrades(symbol: string | undefined, limit?: string): RecentTrade[] {
    const state = this.symbolState(requireParam(symbol, "symbol"));
    let n = 500;
    const raw = optionalParam(limit);
    if (raw !== undefined) n = Math.min(Math.max(parseInteger(raw, "limit"), 1), 1000);
    return state.recentTrades.slice(-n).map((t) => ({ ...t }));
  }

  symbols(): readonly string[] {
    return [...this.states.keys()];
  }

  // ------------------------------------------------------------------------------------------------------
  // Accounts

  createAccount(setup: AccountSetup): AccountCredentials {
    if (this.accountsByKey.has(setup.apiKey)) throw new Error(`API key already registered: ${setup.apiKey}`);
    const number = this.counters.nextAccountNumber++;
    const account = new AccountState(`account-${number}`, setup.apiKey, setup.secret, setup, 100000000 + number);
    account.updateTime = this.clock.now();
    this.accounts.set(account.id, account);
    this.accountsByKey.set(account.apiKey, account);
    this.recorder?.accountChanged(account);
    return { accountId: account.id, apiKey: account.apiKey, secret: account.secret };
  }

  accountByApiKey(apiKey: string): AccountCredentials | undefined {
    const account = this.accountsByKey.get(apiKey);
    return account && { accountId: account.id, apiKey: account.apiKey, secret: account.secret };
  }

  account(accountId: AccountId, omitZeroBalances = false): AccountResponse {
    const account = this.accountOf(accountId);
    const bps = (rate: Decimal): number => rate.mul(10000).toDecimalPlaces(0).toNumber();
    const balances = [...account.balances.entries()]
      .filter(([, b]) => !omitZeroBalances || b.free.gt(0) || b.locked.gt(0))
      .map(([asset, b]) => ({ asset, free: fmt(b.free), locked: fmt(b.locked) }));
    return {
      makerCommission: bps(account.makerRate),
      takerCommission: bps(account.takerRate),
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: {
        maker: fmt(account.makerRate),
        taker: fmt(account.takerRate),
        buyer: "0.00000000",
        seller: "0.00000000",
      },
      canTrade: account.canTrade,
      canWithdraw: true,
      canDeposit: true,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: account.updateTime,
      accountType: "SPOT",
      balances,
      permissions: ["SPOT"],
      uid: account.uid,
    };
  }

  adjustBalance(accountId: AccountId, asset: string, delta: string): void {
    const account = this.accountOf(accountId);
    const amount = new Dec(delta);
    if (account.balance(asset).free.add(amount).lt(0)) throw errors.insufficientBalance();
    const now = this.clock.now();
    account.credit(asset, amount);
    account.updateTime = now;
    this.touchedAccounts.add(account);
    this.pendingUser.push({ accountId, event: { e: "balanceUpdate", E: now, a: asset, d: fmt(amount), T: now } });
    this.finishAction();
  }

  // ------------------------------------------------------------------------------------------------------
  // Trading

  placeOrder(accountId: AccountId, params: NewOrderParams): NewOrderResponse {
    const account = this.accountOf(accountId);
    const spec = parseNewOrder(params, (s) => this.states.get(s)?.instrument);
    try {
      return this.executeNewOrder(account, spec);
    } finally {
      this.finishAction();
    }
  }

  cancelOrder(accountId: AccountId, params: CancelOrderParams): CancelOrderResponse {
    const account = this.accountOf(accountId);
    const state = this.symbolState(requireParam(params.symbol, "symbol"));
    try {
      return this.executeCancel(account, state, {
        orderId: optionalParam(params.orderId),
        origClientOrderId: optionalParam(params.origClientOrderId),
        newClientOrderId: optionalParam(params.newClientOrderId),
        cancelRestrictions: optionalParam(params.cancelRestrictions),
        idNames: ["orderId", "origClientOrderId"],
      });
    } finally {
      this.finishAction();
    }
  }

  cancelReplace(
    accountId: AccountId,
    params: CancelReplaceParams,
    options: { newOrderRejection?: ExchangeError } = {},
  ): CancelReplaceSuccess {
    const account = this.accountOf(accountId);
    const modeRaw = requireParam(params.cancelReplaceMode, "cancelReplaceMode");
    if (modeRaw !== "STOP_ON_FAILURE" && modeRaw !== "ALLOW_FAILURE") throw errors.invalidParameter("cancelReplaceMode");
    const rateMode = optionalParam(params.orderRateLimitExceededMode);
    if (rateMode !== undefined && rateMode !== "DO_NOTHING" && rateMode !== "CANCEL_ONLY") {
      throw errors.invalidParameter("orderRateLimitExceededMode");
    }
    const spec = parseNewOrder(params, (s) => this.states.get(s)?.instrument);
    const state = this.symbolState(spec.instrument.symbol);
    if (!spec.instrument.info.cancelReplaceAllowed) throw errors.cancelReplaceNotAllowed();
    const cancelOrderId = optionalParam(params.cancelOrderId);
    const cancelOrigClientOrderId = optionalParam(params.cancelOrigClientOrderId);
    if (cancelOrderId === undefined && cancelOrigClientOrderId === undefined) {
      throw errors.eitherMandatory("cancelOrderId", "cancelOrigClientOrderId");
    }
    if (cancelOrderId !== undefined) parseInteger(cancelOrderId, "cancelOrderId");
    const cancelRestrictions = optionalParam(params.cancelRestrictions);
    if (cancelRestrictions !== undefined && cancelRestrictions !== "ONLY_NEW" && cancelRestrictions !== "ONLY_PARTIALLY_FILLED") {
      throw errors.invalidCancelRestrictions();
    }

    // Binance evaluates the new order's filters before it cancels anything: a failure is a plain error.
    this.checkNewOrderFilters(account, state, spec, this.clock.now());

    try {
      let cancelResponse: CancelOrderResponse | ErrorBody;
      let cancelOk = false;
      try {
        cancelResponse = this.executeCancel(account, state, {
          orderId: cancelOrderId,
          origClientOrderId: cancelOrigClientOrderId,
          newClientOrderId: optionalParam(params.cancelNewClientOrderId),
          cancelRestrictions,
          idNames: ["cancelOrderId", "cancelOrigClientOrderId"],
        });
        cancelOk = true;
      } catch (err) {
        if (!(err instanceof ExchangeError)) throw err;
        cancelResponse = { code: err.code, msg: err.msg };
      }
      if (!cancelOk && modeRaw === "STOP_ON_FAILURE") {
        throw cancelReplaceError(false, {
          cancelResult: "FAILURE",
          newOrderResult: "NOT_ATTEMPTED",
          cancelResponse,
          newOrderResponse: null,
        });
      }
      let newOrderResponse: NewOrderResponse | ErrorBody;
      let newOk = false;
      try {
        if (options.newOrderRejection) throw options.newOrderRejection;
        newOrderResponse = this.executeNewOrder(account, spec);
        newOk = true;
      } catch (err) {
        if (!(err instanceof ExchangeError)) throw err;
        newOrderResponse = { code: err.code, msg: err.msg };
      }
      if (cancelOk && newOk) {
        return {
          cancelResult: "SUCCESS",
          newOrderResult: "SUCCESS",
          cancelResponse: cancelResponse as CancelOrderResponse,
          newOrderResponse: newOrderResponse as NewOrderResponse,
        };
      }
      throw cancelReplaceError(cancelOk || newOk, {
        cancelResult: cancelOk ? "SUCCESS" : "FAILURE",
        newOrderResult: newOk ? "SUCCESS" : "FAILURE",
        cancelResponse,
        newOrderResponse,
      });
    } finally {
      this.finishAction();
    }
  }

  queryOrder(accountId: AccountId, params: QueryOrderParams): QueryOrderResponse {
    const account = this.accountOf(accountId);
    const state = this.symbolState(requireParam(params.symbol, "symbol"));
    const orderIdRaw = optionalParam(params.orderId);
    const clientId = optionalParam(params.origClientOrderId);
    if (orderIdRaw === undefined && clientId === undefined) throw errors.eitherMandatory("orderId", "origClientOrderId");
    let order: OrderState | undefined;
    if (orderIdRaw !== undefined) {
      order = state.orders.get(parseInteger(orderIdRaw, "orderId"));
      if (!order || order.accountId !== account.id) throw errors.noSuchOrder();
      if (clientId !== undefined && order.clientOrderId !== clientId) throw errors.clientOrderIdMismatch();
    } else if (clientId !== undefined) {
      order = account.latestByClientId.get(`${state.symbol}\u0000${clientId}`);
      if (!order) throw errors.noSuchOrder();
    }
    if (!order) throw errors.noSuchOrder();
    return orderView(order);
  }

  allOrders(accountId: AccountId, params: AllOrdersParams): QueryOrderResponse[] {
    return allOrders(this.accountOf(accountId), (symbol) => this.symbolState(symbol), params);
  }

  openOrders(accountId: AccountId, symbol?: string): QueryOrderResponse[] {
    const account = this.accountOf(accountId);
    const symbols = symbol === undefined ? [...account.openBySymbol.keys()] : [this.symbolState(symbol).symbol];
    const out: OrderState[] = [];
    for (const s of symbols) for (const order of account.openBySymbol.get(s)?.values() ?? []) out.push(order);
    out.sort((a, b) => a.time - b.time || a.orderId - b.orderId);
    return out.map((o) => orderView(o));
  }

  cancelAllOpenOrders(accountId: AccountId, symbol: string | undefined): CancelOrderResponse[] {
    const account = this.accountOf(accountId);
    const state = this.symbolState(requireParam(symbol, "symbol"));
    const open = [...(account.openBySymbol.get(state.symbol)?.values() ?? [])].sort((a, b) => a.orderId - b.orderId);
    if (open.length === 0) throw errors.unknownOrder();
    try {
      return open.map((order) => this.cancelResting(account, state, order, undefined));
    } finally {
      this.finishAction();
    }
  }

  amendKeepPriority(accountId: AccountId, params: AmendKeepPriorityParams): AmendKeepPriorityResponse {
    const account = this.accountOf(accountId);
    const state = this.symbolState(requireParam(params.symbol, "symbol"));
    const newQty = parseDecimal(requireParam(params.newQty, "newQty"), "newQty", state.instrument.info.baseAssetPrecision);
    const orderIdRaw = optionalParam(params.orderId);
    const clientId = optionalParam(params.origClientOrderId);
    if (orderIdRaw === undefined && clientId === undefined) throw errors.eitherMandatory("origClientOrderId", "orderId");
    const newClientRaw = optionalParam(params.newClientOrderId);
    if (newClientRaw !== undefined) checkClientOrderId(newClientRaw, "newClientOrderId");
    if (!newQty) throw errors.mandatory("newQty");
    checkLotSize(state.instrument, newQty);
    if (!state.instrument.info.amendAllowed) throw errors.amendRejected("Order amend is not supported for this symbol.");
    const open = account.openOrdersOf(state.symbol);
    let order: OrderState | undefined;
    if (orderIdRaw !== undefined) {
      order = state.orders.get(parseInteger(orderIdRaw, "orderId"));
      if (order && clientId !== undefined && order.clientOrderId !== clientId) order = undefined;
    } else if (clientId !== undefined) {
      order = open.get(clientId);
    }
    if (!order || order.accountId !== account.id || !order.isOpen()) throw errors.amendRejected("Unknown order sent.");
    if (newQty.gt(order.origQty)) throw errors.amendRejected("Order amend (quantity increase) is not supported.");
    if (newQty.eq(order.origQty)) throw errors.amendRejected("The requested action would change no state; rejecting");
    const maxAmends = state.instrument.filter("MAX_NUM_ORDER_AMENDS")?.maxNumOrderAmends;
    if (maxAmends !== undefined && order.amendCount >= maxAmends) throw errors.filter("MAX_NUM_ORDER_AMENDS");
    const newClientOrderId = newClientRaw ?? randomClientOrderId(this.random);
    if (newClientOrderId !== order.clientOrderId && open.has(newClientOrderId)) {
      throw errors.amendRejected("Duplicate order sent.");
    }

    try {
      const now = this.clock.now();
      this.flushDueDepth(state, now);
      const isBid = order.side === "BUY";
      const side = isBid ? state.bids : state.asks;
      const origClientOrderId = order.clientOrderId;
      const oldRemaining = order.remainingQty();
      const newRemaining = Decimal.max(ZERO, newQty.sub(order.executedQty));
      // Shrinks in place: the order keeps its place in the level's queue.
      const level = side.levels.get(order.tick);
      if (level) level.total = level.total.sub(oldRemaining.sub(newRemaining));
      const release = isBid ? order.price.mul(oldRemaining.sub(newRemaining)) : oldRemaining.sub(newRemaining);
      const released = Decimal.min(release, order.locked);
      if (released.gt(0)) {
        account.unlock(isBid ? state.instrument.quoteAsset : state.instrument.baseAsset, released);
        order.locked = order.locked.sub(released);
      }
      account.removeOpen(order);
      order.origQty = Decimal.max(newQty, order.executedQty);
      order.clientOrderId = newClientOrderId;
      order.amendCount++;
      order.updateTime = now;
      account.updateTime = now;
      this.touchedAccounts.add(account);
      account.latestByClientId.set(`${state.symbol}\u0000${newClientOrderId}`, order);
      if (newRemaining.lte(0)) {
        side.remove(order);
        this.releaseLock(account, state, order);
        order.status = "EXPIRED";
      } else {
        account.addOpen(order);
      }
      state.touchOwn(isBid, order.tick, now);
      const executionId = this.counters.nextExecutionId;
      this.report(order, "REPLACED", now, undefined, undefined, origClientOrderId);
      if (order.status === "EXPIRED") this.retire(state, order);
      this.emitBookTicker(state);
      return {
        transactTime: now,
        executionId,
        amendedOrder: amendedOrderView(order, origClientOrderId),
      };
    } finally {
      this.finishAction();
    }
  }

  myTrades(accountId: AccountId, params: MyTradesParams): MyTrade[] {
    const account = this.accountOf(accountId);
    const state = this.symbolState(requireParam(params.symbol, "symbol"));
    const limitRaw = optionalParam(params.limit);
    const limit = limitRaw === undefined ? 500 : Math.min(Math.max(parseInteger(limitRaw, "limit"), 1), 1000);
    const orderIdRaw = optionalParam(params.orderId);
    const fromIdRaw = optionalParam(params.fromId);
    const startRaw = optionalParam(params.startTime);
    const endRaw = optionalParam(params.endTime);
    const orderId = orderIdRaw === undefined ? undefined : parseInteger(orderIdRaw, "orderId");
    const fromId = fromIdRaw === undefined ? undefined : parseInteger(fromIdRaw, "fromId");
    const start = startRaw === undefined ? undefined : parseInteger(startRaw, "startTime");
    const end = endRaw === undefined ? undefined : parseInteger(endRaw, "endTime");
    // The combinations Binance documents: symbol alone, or with orderId, startTime, endTime, fromId,
    // startTime + endTime, or orderId + fromId.
    const given = [orderId, start, end, fromId].map((v) => v !== undefined);
    const combination = given.map((g) => (g ? "1" : "0")).join("");
    if (!["0000", "1000", "0100", "0010", "0001", "0110", "1001"].includes(combination)) {
      throw new ExchangeError(-1128, "Combination of optional parameters invalid.");
    }
    if (start !== undefined && end !== undefined && end - start > 24 * 3600 * 1000) {
      throw new ExchangeError(-1127, "More than 24 hours between startTime and endTime.");
    }
    let trades = account.trades.get(state.symbol) ?? [];
    trades = trades.filter(
      (t) =>
        (orderId === undefined || t.orderId === orderId) &&
        (fromId === undefined || t.id >= fromId) &&
        (start === undefined || t.time >= start) &&
        (end === undefined || t.time <= end),
    );
    const selected = fromId !== undefined || start !== undefined ? trades.slice(0, limit) : trades.slice(-limit);
    return selected.map((t) => ({ ...t }));
  }

  // ------------------------------------------------------------------------------------------------------
  // Subscriptions and simulation control

  onMarketEvent(symbol: string, listener: (event: MarketEvent) => void): Unsubscribe {
    const state = this.symbolState(symbol);
    state.listeners.add(listener);
    return () => state.listeners.delete(listener);
  }

  onUserEvent(accountId: AccountId, listener: (event: UserEvent) => void): Unsubscribe {
    this.accountOf(accountId);
    let set = this.userListeners.get(accountId);
    if (!set) {
      set = new Set();
      this.userListeners.set(accountId, set);
    }
    set.add(listener);
    const listeners = set;
    return () => listeners.delete(listener);
  }

  tick(): void {
    const now = this.clock.now();
    try {
      for (const state of this.states.values()) {
        state.market.advance(now, (step) => this.applyMarketStep(state, step));
        this.emitBookTicker(state);
        this.flushDueDepth(state, now);
      }
    } finally {
      this.finishAction();
    }
  }

  setSymbolStatus(symbol: string, status: SymbolStatus): void {
    if (!SYMBOL_STATUSES.includes(status)) throw errors.invalidSymbolStatus();
    this.symbolState(symbol).status = status;
  }

  nextEventTime(): number | undefined {
    let next: number | undefined;
    const consider = (t: number | undefined): void => {
      if (t !== undefined && (next === undefined || t < next)) next = t;
    };
    for (const state of this.states.values()) {
      consider(state.market.nextStepTime());
      consider(state.batch100.dueAt);
      consider(state.batch1000.dueAt);
    }
    return next;
  }

  /** Whether a finite market (replay) has played to its end on every symbol. */
  marketsFinished(): boolean {
    for (const state of this.states.values()) if (!state.market.finished) return false;
    return true;
  }

  /** The durable parts, for the state store (durable-state.ts) to save and restore; nothing else uses them. */
  internals(): ExchangeInternals {
    return {
      states: this.states,
      accounts: this.accounts,
      accountsByKey: this.accountsByKey,
      counters: this.counters,
      retainClosedOrders: this.retainClosedOrders,
      retainTrades: this.retainTrades,
      retire: (state, order) => this.retire(state, order),
    };
  }

  /** Hears every change to an account, order or trade history from now on (one recorder at a time). */
  attachRecorder(recorder: ChangeRecorder | undefined): void {
    this.recorder = recorder;
  }

  // ------------------------------------------------------------------------------------------------------
  // New orders

  private checkNewOrderFilters(account: AccountState, state: SymbolState, spec: NewOrderSpec, now: number): void {
    checkFilters(spec, {
      averagePrice: state.averagePrice(now),
      openOrdersOnSymbol: account.openOrdersOf(state.symbol).size,
      openOrdersOnExchange: account.openCount,
      exchangeMaxNumOrders: this.exchangeMaxNumOrders,
    });
  }

  private executeNewOrder(account: AccountState, spec: NewOrderSpec): NewOrderResponse {
    const state = this.symbolState(spec.instrument.symbol);
    const now = this.clock.now();
    this.flushDueDepth(state, now);
    const open = account.openOrdersOf(state.symbol);
    this.checkNewOrderFilters(account, state, spec, now);
    if (!account.canTrade) throw errors.tradingDisabled();
    if (state.status !== "TRADING") throw errors.marketClosed();
    if (spec.newClientOrderId !== undefined && open.has(spec.newClientOrderId)) throw errors.duplicateOrder();

    const { instrument } = spec;
    const isBuy = spec.side === "BUY";
    const price = spec.price ?? ZERO;
    const tick = spec.price ? instrument.tickOf(spec.price) : 0;

    if (spec.type === "LIMIT_MAKER") {
      const opposite = isBuy ? state.bestAskTick() : state.bestBidTick();
      if (opposite !== undefined && (isBuy ? opposite <= tick : opposite >= tick)) throw errors.wouldMatch();
    }

    // Funds: limit orders reserve their full cost; market orders must be coverable by the visible book.
    let lockAmount = ZERO;
    const lockAsset = isBuy ? instrument.quoteAsset : instrument.baseAsset;
    const free = account.balance(lockAsset).free;
    if (spec.type !== "MARKET") {
      lockAmount = isBuy ? price.mul(spec.quantity ?? ZERO) : (spec.quantity ?? ZERO);
      if (free.lt(lockAmount)) throw errors.insufficientBalance();
    } else {
      const need = this.marketOrderCost(state, spec);
      if (free.lt(need)) throw errors.insufficientBalance();
    }

    const clientOrderId = spec.newClientOrderId ?? randomClientOrderId(this.random);
    const order = new OrderState(
      account.id,
      state.symbol,
      state.nextOrderId++,
      clientOrderId,
      spec.side,
      spec.type,
      spec.timeInForce,
      price,
      tick,
      spec.quoteOrderQty ? this.quoteOrderPlan(state, isBuy, spec.quoteOrderQty) : (spec.quantity ?? ZERO),
      spec.quoteOrderQty ?? ZERO,
      now,
      "NONE",
    );
    state.orders.set(order.orderId, order);
    account.latestByClientId.set(`${state.symbol}\u0000${clientOrderId}`, order);
    if (lockAmount.gt(0)) {
      account.lock(lockAsset, lockAmount);
      order.locked = lockAmount;
    }
    account.updateTime = now;
    this.touchedAccounts.add(account);
    this.report(order, "NEW", now);

    this.takerFills = [];
    if (spec.type === "MARKET") {
      this.sweep(state, order, undefined);
      if (order.remainingQty().gt(0) || order.origQty.lte(0)) this.expire(state, order, now);
    } else if (spec.type === "LIMIT") {
      const fokBlocked = spec.timeInForce === "FOK" && this.availableTo(state, order).lt(order.origQty);
      if (!fokBlocked) this.sweep(state, order, order.tick);
      if (order.remainingQty().gt(0)) {
        if (spec.timeInForce === "GTC") this.rest(state, account, order, now);
        else this.expire(state, order, now);
      }
    } else {
      this.rest(state, account, order, now);
    }
    this.emitBookTicker(state);
    return newOrderView(order, spec.respType, now, this.takerFills);
  }

  /** Quote needed for a MARKET BUY (or base for a SELL), walking the visible opposite book. */
  private marketOrderCost(state: SymbolState, spec: NewOrderSpec): Decimal {
    const isBuy = spec.side === "BUY";
    if (spec.quoteOrderQty) return isBuy ? spec.quoteOrderQty : this.quoteOrderPlan(state, false, spec.quoteOrderQty);
    const quantity = spec.quantity ?? ZERO;
    if (!isBuy) return quantity;
    let left = quantity;
    let cost = ZERO;
    for (const [p, q] of state.levels(false, 5000)) {
      const qty = Decimal.min(new Dec(q), left);
      cost = cost.add(qty.mul(p));
      left = left.sub(qty);
      if (left.lte(0)) break;
    }
    return cost;
  }

  /** Quantity a LIMIT order could take right now within its price (for FOK). */
  private availableTo(state: SymbolState, order: OrderState): Decimal {
    const isBuy = order.side === "BUY";
    let total = ZERO;
    for (const [p, q] of state.levels(!isBuy, 5000)) {
      const tick = state.instrument.tickOf(new Dec(p));
      if (isBuy ? tick > order.tick : tick < order.tick) break;
      total = total.add(q);
      if (total.gte(order.origQty)) break;
    }
    return total;
  }

  private lotStep(state: SymbolState): Decimal {
    const market = state.instrument.filter("MARKET_LOT_SIZE");
    if (market && new Dec(market.stepSize).gt(0)) return new Dec(market.stepSize);
    const lot = state.instrument.filter("LOT_SIZE");
    return lot ? new Dec(lot.stepSize) : new Dec("0.00000001");
  }

  /**
   * The quantity a quote-quantity MARKET order executes: whole lot steps, level by level, until the quote is
   * spent (BUY) or raised (SELL). Binance reports it as the order's origQty.
   */
  private quoteOrderPlan(state: SymbolState, isBuy: boolean, quote: Decimal): Decimal {
    const step = this.lotStep(state);
    let quoteLeft = quote;
    let total = ZERO;
    for (const [p, q] of state.levels(!isBuy, 5000)) {
      const price = new Dec(p);
      const affordable = quoteLeft.div(price).div(step).floor().mul(step);
      const take = Decimal.min(new Dec(q), affordable);
      if (take.lte(0)) break;
      total = total.add(take);
      quoteLeft = quoteLeft.sub(take.mul(price));
    }
    return total;
  }

  /**
   * Takes liquidity from the opposite side in price priority, up to `limitTick`. At each price the public
   * quantity (there first) fills before API orders, which fill in time priority.
   */
  private sweep(state: SymbolState, order: OrderState, limitTick: number | undefined): void {
    const isBuy = order.side === "BUY";
    const apiSide = isBuy ? state.asks : state.bids;
    const pubSide = isBuy ? state.publicAsks : state.publicBids;
    while (order.remainingQty().gt(0)) {
      const tick = isBuy ? state.bestAskTick() : state.bestBidTick();
      if (tick === undefined) return;
      if (limitTick !== undefined && (isBuy ? tick > limitTick : tick < limitTick)) return;
      const price = state.instrument.priceOfTick(tick);
      const pubQty = pubSide.qtyAt(tick);
      if (pubQty.gt(0)) {
        const qty = Decimal.min(pubQty, order.remainingQty());
        pubSide.set(tick, pubQty.sub(qty));
        state.touchOwn(!isBuy, tick, this.clock.now());
        this.trade(state, price, qty, { taker: order, maker: undefined, takerIsBuyer: isBuy });
        continue;
      }
      const maker = apiSide.levels.get(tick)?.head;
      if (!maker) return;
      this.trade(state, price, Decimal.min(maker.remainingQty(), order.remainingQty()), {
        taker: order,
        maker,
        takerIsBuyer: isBuy,
      });
    }
  }

  private rest(state: SymbolState, account: AccountState, order: OrderState, now: number): void {
    const isBid = order.side === "BUY";
    if (this.queuePosition) order.queueAhead = (isBid ? state.publicBids : state.publicAsks).qtyAt(order.tick);
    (isBid ? state.bids : state.asks).add(order);
    account.addOpen(order);
    state.touchOwn(isBid, order.tick, now);
  }

  private expire(state: SymbolState, order: OrderState, now: number): void {
    const account = this.accountOf(order.accountId);
    this.releaseLock(account, state, order);
    order.status = "EXPIRED";
    order.updateTime = now;
    this.report(order, "EXPIRED", now);
    this.retire(state, order);
  }

  private releaseLock(account: AccountState, state: SymbolState, order: OrderState): void {
    if (order.locked.gt(0)) {
      account.unlock(order.side === "BUY" ? state.instrument.quoteAsset : state.instrument.baseAsset, order.locked);
      order.locked = ZERO;
      this.touchedAccounts.add(account);
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Trades and settlement

  /** One trade between a taker and a maker (either may be the public market); settles API sides. */
  private trade(
    state: SymbolState,
    price: Decimal,
    qty: Decimal,
    parties: TradeParties,
    recordedTradeId?: number,
    time = this.clock.now(),
  ): void {
    const quote = price.mul(qty);
    const tradeId = state.nextTradeId(recordedTradeId);
    const { taker, maker } = parties;
    if (maker) {
      this.settle(state, maker, price, qty, quote, true, tradeId, time);
      (maker.side === "BUY" ? state.bids : state.asks).reduce(maker, qty);
      state.touchOwn(maker.side === "BUY", maker.tick, time);
    }
    if (taker) this.settle(state, taker, price, qty, quote, false, tradeId, time);
    const buyerIsMaker = !parties.takerIsBuyer;
    const p = fmt(price);
    const q = fmt(qty);
    state.recordTrade(
      { id: tradeId, price: p, qty: q, quoteQty: fmt(quote), time, isBuyerMaker: buyerIsMaker, isBestMatch: true },
      price,
      qty,
      quote,
    );
    this.pendingMarket.push({
      state,
      event: {
        stream: "trade",
        data: { e: "trade", E: time, s: state.symbol, t: tradeId, p, q, T: time, m: buyerIsMaker, M: true },
      },
    });
    const aggId = state.nextAggTradeId++;
    this.pendingMarket.push({
      state,
      event: {
        stream: "aggTrade",
        data: { e: "aggTrade", E: time, s: state.symbol, a: aggId, p, q, f: tradeId, l: tradeId, T: time, m: buyerIsMaker, M: true },
      },
    });
  }

  private settle(
    state: SymbolState,
    order: OrderState,
    price: Decimal,
    qty: Decimal,
    quote: Decimal,
    isMaker: boolean,
    tradeId: number,
    time: number,
  ): void {
    const account = this.accountOf(order.accountId);
    const { baseAsset, quoteAsset } = state.instrument;
    const rate = isMaker ? account.makerRate : account.takerRate;
    const isBuy = order.side === "BUY";
    const hasReservation = order.type !== "MARKET" && order.locked.gt(0);
    let commission: Decimal;
    let commissionAsset: string;
    if (isBuy) {
      commission = qty.mul(rate).toDecimalPlaces(8, Decimal.ROUND_UP);
      commissionAsset = baseAsset;
      if (hasReservation) {
        // The reservation was at the limit price; a better fill returns the difference.
        const reserved = Decimal.min(order.price.mul(qty), order.locked);
        account.spendLocked(quoteAsset, reserved);
        account.credit(quoteAsset, reserved.sub(quote));
        order.locked = order.locked.sub(reserved);
      } else {
        account.credit(quoteAsset, quote.neg());
      }
      account.credit(baseAsset, qty.sub(commission));
    } else {
      commission = quote.mul(rate).toDecimalPlaces(8, Decimal.ROUND_UP);
      commissionAsset = quoteAsset;
      if (hasReservation) {
        const reserved = Decimal.min(qty, order.locked);
        account.spendLocked(baseAsset, reserved);
        order.locked = order.locked.sub(reserved);
      } else {
        account.credit(baseAsset, qty.neg());
      }
      account.credit(quoteAsset, quote.sub(commission));
    }
    order.executedQty = order.executedQty.add(qty);
    order.cumQuote = order.cumQuote.add(quote);
    order.updateTime = time;
    const filled = order.remainingQty().lte(0);
    order.status = filled ? "FILLED" : "PARTIALLY_FILLED";
    account.updateTime = time;
    this.touchedAccounts.add(account);
    if (filled) {
      this.releaseLock(account, state, order);
      account.removeOpen(order);
    }
    const myTrade: MyTrade = {
      symbol: state.symbol,
      id: tradeId,
      orderId: order.orderId,
      orderListId: -1,
      price: fmt(price),
      qty: fmt(qty),
      quoteQty: fmt(quote),
      commission: fmt(commission),
      commissionAsset,
      time,
      isBuyer: isBuy,
      isMaker,
      isBestMatch: true,
    };
    const history = account.tradesOf(state.symbol);
    history.push(myTrade);
    this.recorder?.tradeRecorded(account, myTrade);
    if (history.length > this.retainTrades * 2) history.splice(0, history.length - this.retainTrades);
    if (!isMaker) {
      this.takerFills.push({ price: myTrade.price, qty: myTrade.qty, commission: myTrade.commission, commissionAsset, tradeId });
    }
    this.report(order, "TRADE", time, { price, qty, commission, commissionAsset, tradeId, isMaker });
    if (filled) this.retire(state, order);
  }

  /** Keeps the newest closed orders queryable and forgets older ones (Binance archives them too). */
  private retire(state: SymbolState, order: OrderState): void {
    state.closedOrderIds.push(order.orderId);
    if (state.closedOrderIds.length - state.closedHead <= this.retainClosedOrders) return;
    const oldest = state.orders.get(state.closedOrderIds[state.closedHead++] as number);
    if (oldest) {
      state.orders.delete(oldest.orderId);
      const account = this.accounts.get(oldest.accountId);
      const key = `${state.symbol}\u0000${oldest.clientOrderId}`;
      if (account?.latestByClientId.get(key) === oldest) account.latestByClientId.delete(key);
    }
    if (state.closedHead > 4096 && state.closedHead * 2 > state.closedOrderIds.length) {
      state.closedOrderIds.splice(0, state.closedHead);
      state.closedHead = 0;
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Cancels

  private executeCancel(
    account: AccountState,
    state: SymbolState,
    req: {
      orderId: string | undefined;
      origClientOrderId: string | undefined;
      newClientOrderId: string | undefined;
      cancelRestrictions: string | undefined;
      idNames: [string, string];
    },
  ): CancelOrderResponse {
    if (req.orderId === undefined && req.origClientOrderId === undefined) {
      throw errors.eitherMandatory(req.idNames[1], req.idNames[0]);
    }
    if (
      req.cancelRestrictions !== undefined &&
      req.cancelRestrictions !== "ONLY_NEW" &&
      req.cancelRestrictions !== "ONLY_PARTIALLY_FILLED"
    ) {
      throw errors.invalidCancelRestrictions();
    }
    if (req.newClientOrderId !== undefined) checkClientOrderId(req.newClientOrderId, "newClientOrderId");
    let order: OrderState | undefined;
    if (req.orderId !== undefined) {
      order = state.orders.get(parseInteger(req.orderId, req.idNames[0]));
      if (order && req.origClientOrderId !== undefined && order.clientOrderId !== req.origClientOrderId) {
        order = undefined;
      }
    } else if (req.origClientOrderId !== undefined) {
      order = account.openBySymbol.get(state.symbol)?.get(req.origClientOrderId);
    }
    if (!order || order.accountId !== account.id || !order.isOpen()) throw errors.unknownOrder();
    if (req.cancelRestrictions === "ONLY_NEW" && order.status !== "NEW") throw errors.cancelRestricted();
    if (req.cancelRestrictions === "ONLY_PARTIALLY_FILLED" && order.status !== "PARTIALLY_FILLED") {
      throw errors.cancelRestricted();
    }
    return this.cancelResting(account, state, order, req.newClientOrderId);
  }

  private cancelResting(
    account: AccountState,
    state: SymbolState,
    order: OrderState,
    cancelClientOrderId: string | undefined,
  ): CancelOrderResponse {
    const now = this.clock.now();
    this.flushDueDepth(state, now);
    const isBid = order.side === "BUY";
    (isBid ? state.bids : state.asks).remove(order);
    state.touchOwn(isBid, order.tick, now);
    account.removeOpen(order);
    this.releaseLock(account, state, order);
    order.status = "CANCELED";
    order.updateTime = now;
    account.updateTime = now;
    this.touchedAccounts.add(account);
    const cancelId = cancelClientOrderId ?? randomClientOrderId(this.random);
    this.report(order, "CANCELED", now, undefined, cancelId);
    this.retire(state, order);
    this.emitBookTicker(state);
    return cancelView(order, cancelId, now);
  }

  // ------------------------------------------------------------------------------------------------------
  // The public market

  private applyMarketStep(state: SymbolState, step: MarketStep): void {
    const { instrument } = state;
    const time = step.time;
    this.flushDueDepth(state, time);
    let recordedTradeId = step.firstTradeId;
    for (const trade of step.trades) {
      const price = new Dec(trade.price);
      const qty = new Dec(trade.qty);
      this.fillFromPublicTrade(state, instrument.tickOfString(trade.price), qty, trade.buyerIsMaker, time);
      const buyerIsMaker = trade.buyerIsMaker;
      this.trade(state, price, qty, { taker: undefined, maker: undefined, takerIsBuyer: !buyerIsMaker }, recordedTradeId, time);
      if (recordedTradeId !== undefined) recordedTradeId++;
    }
    if (step.reset || step.levels.length > 0) {
      if (step.reset) {
        state.publicBids.clear();
        state.publicAsks.clear();
      }
      for (const level of step.levels) {
        const isBid = level.side === "bid";
        const tick = instrument.tickOfString(level.price);
        const qty = new Dec(level.qty);
        (isBid ? state.publicBids : state.publicAsks).set(tick, qty);
        state.touchPublic(isBid, tick, time);
        if (this.queuePosition) {
          for (let o = (isBid ? state.bids : state.asks).levels.get(tick)?.head; o; o = o.next) {
            if (o.queueAhead.gt(qty)) o.queueAhead = qty;
          }
        }
      }
      state.advanceUpdateId(step.lastUpdateId);
      if (step.reset) {
        // A replaced book starts the diff streams afresh: a client's next U follows the new snapshot's id,
        // so one holding the old book sees a gap and resyncs, as on Binance.
        for (const batch of [state.batch100, state.batch1000]) {
          batch.clear();
          batch.lastEmittedId = state.updateId;
        }
      }
      this.fillFromCrossingBook(state, time);
    }
    this.emitBookTicker(state);
  }

  /**
   * A public print at `tick` fills our resting orders it traded at or through: orders better than the print
   * fill completely; orders at the print's price fill with what is left of it after the public quantity ahead.
   */
  private fillFromPublicTrade(state: SymbolState, tick: number, qty: Decimal, sellerAggressor: boolean, time: number): void {
    const side = sellerAggressor ? state.bids : state.asks;
    for (;;) {
      const best = side.best();
      if (!best) return;
      const through = sellerAggressor ? best.tick > tick : best.tick < tick;
      const at = best.tick === tick;
      if (!through && !at) return;
      if (through) {
        const maker = best.head as OrderState;
        this.trade(state, maker.price, maker.remainingQty(), { taker: undefined, maker, takerIsBuyer: !sellerAggressor }, undefined, time);
        continue;
      }
      let printLeft = qty;
      let o: OrderState | undefined = best.head;
      while (o && printLeft.gt(0)) {
        const next: OrderState | undefined = o.next;
        const ahead = this.queuePosition ? o.queueAhead : ZERO;
        const reach = printLeft.sub(ahead);
        if (this.queuePosition) o.queueAhead = Decimal.max(ZERO, ahead.sub(printLeft));
        if (reach.gt(0)) {
          const fill = Decimal.min(reach, o.remainingQty());
          this.trade(state, o.price, fill, { taker: undefined, maker: o, takerIsBuyer: !sellerAggressor }, undefined, time);
          printLeft = printLeft.sub(fill);
        }
        o = next;
      }
      return;
    }
  }

  /** A public level that crosses our resting order trades with it at our price (the public order took). */
  private fillFromCrossingBook(state: SymbolState, time: number): void {
    for (const ourBids of [true, false]) {
      const ours = ourBids ? state.bids : state.asks;
      const theirs = ourBids ? state.publicAsks : state.publicBids;
      for (;;) {
        const ourTick = ours.bestTick();
        const theirTick = theirs.bestTick();
        if (ourTick === undefined || theirTick === undefined) break;
        if (ourBids ? theirTick > ourTick : theirTick < ourTick) break;
        const maker = ours.best()?.head as OrderState;
        const available = theirs.qtyAt(theirTick);
        const qty = Decimal.min(available, maker.remainingQty());
        theirs.set(theirTick, available.sub(qty));
        state.touchPublic(!ourBids, theirTick, time);
        this.trade(state, maker.price, qty, { taker: undefined, maker, takerIsBuyer: !ourBids }, undefined, time);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Streams

  private tickerOf(state: SymbolState): BookTickerResponse {
    const bid = state.bestBidTick();
    const ask = state.bestAskTick();
    return {
      symbol: state.symbol,
      bidPrice: bid === undefined ? "0.00000000" : state.formatPrice(bid),
      bidQty: bid === undefined ? "0.00000000" : fmt(state.mergedQty(true, bid)),
      askPrice: ask === undefined ? "0.00000000" : state.formatPrice(ask),
      askQty: ask === undefined ? "0.00000000" : fmt(state.mergedQty(false, ask)),
    };
  }

  private emitBookTicker(state: SymbolState): void {
    // Called on every tick and order action: compare ticks and quantities before formatting anything.
    const bid = state.bestBidTick();
    const ask = state.bestAskTick();
    const bidQty = bid === undefined ? ZERO : state.mergedQty(true, bid);
    const askQty = ask === undefined ? ZERO : state.mergedQty(false, ask);
    const last = state.lastTicker;
    if (last !== undefined && last.bid === bid && last.ask === ask && last.bidQty.eq(bidQty) && last.askQty.eq(askQty)) return;
    state.lastTicker = { bid, ask, bidQty, askQty };
    const t = this.tickerOf(state);
    this.pendingMarket.push({
      state,
      event: {
        stream: "bookTicker",
        data: { u: state.updateId, s: state.symbol, b: t.bidPrice, B: t.bidQty, a: t.askPrice, A: t.askQty },
      },
    });
  }

  /** Closes the depth batches whose window ended at or before `now`, before anything newer changes the book. */
  private flushDueDepth(state: SymbolState, now: number): void {
    this.flushDepth(state, state.batch100, "depth@100ms", now);
    this.flushDepth(state, state.batch1000, "depth", now);
  }

  private flushDepth(
    state: SymbolState,
    batch: SymbolState["batch100"],
    stream: "depth@100ms" | "depth",
    now: number,
  ): void {
    if (batch.dueAt === undefined || now < batch.dueAt) return;
    if (state.updateId <= batch.lastEmittedId) {
      batch.clear();
      return;
    }
    const level = (isBid: boolean, tick: number): [string, string] => [
      state.formatPrice(tick),
      fmt(state.mergedQty(isBid, tick)),
    ];
    const bids = [...batch.bidTicks].sort((a, b) => b - a).map((t) => level(true, t));
    const asks = [...batch.askTicks].sort((a, b) => a - b).map((t) => level(false, t));
    this.pendingMarket.push({
      state,
      event: {
        stream,
        data: {
          e: "depthUpdate",
          E: now,
          s: state.symbol,
          U: batch.lastEmittedId + 1,
          u: state.updateId,
          b: bids,
          a: asks,
        },
      },
    });
    batch.lastEmittedId = state.updateId;
    batch.clear();
  }

  private report(
    order: OrderState,
    x: ExecutionType,
    time: number,
    fill?: FillDetail,
    cancelClientOrderId?: string,
    replacedClientOrderId?: string,
  ): void {
    const event = executionReport(order, x, time, this.counters.nextExecutionId++, fill, cancelClientOrderId);
    if (replacedClientOrderId !== undefined) event.C = replacedClientOrderId;
    this.recorder?.orderChanged(order);
    this.pendingUser.push({ accountId: order.accountId, event });
  }

  /** Ends an action: one outboundAccountPosition per touched account, then every queued event in order. */
  private finishAction(): void {
    const now = this.clock.now();
    for (const account of this.touchedAccounts) {
      this.recorder?.accountChanged(account);
      if (account.dirtyAssets.size === 0) continue;
      const B = [...account.dirtyAssets].map((asset) => {
        const b = account.balance(asset);
        return { a: asset, f: fmt(b.free), l: fmt(b.locked) };
      });
      account.dirtyAssets.clear();
      this.pendingUser.push({
        accountId: account.id,
        event: { e: "outboundAccountPosition", E: now, u: account.updateTime, B },
      });
    }
    this.touchedAccounts.clear();
    if (this.flushing) return;
    this.flushing = true;
    try {
      let mi = 0;
      let ui = 0;
      while (mi < this.pendingMarket.length || ui < this.pendingUser.length) {
        while (mi < this.pendingMarket.length) {
          const { state, event } = this.pendingMarket[mi++] as PendingMarketEvent;
          for (const listener of state.listeners) this.deliver(listener, event);
        }
        while (ui < this.pendingUser.length) {
          const { accountId, event } = this.pendingUser[ui++] as PendingUserEvent;
          for (const listener of this.userListeners.get(accountId) ?? []) this.deliver(listener, event);
        }
      }
    } finally {
      this.pendingMarket.length = 0;
      this.pendingUser.length = 0;
      this.flushing = false;
    }
  }

  /** A failing listener must not turn a completed exchange action into an error for its caller. */
  private deliver<E>(listener: (event: E) => void, event: E): void {
    try {
      listener(event);
    } catch (error) {
      this.onListenerError(error);
    }
  }

  private symbolState(symbol: string): SymbolState {
    const state = this.states.get(symbol);
    if (!state) throw errors.invalidSymbol();
    return state;
  }

  private accountOf(accountId: AccountId): AccountState {
    const account = this.accounts.get(accountId);
    if (!account) throw new ExchangeError(-2015, "Invalid API-key, IP, or permissions for action.", 401);
    return account;
  }
}

/** The symbol's LOT_SIZE step, if it has a usable one, so a default synthetic market trades in whole steps. */
function lotStepSize(instrument: Instrument): string | undefined {
  const step = instrument.filter("LOT_SIZE")?.stepSize;
  return step !== undefined && new Dec(step).gt(0) ? step : undefined;
}

function cancelReplaceError(partial: boolean, data: CancelReplaceFailureData): ExchangeError {
  return partial
    ? new ExchangeError(-2021, errors.cancelReplacePartiallyFailed(), 409, data)
    : new ExchangeError(-2022, errors.cancelReplaceFailed(), 400, data);
}
