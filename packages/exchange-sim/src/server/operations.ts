// The API operations shared by REST and the WebSocket API: security type, documented weight, parameters, and the
// call into the exchange core. A request goes through admit (rate limits, signature, timing on receipt) and then
// execute (timing again just before the matching engine, faults, the core).
import type { AccountId, Venue } from "../exchange/venue";
import {
  authenticate,
  checkTimestamp,
  recvWindowMs as parseRecvWindow,
  timestampMs as parseTimestamp,
  type SignedRequest,
} from "./auth";
import type { RegisteredKey, ServerContext } from "./context";
import { ApiError, isBinanceError, messages } from "./errors";
import { depthWeight } from "./rate-limits";

export type Params = Record<string, string>;
export type Security = "NONE" | "TRADE" | "USER_DATA";

export interface Operation {
  security: Security;
  weight(params: Params): number;
  /** Counts toward the ORDERS limits. */
  placesOrder?: boolean;
  /** Order placement and cancels cost 0 weight when they succeed (since 2026-04-02). */
  freeOnSuccess?: boolean;
  /** cancelReplace: with orderRateLimitExceededMode=CANCEL_ONLY an exhausted order count still cancels. */
  cancelsWhenOrderLimited?: boolean;
  /** Parameters besides the signing ones. */
  params: readonly string[];
  run(venue: Venue, accountId: AccountId, params: Params, context: ServerContext): unknown;
}

const newOrderParams = [
  "symbol",
  "side",
  "type",
  "timeInForce",
  "quantity",
  "quoteOrderQty",
  "price",
  "newClientOrderId",
  "strategyId",
  "strategyType",
  "stopPrice",
  "trailingDelta",
  "icebergQty",
  "newOrderRespType",
  "selfTradePreventionMode",
  "pegPriceType",
  "pegOffsetValue",
  "pegOffsetType",
] as const;

const cancelParams = ["symbol", "orderId", "origClientOrderId", "newClientOrderId", "cancelRestrictions"] as const;
const cancelReplaceOnlyParams = [
  "cancelReplaceMode",
  "cancelOrderId",
  "cancelOrigClientOrderId",
  "cancelNewClientOrderId",
  "cancelRestrictions",
  "orderRateLimitExceededMode",
] as const;

export const signingParams = ["timestamp", "recvWindow", "signature", "apiKey"] as const;

function pick<K extends string>(params: Params, names: readonly K[]): Partial<Record<K, string>> {
  const picked: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = params[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/** `symbols=["A","B"]` as sent in REST (and normalised to the same text from WS API arrays). */
export function parseSymbolList(params: Params, name = "symbols"): string[] | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError(-1135, messages.invalidJsonParam(name));
  }
  if (!Array.isArray(parsed) || !parsed.every((item): item is string => typeof item === "string")) {
    throw new ApiError(-1135, messages.invalidJsonParam(name));
  }
  if (new Set(parsed).size !== parsed.length) throw new ApiError(-1151, "Symbol is present multiple times in the list.");
  return parsed;
}

function exchangeInfoOperation(transport: "rest" | "wsApi"): Operation {
  return {
    security: "NONE",
    weight: () => 20,
    params: ["symbol", "symbols", "permissions", "showPermissionSets", "symbolStatus"],
    run: (venue, _account, params, context) => {
      const symbols = parseSymbolList(params);
      const info = venue.exchangeInfo({
        ...pick(params, ["symbol", "symbolStatus"]),
        ...(symbols ? { symbols } : {}),
      });
      return { ...info, serverTime: context.now(), rateLimits: context.limiter.exchangeInfoRateLimits(transport) };
    },
  };
}

