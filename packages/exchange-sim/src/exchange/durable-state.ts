// What of the exchange outlives a restart, as plain JSON records: accounts (keys, balances, rates), orders (open
// ones with their place in the book, closed ones for queryOrder), each account's trades (myTrades) and every id
// sequence. The market itself (the synthetic or replayed public book) is not kept: it starts afresh, and the
// restored resting orders wait in the new book, matchable as before. No IO here: the state store writes these.
import { AccountState } from "./accounts/account-state";
import { Dec } from "./num";
import { OrderState } from "./order";
import type { SymbolState } from "./symbol-state";
import type { AccountId, MyTrade, OrderSide, OrderStatus, OrderType, SelfTradePreventionMode, TimeInForce } from "./venue";

/** The exchange's durable structures, lent to the state store by `SimulatedExchange.internals()`. */
export interface ExchangeInternals {
  states: ReadonlyMap<string, SymbolState>;
  accounts: Map<AccountId, AccountState>;
  accountsByKey: Map<string, AccountState>;
  counters: { nextExecutionId: number; nextAccountNumber: number };
  retainClosedOrders: number;
  retainTrades: number;
  retire(state: SymbolState, order: OrderState): void;
}

/** Told of every change as the exchange makes it, so the store writes only what changed. */
export interface ChangeRecorder {
  accountChanged(account: AccountState): void;
  orderChanged(order: OrderState): void;
  tradeRecorded(account: AccountState, trade: MyTrade): void;
}

export interface AccountRecord {
  id: AccountId;
  apiKey: string;
  secret: string;
  uid: number;
  canTrade: boolean;
  makerRate: string;
  takerRate: string;
  updateTime: number;
  /** asset -> [free, locked] */
  balances: Record<string, [string, string]>;
}

export interface OrderRecord {
  accountId: AccountId;
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  price: string;
  origQty: string;
  origQuoteOrderQty: string;
  executedQty: string;
  cumQuote: string;
  status: OrderStatus;
  time: number;
  updateTime: number;
  amendCount: number;
  queueAhead: string;
  locked: string;
  selfTradePreventionMode: SelfTradePreventionMode;
}

export interface SymbolSequences {
  nextOrderId: number;
  lastTradeId: number;
  tradeIdOffset: number;
  nextAggTradeId: number;
  /** The last trade's price, where a restarted synthetic market resumes. */
  lastPrice?: string;
}

export interface Sequences {
  nextExecutionId: number;
  nextAccountNumber: number;
  symbols: Record<string, SymbolSequences>;
}

/** Everything durable, as the store keeps it in memory while it reads a snapshot and its journal. */
export class DurableState {
  readonly accounts = new Map<AccountId, AccountRecord>();
  /** By `symbol\0orderId`. */
  readonly orders = new Map<string, OrderRecord>();
  /** accountId -> symbol -> trades, oldest first. */
  readonly trades = new Map<AccountId, Map<string, MyTrade[]>>();
  readonly revokedKeys = new Set<string>();
  sequences: Sequences = { nextExecutionId: 1, nextAccountNumber: 1, symbols: {} };

  putOrder(order: OrderRecord): void {
    this.orders.set(`${order.symbol}\u0000${order.orderId}`, order);
  }

  addTrade(accountId: AccountId, trade: MyTrade): void {
    let bySymbol = this.trades.get(accountId);
    if (!bySymbol) {
      bySymbol = new Map();
      this.trades.set(accountId, bySymbol);
    }
    let list = bySymbol.get(trade.symbol);
    if (!list) {
      list = [];
      bySymbol.set(trade.symbol, list);
    }
    list.push(trade);
  }
}

export function accountRecord(account: AccountState): AccountRecord {
  const balances: Record<string, [string, string]> = {};
  for (const [asset, b] of account.balances) balances[asset] = [b.free.toFixed(), b.locked.toFixed()];
  return {
    id: account.id,
    apiKey: account.apiKey,
    secret: account.secret,
    uid: account.uid,
    canTrade: account.canTrade,
    makerRate: account.makerRate.toFixed(),
    takerRate: account.takerRate.toFixed(),
    updateTime: account.updateTime,
    balances,
  };
}

