/** Binance's own error body, `{"code":-1121,"msg":"Invalid symbol."}`, with the HTTP status it came with. */
export class BinanceApiError extends Error {
  override readonly name: string = "BinanceApiError";
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly httpStatus: number,
    /** Extra structured data some errors carry (cancelReplace results, ws-api `retryAfter`). */
    readonly data?: unknown,
  ) {
    super(`Binance ${httpStatus} ${code}: ${msg}`);
  }

  /** 5xx and -1006/-1007 mean the request may or may not have been executed. */
  get outcomeUnknown(): boolean {
    return this.httpStatus >= 500 || this.code === -1006 || this.code === -1007;
  }
}

/** 429 or 418: the exchange asked us to stay away until `retryAt` (epoch ms, local clock). */
export class BinanceRateLimitError extends BinanceApiError {
  override readonly name = "BinanceRateLimitError";
  constructor(code: number, msg: string, httpStatus: number, readonly retryAt: number, data?: unknown) {
    super(code, msg, httpStatus, data);
  }
}

/** Refused locally, never sent: an earlier 429/418 is still in force. */
export class BinanceBackoffError extends Error {
  override readonly name = "BinanceBackoffError";
  constructor(readonly retryAt: number, readonly reason: string) {
    super(`request not sent: backing off until ${new Date(retryAt).toISOString()} (${reason})`);
  }
}

/**
 * The request left this process but no answer came back (timeout, connection lost). For orders the exchange
 * may have executed it: resolve by querying the order, never by blindly resending.
 */
export class BinanceUnknownOutcomeError extends Error {
  override readonly name = "BinanceUnknownOutcomeError";
  constructor(readonly method: string, readonly reason: string) {
    super(`${method}: outcome unknown (${reason})`);
  }
}

/** The exchange (or a recording) sent something that does not match the documented shape. */
export class BinancePayloadError extends Error {
  override readonly name = "BinancePayloadError";
  constructor(readonly path: string, detail: string) {
    super(`malformed Binance payload at ${path}: ${detail}`);
  }
}

/** Transport failure before any request bytes could have reached the exchange (connect refused, not connected). */
export class BinanceConnectionError extends Error {
  override readonly name = "BinanceConnectionError";
}
