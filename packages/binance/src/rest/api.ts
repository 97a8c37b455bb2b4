import type { ServerTimeSync } from "../clock";
import { BinanceApiError } from "../errors";
import {
  cancelOrderWireParams,
  cancelReplaceWireParams,
  newOrderWireParams,
  type CancelOrderParams,
  type CancelReplaceParams,
  type NewOrderParams,
  type OrderRef,
} from "../order-params";
import {
  parseAccount,
  parseAccountTrades,
  parseApiErrorBody,
  parseBookTicker,
  parseCancelAllResponse,
  parseCanceledOrder,
  parseCancelReplace,
  parseDepthSnapshot,
  parseExchangeInfo,
  parseNewOrderResponse,
  parseQueriedOrder,
  parseQueriedOrders,
  parseRecentTrades,
  parseServerTime,
} from "../parse";
import { asArray } from "../payload";
import type {
  Account,
  AccountTrade,
  BookTicker,
  CanceledOrder,
  CanceledOrderList,
  CancelReplaceOutcome,
  DepthSnapshot,
  ExchangeInfo,
  NewOrderResponse,
  QueriedOrder,
  RecentTrade,
} from "../types";
import type { RestTransport } from "./transport";

export interface MyTradesQuery {
  symbol: string;
  orderId?: number;
  startTime?: number;
  endTime?: number;
  fromId?: number;
  limit?: number;
}

/** The REST endpoints the engine uses, each returning parsed domain values. */
export class BinanceRestApi {
  constructor(
    private readonly transport: RestTransport,
    private readonly timeSync: ServerTimeSync,
  ) {}

  async ping(): Promise<void> {
    await this.transport.request({ method: "GET", path: "/api/v3/ping" });
  }

  async time(): Promise<number> {
    const res = await this.transport.request({ method: "GET", path: "/api/v3/time" });
    return parseServerTime(res.body);
  }

  /**
   * Measures the server-time offset used for every signed timestamp; returns it in ms (server minus local).
   * Call it once before the first signed request; the client keeps it fresh from then on.
   */
  syncTime(): Promise<number> {
    return this.timeSync.sync();
  }

  async exchangeInfo(query: { symbol?: string; symbols?: string[] } = {}): Promise<ExchangeInfo> {
    const res = await this.transport.request({
      method: "GET",
      path: "/api/v3/exchangeInfo",
      params: { symbol: query.symbol, symbols: query.symbols === undefined ? undefined : JSON.stringify(query.symbols) },
    });
    return parseExchangeInfo(res.body);
  }

  async depth(symbol: string, limit?: number): Promise<DepthSnapshot> {
    const res = await this.transport.request({ method: "GET", path: "/api/v3/depth", params: { symbol, limit } });
    return parseDepthSnapshot(res.body);
  }

  async bookTicker(symbol: string): Promise<BookTicker> {
    const res = await this.transport.request({ method: "GET", path: "/api/v3/ticker/bookTicker", params: { symbol } });
    return parseBookTicker(res.body);
  }

  async bookTickers(symbols?: string[]): Promise<BookTicker[]> {
    const res = await this.transport.request({
      method: "GET",
      path: "/api/v3/ticker/bookTicker",
      params: { symbols: symbols === undefined ? undefined : JSON.stringify(symbols) },
    });
    return asArray(res.body, "bookTicker").map((t, i) => parseBookTicker(t, `bookTicker[${i}]`));
  }

  /** The latest public trades, oldest first (default 500, at most 1000; weight 25): seeds a reference at start. */
  async recentTrades(symbol: string, limit?: number): Promise<RecentTrade[]> {
    const res = await this.transport.request({ method: "GET", path: "/api/v3/trades", params: { symbol, limit } });
    return parseRecentTrades(res.body);
  }

  async account(omitZeroBalances = false): Promise<Account> {
    const res = await this.transport.request({
      method: "GET",
      path: "/api/v3/account",
      params: { omitZeroBalances: omitZeroBalances ? true : undefined },
      signed: true,
    });
    return parseAccount(res.body);
  }

  async placeOrder(params: NewOrderParams): Promise<NewOrderResponse> {
    const res = await this.transport.request({
      method: "POST",
      path: "/api/v3/order",
      params: newOrderWireParams(params),
      signed: true,
      placesOrder: true,
    });
    return parseNewOrderResponse(res.body);
  }

  async cancelOrder(params: CancelOrderParams): Promise<CanceledOrder> {
    const res = await this.transport.request({
      method: "DELETE",
      path: "/api/v3/order",
      params: cancelOrderWireParams(params),
      signed: true,
    });
    return parseCanceledOrder(res.body);
  }

  /**
   * Cancel an order and place a new one in one request. Partial outcomes (409 -2021, 400 -2022 with the
   * structured `data`) are returned, not thrown, because the engine must act on whichever half succeeded.
   */
  async cancelReplace(params: CancelReplaceParams): Promise<CancelReplaceOutcome> {
    try {
      const res = await this.transport.request({
        method: "POST",
        path: "/api/v3/order/cancelReplace",
        params: cancelReplaceWireParams(params),
        signed: true,
        placesOrder: true,
      });
      return parseCancelReplace(res.body, res.status);
    } catch (err) {
      if (err instanceof BinanceApiError && (err.code === -2021 || err.code === -2022) && err.data != null) {
        return parseCancelReplace(err.data, err.httpStatus, parseApiErrorBody({ code: err.code, msg: err.msg }));
      }
      throw err;
    }
  }

  async openOrders(symbol?: string): Promise<QueriedOrder[]> {
    const res = await this.transport.request({ method: "GET", path: "/api/v3/openOrders", params: { symbol }, signed: true });
    return parseQueriedOrders(res.body);
  }

  async cancelAllOpenOrders(symbol: string): Promise<(CanceledOrder | CanceledOrderList)[]> {
    const res = await this.transport.request({ method: "DELETE", path: "/api/v3/openOrders", params: { symbol }, signed: true });
    return parseCancelAllResponse(res.body);
  }

  async queryOrder(symbol: string, order: OrderRef): Promise<QueriedOrder> {
    const res = await this.transport.request({
      method: "GET",
      path: "/api/v3/order",
      params: { symbol, ...order },
      signed: true,
    });
    return parseQueriedOrder(res.body);
  }

  async myTrades(query: MyTradesQuery): Promise<AccountTrade[]> {
    const res = await this.transport.request({
      method: "GET",
      path: "/api/v3/myTrades",
      params: { ...query },
      signed: true,
    });
    return parseAccountTrades(res.body);
  }
}