export const operations = {
  ping: { security: "NONE", weight: () => 1, params: [], run: () => ({}) },
  time: {
    security: "NONE",
    weight: () => 1,
    params: [],
    run: (_venue, _account, _params, context) => ({ serverTime: context.now() }),
  },
  exchangeInfo: exchangeInfoOperation("rest"),
  wsApiExchangeInfo: exchangeInfoOperation("wsApi"),
  depth: {
    security: "NONE",
    weight: (params) => depthWeight(Number(params.limit ?? 100) || 100),
    params: ["symbol", "limit"],
    run: (venue, _account, params) => venue.depth(params.symbol, params.limit),
  },
  bookTicker: {
    security: "NONE",
    weight: (params) => (params.symbol === undefined ? 4 : 2),
    params: ["symbol", "symbols", "symbolStatus"],
    run: (venue, _account, params) => {
      if (params.symbol !== undefined && params.symbols !== undefined) {
        throw new ApiError(-1101, messages.tooManyParams);
      }
      const symbolStatus = params.symbolStatus;
      if (params.symbol !== undefined) {
        // exchangeInfo answers -1220 when the one symbol's status does not match.
        if (symbolStatus !== undefined) venue.exchangeInfo({ symbol: params.symbol, symbolStatus });
        return venue.bookTicker(params.symbol);
      }
      const tickers = venue.bookTickers(parseSymbolList(params));
      if (symbolStatus === undefined) return tickers;
      const matching = new Set(venue.exchangeInfo({ symbolStatus }).symbols.map((info) => info.symbol));
      return tickers.filter((ticker) => matching.has(ticker.symbol));
    },
  },
  trades: {
    security: "NONE",
    weight: () => 25,
    params: ["symbol", "limit"],
    run: (venue, _account, params) => venue.recentTrades(params.symbol, params.limit),
  },
  account: {
    security: "USER_DATA",
    weight: () => 20,
    params: ["omitZeroBalances"],
    run: (venue, account, params) => venue.account(account, params.omitZeroBalances === "true"),
  },
  newOrder: {
    security: "TRADE",
    weight: () => 1,
    placesOrder: true,
    freeOnSuccess: true,
    params: newOrderParams,
    run: (venue, account, params) => venue.placeOrder(account, pick(params, newOrderParams)),
  },
  cancelOrder: {
    security: "TRADE",
    weight: () => 1,
    freeOnSuccess: true,
    params: cancelParams,
    run: (venue, account, params) => venue.cancelOrder(account, pick(params, cancelParams)),
  },
  cancelReplace: {
    security: "TRADE",
    weight: () => 1,
    placesOrder: true,
    freeOnSuccess: true,
    cancelsWhenOrderLimited: true,
    params: [...newOrderParams, ...cancelReplaceOnlyParams],
    run: (venue, account, params) =>
      venue.cancelReplace(account, pick(params, [...newOrderParams, ...cancelReplaceOnlyParams])),
  },
  queryOrder: {
    security: "USER_DATA",
    weight: () => 4,
    params: ["symbol", "orderId", "origClientOrderId"],
    run: (venue, account, params) => venue.queryOrder(account, pick(params, ["symbol", "orderId", "origClientOrderId"])),
  },
  openOrders: {
    security: "USER_DATA",
    weight: (params) => (params.symbol === undefined ? 80 : 6),
    params: ["symbol"],
    run: (venue, account, params) => venue.openOrders(account, params.symbol),
  },
  allOrders: {
    security: "USER_DATA",
    weight: () => 20,
    params: ["symbol", "orderId", "startTime", "endTime", "limit"],
    run: (venue, account, params) => venue.allOrders(account, pick(params, ["symbol", "orderId", "startTime", "endTime", "limit"])),
  },
  cancelAllOpenOrders: {
    security: "TRADE",
    weight: () => 1,
    freeOnSuccess: true,
    params: ["symbol"],
    run: (venue, account, params) => venue.cancelAllOpenOrders(account, params.symbol),
  },
  myTrades: {
    security: "USER_DATA",
    weight: (params) => (params.orderId === undefined ? 20 : 5),
    params: ["symbol", "orderId", "startTime", "endTime", "fromId", "limit"],
    run: (venue, account, params) =>
      venue.myTrades(account, pick(params, ["symbol", "orderId", "startTime", "endTime", "fromId", "limit"])),
  },
} satisfies Record<string, Operation>;

/** How the caller proved who it is. */
export type Credentials =
  | { kind: "signed"; request: SignedRequest }
  /** A WS API connection authenticated by session.logon: no signature, but `timestamp` is still required. */
  | { kind: "session"; key: RegisteredKey; timestamp: string | undefined; recvWindow: string | undefined }
  | { kind: "none" };

export interface Admitted {
  operation: Operation;
  params: Params;
  ip: string;
  weight: number;
  accountId: AccountId | undefined;
  timestampMs: number;
  recvWindowMs: number;
  /** Set when a CANCEL_ONLY cancelReplace found the order count exhausted. */
  orderLimited?: ApiError;
}

/** Rate limits, parameter names, authentication and order counts, as on receipt. */
export function admit(
  context: ServerContext,
  operation: Operation,
  params: Params,
  ip: string,
  credentials: Credentials,
  /** Hears the account as soon as it is known (the WS API reports its order counts even on rejections). */
  onAccount?: (accountId: AccountId) => void,
): Admitted {
  const now = context.now();
  const weight = operation.weight(params);
  if (context.faults.takeRateLimit()) {
    throw new ApiError(-1003, messages.weightExceeded(context.limiter.limits.requestWeightPerMinute), 429, {
      retryAfterMs: 60_000 - (now % 60_000),
    });
  }
  context.limiter.admit(ip, operation.freeOnSuccess ? 0 : weight, now);
  const admitted: Admitted = { operation, params, ip, weight, accountId: undefined, timestampMs: 0, recvWindowMs: 0 };
  try {
    checkParamNames(operation, params);
    if (operation.security !== "NONE") authenticateInto(admitted, context, credentials, now);
    if (admitted.accountId !== undefined) onAccount?.(admitted.accountId);
    if (operation.placesOrder && admitted.accountId !== undefined) {
      try {
        context.limiter.admitOrder(admitted.accountId, now);
      } catch (error) {
        const cancelOnly = operation.cancelsWhenOrderLimited && params.orderRateLimitExceededMode === "CANCEL_ONLY";
        if (!(cancelOnly && error instanceof ApiError)) throw error;
        admitted.orderLimited = error;
      }
    }
  } catch (error) {
    if (operation.freeOnSuccess) context.limiter.charge(ip, weight, now);
    throw error;
  }
  return admitted;
}

