// GET /api/v3/order, /openOrders and /myTrades (allOrders is in order-history.ts): reads, no action to finish.
import { errors } from "../errors";
import type { ExchangeState } from "../exchange-state";
import type { OrderState } from "../order";
import { optionalParam, parseInteger, requireParam } from "../validation";
import { ExchangeError, type AccountId, type MyTrade, type MyTradesParams, type QueryOrderParams, type QueryOrderResponse } from "../venue";
import { orderView } from "../views";

export function queryOrder(exchange: ExchangeState, accountId: AccountId, params: QueryOrderParams): QueryOrderResponse {
  const account = exchange.accountOf(accountId);
  const state = exchange.symbolState(requireParam(params.symbol, "symbol"));
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

export function openOrders(exchange: ExchangeState, accountId: AccountId, symbol?: string): QueryOrderResponse[] {
  const account = exchange.accountOf(accountId);
  const symbols = symbol === undefined ? [...account.openBySymbol.keys()] : [exchange.symbolState(symbol).symbol];
  const out: OrderState[] = [];
  for (const s of symbols) for (const order of account.openBySymbol.get(s)?.values() ?? []) out.push(order);
  out.sort((a, b) => a.time - b.time || a.orderId - b.orderId);
  return out.map((o) => orderView(o));
}

export function myTrades(exchange: ExchangeState, accountId: AccountId, params: MyTradesParams): MyTrade[] {
  const account = exchange.accountOf(accountId);
  const state = exchange.symbolState(requireParam(params.symbol, "symbol"));
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
