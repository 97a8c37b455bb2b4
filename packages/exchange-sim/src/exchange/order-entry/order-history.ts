// GET /api/v3/allOrders (WS API allOrders): an account's orders on a symbol, open and closed, as far back as the
// exchange retains closed ones (retainClosedOrders per symbol). The facade (simulated-exchange.ts) only
// delegates to it.
import type { AccountState } from "../accounts/account-state";
import { ExchangeError, type AllOrdersParams, type QueryOrderResponse } from "../venue";
import { optionalParam, parseInteger, requireParam } from "../validation";
import type { SymbolState } from "../symbol-state";
import { orderView } from "../views";

/**
 * From `orderId` up, or inside [startTime, endTime] (at most 24 hours apart) oldest first; with neither, the most
 * recent. Binance's limit: default 500, at most 1000.
 */
export function allOrders(account: AccountState, stateOf: (symbol: string) => SymbolState, params: AllOrdersParams): QueryOrderResponse[] {
  const state = stateOf(requireParam(params.symbol, "symbol"));
  const integer = (raw: string | undefined, name: string) => {
    const value = optionalParam(raw);
    return value === undefined ? undefined : parseInteger(value, name);
  };
  const limitRaw = integer(params.limit, "limit");
  const limit = limitRaw === undefined ? 500 : Math.min(Math.max(limitRaw, 1), 1000);
  const orderId = integer(params.orderId, "orderId");
  const start = integer(params.startTime, "startTime");
  const end = integer(params.endTime, "endTime");
  if (start !== undefined && end !== undefined && end - start > 24 * 3600 * 1000) {
    throw new ExchangeError(-1127, "More than 24 hours between startTime and endTime.");
  }
  if (start !== undefined && end !== undefined && start > end) throw new ExchangeError(-1128, "Combination of optional parameters invalid.");
  const mine = [...state.orders.values()]
    .filter(
      (order) =>
        order.accountId === account.id &&
        (orderId === undefined || order.orderId >= orderId) &&
        (start === undefined || order.time >= start) &&
        (end === undefined || order.time <= end),
    )
    .sort((a, b) => a.orderId - b.orderId);
  const fromStart = orderId !== undefined || start !== undefined;
  return (fromStart ? mine.slice(0, limit) : mine.slice(-limit)).map((order) => orderView(order));
}