export function orderRecord(order: OrderState): OrderRecord {
  return {
    accountId: order.accountId,
    symbol: order.symbol,
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    price: order.price.toFixed(),
    origQty: order.origQty.toFixed(),
    origQuoteOrderQty: order.origQuoteOrderQty.toFixed(),
    executedQty: order.executedQty.toFixed(),
    cumQuote: order.cumQuote.toFixed(),
    status: order.status,
    time: order.time,
    updateTime: order.updateTime,
    amendCount: order.amendCount,
    queueAhead: order.queueAhead.toFixed(),
    locked: order.locked.toFixed(),
    selfTradePreventionMode: order.selfTradePreventionMode,
  };
}

export function sequencesOf(internals: ExchangeInternals): Sequences {
  const symbols: Record<string, SymbolSequences> = {};
  for (const [symbol, state] of internals.states) {
    symbols[symbol] = {
      nextOrderId: state.nextOrderId,
      lastTradeId: state.lastTradeId,
      tradeIdOffset: state.tradeIdOffset,
      nextAggTradeId: state.nextAggTradeId,
      ...(state.lastPrice !== undefined ? { lastPrice: state.lastPrice.toFixed() } : {}),
    };
  }
  return { ...internals.counters, symbols };
}

/**
 * Loads a durable state into a freshly built exchange (no accounts yet). Resting orders go back into the book
 * in orderId order, which is their time priority (an order joins the book only when placed). Sequences continue
 * from the saved ones; after a crash they skip `skipAhead` ids, since the last moments before it may have given
 * out ids (to orders acknowledged, trades streamed) that were never written.
 */
export function restoreState(internals: ExchangeInternals, durable: DurableState, skipAhead = 0): void {
  if (internals.accounts.size > 0) throw new Error("restoreState needs an exchange without accounts");
  const unknownSymbols = new Set<string>();
  for (const order of durable.orders.values()) if (!internals.states.has(order.symbol)) unknownSymbols.add(order.symbol);
  if (unknownSymbols.size > 0) {
    throw new Error(
      `the saved state has orders on ${[...unknownSymbols].join(", ")}, which this simulator does not list: start it with those symbols`,
    );
  }
  for (const record of durable.accounts.values()) {
    const account = new AccountState(
      record.id,
      record.apiKey,
      record.secret,
      { apiKey: record.apiKey, secret: record.secret, balances: {}, commission: { maker: record.makerRate, taker: record.takerRate }, uid: record.uid, canTrade: record.canTrade },
      record.uid,
    );
    for (const [asset, [free, locked]] of Object.entries(record.balances)) {
      account.balances.set(asset, { free: new Dec(free), locked: new Dec(locked) });
    }
    account.updateTime = record.updateTime;
    internals.accounts.set(account.id, account);
    internals.accountsByKey.set(account.apiKey, account);
  }

  const orders = [...durable.orders.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.orderId - b.orderId));
  const closed: { state: SymbolState; order: OrderState }[] = [];
  for (const record of orders) {
    const account = internals.accounts.get(record.accountId);
    const state = internals.states.get(record.symbol) as SymbolState;
    if (!account) throw new Error(`the saved state has order ${record.orderId} of unknown account ${record.accountId}`);
    const order = orderOf(record, state);
    state.orders.set(order.orderId, order);
    account.latestByClientId.set(`${state.symbol}\u0000${order.clientOrderId}`, order);
    if (order.isOpen()) {
      const isBid = order.side === "BUY";
      (isBid ? state.bids : state.asks).add(order);
      account.addOpen(order);
      state.touchOwn(isBid, order.tick, order.updateTime);
    } else {
      closed.push({ state, order });
    }
  }
  // Retire closed orders in the order they closed, so retention forgets the oldest first, as it did before.
  closed.sort((a, b) => a.order.updateTime - b.order.updateTime || a.order.orderId - b.order.orderId);
  for (const { state, order } of closed) internals.retire(state, order);

  for (const [accountId, bySymbol] of durable.trades) {
    const account = internals.accounts.get(accountId);
    if (!account) continue;
    for (const [symbol, list] of bySymbol) {
      const sorted = [...list].sort((a, b) => a.id - b.id);
      account.trades.set(symbol, sorted.length > internals.retainTrades ? sorted.slice(-internals.retainTrades) : sorted);
    }
  }

  const saved = durable.sequences;
  if (durable.accounts.size === 0 && durable.orders.size === 0) return;
  internals.counters.nextExecutionId = saved.nextExecutionId + skipAhead;
  internals.counters.nextAccountNumber = Math.max(internals.counters.nextAccountNumber, saved.nextAccountNumber);
  for (const [symbol, state] of internals.states) {
    const ids = saved.symbols[symbol];
    if (!ids) continue;
    state.nextOrderId = ids.nextOrderId + skipAhead;
    state.lastTradeId = ids.lastTradeId + skipAhead;
    state.tradeIdOffset = ids.tradeIdOffset + skipAhead;
    state.nextAggTradeId = ids.nextAggTradeId + skipAhead;
  }
}

