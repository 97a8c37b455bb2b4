// The exchange's record against Postgres, after a graceful stop. Pure: the soak hands it both sides.
// The exchange is the truth: every order it accepted must have a row, every trade exactly one fill row, and a row
// must agree with itself (status, exchange id, executed quantity, its fills) and with the exchange.
import Decimal from "decimal.js";
import type { ExchangeOrder, ExchangeTrade } from "./simulator-host";

export interface DbOrder {
  id: string;
  exchangeAccountId: string;
  symbol: string;
  clientOrderId: string;
  exchangeOrderId: string | null;
  status: string;
  quantity: string;
  executedQty: string;
  rejectReason: string | null;
  placedAt: string;
  closedAt: string | null;
}

export interface DbFill {
  orderId: string | null;
  exchangeAccountId: string;
  symbol: string;
  tradeId: string;
  exchangeOrderId: string;
  quantity: string;
}

export interface ComparisonInput {
  /** apiKey -> ExchangeAccount.id */
  accountIds: ReadonlyMap<string, string>;
  exchangeOrders: readonly ExchangeOrder[];
  exchangeTrades: readonly ExchangeTrade[];
  dbOrders: readonly DbOrder[];
  dbFills: readonly DbFill[];
}

export interface Finding {
  count: number;
  examples: unknown[];
}

export interface Comparison {
  orders: { exchange: number; postgres: number };
  fills: { exchange: number; postgres: number };
  missing: { orders: Finding; fills: Finding };
  doubled: { orders: Finding; fills: Finding };
  /** Fill rows for trades the exchange never made. */
  phantomFills: Finding;
  untrackedFilled: Finding;
  inconsistent: Finding & { byRule: Record<string, number> };
}

const EXAMPLES = 5;
const NOT_FINAL = new Set(["PENDING_NEW", "NEW", "PARTIALLY_FILLED", "PENDING_CANCEL", "UNKNOWN"]);

class Collector {
  count = 0;
  readonly examples: unknown[] = [];
  add(example: unknown, times = 1): void {
    this.count += times;
    if (this.examples.length < EXAMPLES) this.examples.push(example);
  }
  get finding(): Finding {
    return { count: this.count, examples: this.examples };
  }
}