/** Runs an admitted request against the core, with the second timing check and the server-error faults. */
export function execute(context: ServerContext, admitted: Admitted): unknown {
  const { operation, params, ip, weight } = admitted;
  const now = context.now();
  try {
    if (operation.security !== "NONE") checkTimestamp(admitted.timestampMs, admitted.recvWindowMs, now);
    const verdict = context.faults.takeServerError();
    if (verdict === "error") throw new ApiError(-1000, messages.unknown, 500);
    if (admitted.orderLimited) {
      cancelOnlyAfterOrderLimit(context, admitted.accountId ?? "", params, admitted.orderLimited);
    }
    if (verdict === "none") {
      return context.userEvents.run(() => operation.run(context.venue, admitted.accountId ?? "", params, context));
    }
    // A backend timeout hides whatever happened, success or rejection: the outcome is unknown to the client.
    try {
      context.userEvents.run(() => operation.run(context.venue, admitted.accountId ?? "", params, context));
    } catch (error) {
      if (!isBinanceError(error)) throw error;
    }
    throw new ApiError(-1007, messages.timeout, 503);
  } catch (error) {
    if (operation.freeOnSuccess && isBinanceError(error) && (error.httpStatus ?? 400) < 500) {
      context.limiter.charge(ip, weight, now);
    }
    throw error;
  }
}

/**
 * cancelReplace with `orderRateLimitExceededMode=CANCEL_ONLY` still cancels when the order count is exhausted,
 * and reports the new order's -1015 inside a -2021.
 */
function cancelOnlyAfterOrderLimit(
  context: ServerContext,
  accountId: AccountId,
  params: Params,
  limitError: ApiError,
): never {
  const newOrderResponse = { code: limitError.code, msg: limitError.msg };
  let cancelResponse: unknown;
  try {
    cancelResponse = context.userEvents.run(() =>
      context.venue.cancelOrder(accountId, {
        ...pick(params, ["symbol", "cancelRestrictions"]),
        ...(params.cancelOrderId !== undefined ? { orderId: params.cancelOrderId } : {}),
        ...(params.cancelOrigClientOrderId !== undefined ? { origClientOrderId: params.cancelOrigClientOrderId } : {}),
        ...(params.cancelNewClientOrderId !== undefined ? { newClientOrderId: params.cancelNewClientOrderId } : {}),
      }),
    );
  } catch (error) {
    if (!isBinanceError(error)) throw error;
    throw new ApiError(-2022, "Order cancel-replace failed.", 400, {
      data: {
        cancelResult: "FAILURE",
        newOrderResult: "FAILURE",
        cancelResponse: { code: error.code, msg: error.msg },
        newOrderResponse,
      },
    });
  }
  throw new ApiError(-2021, "Order cancel-replace partially failed.", 409, {
    data: { cancelResult: "SUCCESS", newOrderResult: "FAILURE", cancelResponse, newOrderResponse },
  });
}

function checkParamNames(operation: Operation, params: Params): void {
  const names = Object.keys(params);
  const read = names.filter(
    (name) => operation.params.includes(name) || (signingParams as readonly string[]).includes(name),
  ).length;
  if (read !== names.length) {
    throw new ApiError(
      -1104,
      `Not all sent parameters were read; read '${read}' parameter(s) but was sent '${names.length}'.`,
    );
  }
}

function authenticateInto(admitted: Admitted, context: ServerContext, credentials: Credentials, now: number): void {
  switch (credentials.kind) {
    case "none":
      throw new ApiError(-2014, messages.badApiKeyFormat, 401);
    case "session": {
      const timestamp = authenticateSession(credentials.timestamp, credentials.recvWindow, now);
      admitted.accountId = credentials.key.accountId;
      admitted.timestampMs = timestamp.timestampMs;
      admitted.recvWindowMs = timestamp.recvWindowMs;
      return;
    }
    case "signed": {
      let key: RegisteredKey | undefined;
      const result = authenticate(
        credentials.request,
        (apiKey) => {
          key = context.keys.lookup(apiKey);
          return key?.credential;
        },
        now,
      );
      admitted.accountId = key?.accountId;
      admitted.timestampMs = result.timestampMs;
      admitted.recvWindowMs = result.recvWindowMs;
      return;
    }
  }
}

function authenticateSession(
  timestamp: string | undefined,
  recvWindow: string | undefined,
  now: number,
): { timestampMs: number; recvWindowMs: number } {
  const parsed = { timestampMs: parseTimestamp(timestamp), recvWindowMs: parseRecvWindow(recvWindow) };
  checkTimestamp(parsed.timestampMs, parsed.recvWindowMs, now);
  return parsed;
}