function orderOf(record: OrderRecord, state: SymbolState): OrderState {
  const price = new Dec(record.price);
  const order = new OrderState(
    record.accountId,
    record.symbol,
    record.orderId,
    record.clientOrderId,
    record.side,
    record.type,
    record.timeInForce,
    price,
    price.gt(0) ? state.instrument.tickOf(price) : 0,
    new Dec(record.origQty),
    new Dec(record.origQuoteOrderQty),
    record.time,
    record.selfTradePreventionMode,
  );
  order.executedQty = new Dec(record.executedQty);
  order.cumQuote = new Dec(record.cumQuote);
  order.status = record.status;
  order.updateTime = record.updateTime;
  order.amendCount = record.amendCount;
  order.queueAhead = new Dec(record.queueAhead);
  order.locked = new Dec(record.locked);
  return order;
}

/** A one-line check that a record read back has the shape we wrote (a hand-edited or truncated file fails it). */
export function checkAccountRecord(value: unknown): AccountRecord {
  const r = value as AccountRecord;
  if (typeof r?.id !== "string" || typeof r.apiKey !== "string" || typeof r.secret !== "string" || typeof r.balances !== "object") {
    throw new Error("an account record lacks id, apiKey, secret or balances");
  }
  for (const [asset, pair] of Object.entries(r.balances)) {
    if (!Array.isArray(pair) || pair.length !== 2 || !isDecimal(pair[0]) || !isDecimal(pair[1])) {
      throw new Error(`account ${r.id}: balance ${asset} is not [free, locked]`);
    }
  }
  return r;
}

export function checkOrderRecord(value: unknown): OrderRecord {
  const r = value as OrderRecord;
  if (typeof r?.symbol !== "string" || !Number.isSafeInteger(r.orderId) || typeof r.accountId !== "string") {
    throw new Error("an order record lacks symbol, orderId or accountId");
  }
  for (const field of ["price", "origQty", "executedQty", "cumQuote", "locked", "queueAhead", "origQuoteOrderQty"] as const) {
    if (!isDecimal(r[field])) throw new Error(`order ${r.symbol} ${r.orderId}: ${field} is not a decimal`);
  }
  return r;
}

export function checkTrade(value: unknown): MyTrade {
  const t = value as MyTrade;
  if (typeof t?.symbol !== "string" || !Number.isSafeInteger(t.id) || !Number.isSafeInteger(t.orderId)) {
    throw new Error("a trade lacks symbol, id or orderId");
  }
  return t;
}

export function checkSequences(value: unknown): Sequences {
  const s = value as Sequences;
  if (!Number.isSafeInteger(s?.nextExecutionId) || !Number.isSafeInteger(s.nextAccountNumber) || typeof s.symbols !== "object") {
    throw new Error("the id sequences are missing or malformed");
  }
  return s;
}

// What Decimal.toFixed() writes: no exponent, no sign but minus.
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

function isDecimal(value: unknown): boolean {
  return typeof value === "string" && DECIMAL_TEXT.test(value);
}
