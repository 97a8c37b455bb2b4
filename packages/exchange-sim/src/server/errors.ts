// Errors the transport layer raises itself (signing, parameters, rate limits, faults), with Binance's codes and
// messages. The exchange core raises its own ExchangeError with the same { code, msg, httpStatus } shape.

export class ApiError extends Error {
  readonly code: number;
  readonly msg: string;
  readonly httpStatus: number;
  /** Extra headers (Retry-After) for REST, and `data` for WS API errors. */
  readonly retryAfterMs: number | undefined;
  readonly data: Record<string, unknown> | undefined;

  constructor(
    code: number,
    msg: string,
    httpStatus = 400,
    extra: { retryAfterMs?: number; data?: Record<string, unknown> } = {},
  ) {
    super(`${code} ${msg}`);
    this.name = "ApiError";
    this.code = code;
    this.msg = msg;
    this.httpStatus = httpStatus;
    this.retryAfterMs = extra.retryAfterMs;
    this.data = extra.data;
  }
}

/** Anything shaped like a Binance error: ours or the exchange core's ExchangeError. */
export interface BinanceErrorLike {
  code: number;
  msg: string;
  httpStatus?: number;
}

export function isBinanceError(value: unknown): value is BinanceErrorLike {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "number" &&
    typeof (value as { msg?: unknown }).msg === "string"
  );
}

export const messages = {
  mandatory: (name: string) => `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
  invalidParam: (name: string) => `Data sent for parameter '${name}' is not valid.`,
  invalidJsonParam: (name: string) => `JSON sent for parameter '${name}' is not valid`,
  tooManyParams: "Too many parameters sent for this endpoint.",
  duplicateParam: "Duplicate values for a parameter detected.",
  aheadOfServer: "Timestamp for this request was 1000ms ahead of the server's time.",
  outsideRecvWindow: "Timestamp for this request is outside of the recvWindow.",
  badSignature: "Signature for this request is not valid.",
  badApiKeyFormat: "API-key format invalid.",
  rejectedApiKey: "Invalid API-key, IP, or permissions for action.",
  unknown: "An unknown error occurred while processing the request.",
  timeout: "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
  unsupported: "This operation is not supported.",
  invalidJson: "Invalid JSON Request",
  illegalChars: "Illegal characters found in a parameter.",
  weightExceeded: (limit: number) =>
    `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
  banned: (untilMs: number) =>
    `Way too much request weight used; IP banned until ${untilMs}. Please use WebSocket Streams for live updates to avoid bans.`,
  ordersExceeded: (limit: number, interval: string) => `Too many new orders; current limit is ${limit} orders per ${interval}.`,
  subscriptionActive: "User Data Stream subscription already active.",
  subscriptionInactive: "User Data Stream subscription not active.",
} as const;