export function compareRecords(input: ComparisonInput): Comparison {
  const account = (apiKey: string) => input.accountIds.get(apiKey) ?? `unknown account ${apiKey}`;
  const byExchangeId = group(input.dbOrders.filter((o) => o.exchangeOrderId !== null), (o) => `${o.exchangeAccountId}|${o.symbol}|${o.exchangeOrderId}`);
  const byClientId = new Map(input.dbOrders.map((o) => [`${o.exchangeAccountId}|${o.clientOrderId}`, o]));
  const fillsByTrade = group(input.dbFills, (f) => `${f.exchangeAccountId}|${f.symbol}|${f.tradeId}`);
  const fillsByOrder = group(input.dbFills.filter((f) => f.orderId !== null), (f) => f.orderId ?? "");

  const missingOrders = new Collector();
  const doubledOrders = new Collector();
  const untrackedFilled = new Collector();
  const matched = new Map<string, ExchangeOrder>();
  for (const order of input.exchangeOrders) {
    const accountId = account(order.apiKey);
    const rows = byExchangeId.get(`${accountId}|${order.symbol}|${order.orderId}`) ?? [];
    if (rows.length > 1) doubledOrders.add({ exchange: order, rows: rows.map((row) => row.id) }, rows.length - 1);
    const byClient = byClientId.get(`${accountId}|${order.clientOrderId}`);
    // A row found by client id is this order only if it names no other exchange order.
    const row = rows[0] ?? (byClient && (byClient.exchangeOrderId === null || byClient.exchangeOrderId === String(order.orderId)) ? byClient : undefined);
    if (row) matched.set(row.id, order);
    else missingOrders.add(order);
    const executed = new Decimal(order.executedQty);
    if (executed.gt(0) && (!row || row.status === "REJECTED" || new Decimal(row.executedQty).lt(executed))) {
      untrackedFilled.add({ exchange: order, postgres: row ?? null });
    }
  }

  const missingFills = new Collector();
  const doubledFills = new Collector();
  const exchangeTradeKeys = new Set<string>();
  for (const trade of input.exchangeTrades) {
    const key = `${account(trade.apiKey)}|${trade.symbol}|${trade.id}`;
    exchangeTradeKeys.add(key);
    const rows = fillsByTrade.get(key) ?? [];
    if (rows.length === 0) missingFills.add(trade);
    if (rows.length > 1) doubledFills.add({ trade, rows: rows.length }, rows.length - 1);
  }
  const phantomFills = new Collector();
  for (const fill of input.dbFills) {
    if (!exchangeTradeKeys.has(`${fill.exchangeAccountId}|${fill.symbol}|${fill.tradeId}`)) phantomFills.add(fill);
  }

  const inconsistent = new Collector();
  const byRule: Record<string, number> = {};
  for (const row of input.dbOrders) {
    const broken = brokenRules(row, matched.get(row.id), fillsByOrder.get(row.id) ?? []);
    for (const rule of broken) byRule[rule] = (byRule[rule] ?? 0) + 1;
    if (broken.length > 0) inconsistent.add({ rules: broken, postgres: row, exchange: matched.get(row.id) ?? null });
  }

  return {
    orders: { exchange: input.exchangeOrders.length, postgres: input.dbOrders.length },
    fills: { exchange: input.exchangeTrades.length, postgres: input.dbFills.length },
    missing: { orders: missingOrders.finding, fills: missingFills.finding },
    doubled: { orders: doubledOrders.finding, fills: doubledFills.finding },
    phantomFills: phantomFills.finding,
    untrackedFilled: untrackedFilled.finding,
    inconsistent: { ...inconsistent.finding, byRule },
  };
}

/** The rules one order row breaks, on its own and against the exchange's record of it. */
export function brokenRules(row: DbOrder, exchange: ExchangeOrder | undefined, fills: readonly DbFill[]): string[] {
  const quantity = new Decimal(row.quantity);
  const executed = new Decimal(row.executedQty);
  const filled = fills.reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0));
  const rules: [string, boolean][] = [
    ["executed quantity outside 0..quantity", executed.lt(0) || executed.gt(quantity)],
    ["FILLED but not fully executed", row.status === "FILLED" && !executed.eq(quantity)],
    ["PARTIALLY_FILLED without a partial execution", row.status === "PARTIALLY_FILLED" && !(executed.gt(0) && executed.lt(quantity))],
    ["unfilled status with an executed quantity", ["PENDING_NEW", "NEW", "REJECTED"].includes(row.status) && executed.gt(0)],
    ["executed without an exchange order id", executed.gt(0) && row.exchangeOrderId === null],
    ["executed quantity differs from its fill rows", !executed.eq(filled)],
    ["not final after a graceful stop", NOT_FINAL.has(row.status)],
    ["exchange order id unknown to the exchange", row.exchangeOrderId !== null && exchange === undefined],
  ];
  if (exchange) {
    rules.push(
      ["status differs from the exchange", row.status !== exchange.status],
      ["executed quantity differs from the exchange", !executed.eq(exchange.executedQty)],
      ["exchange order id differs from the exchange", row.exchangeOrderId !== String(exchange.orderId)],
    );
  }
  return rules.filter(([, broken]) => broken).map(([rule]) => rule);
}

/** The client order ids the comparison's examples name, so their history can be looked up. */
export function exampleClientOrderIds(comparison: Comparison): string[] {
  const ids: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value !== "object" || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === "clientOrderId" && typeof inner === "string") ids.push(inner);
      else visit(inner);
    }
  };
  visit([comparison.missing, comparison.untrackedFilled, comparison.inconsistent.examples]);
  return [...new Set(ids)];
}

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
