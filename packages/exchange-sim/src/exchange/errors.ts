import { ExchangeError } from "./venue";

// Binance's exact codes and messages (payloads/errors_catalog.json).

export const errors = {
  mandatory: (param: string) =>
    new ExchangeError(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  eitherMandatory: (a: string, b: string) =>
    new ExchangeError(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  notRequired: (param: string) => new ExchangeError(-1106, `Parameter '${param}' sent when not required.`),
  illegalDecimal: (param: string) =>
    new ExchangeError(
      -1100,
      `Illegal characters found in parameter '${param}'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.`,
    ),
  illegalInteger: (param: string) =>
    new ExchangeError(-1100, `Illegal characters found in parameter '${param}'; legal range is '^[0-9]{1,20}$'.`),
  illegalClientOrderId: (param: string) =>
    new ExchangeError(
      -1100,
      `Illegal characters found in parameter '${param}'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.`,
    ),
  invalidParameter: (param: string) => new ExchangeError(-1130, `Data sent for parameter '${param}' is not valid.`),
  precision: (param: string) => new ExchangeError(-1111, `Parameter '${param}' has too much precision.`),
  invalidTif: () => new ExchangeError(-1115, "Invalid timeInForce."),
  invalidOrderType: () => new ExchangeError(-1116, "Invalid orderType."),
  invalidSide: () => new ExchangeError(-1117, "Invalid side."),
  invalidSymbol: () => new ExchangeError(-1121, "Invalid symbol."),
  invalidSymbolStatus: () => new ExchangeError(-1122, "Invalid symbolStatus."),
  symbolStatusMismatch: () => new ExchangeError(-1220, "The symbol's status does not match the requested symbolStatus."),
  invalidCancelRestrictions: () =>
    new ExchangeError(-1145, "`cancelRestrictions` has to be either `ONLY_NEW` or `ONLY_PARTIALLY_FILLED`."),
  filter: (filterType: string) => new ExchangeError(-1013, `Filter failure: ${filterType}`),
  priceQtyZero: () => new ExchangeError(-1013, "Price * QTY is zero or less."),
  insufficientBalance: () => new ExchangeError(-2010, "Account has insufficient balance for requested action."),
  duplicateOrder: () => new ExchangeError(-2010, "Duplicate order sent."),
  marketClosed: () => new ExchangeError(-2010, "Market is closed."),
  wouldMatch: () => new ExchangeError(-2010, "Order would immediately match and take."),
  quoteOrderQtyNotSupported: () =>
    new ExchangeError(-2010, "Quote order qty market orders are not support for this symbol."),
  tradingDisabled: () => new ExchangeError(-2010, "This account may not place or cancel orders."),
  unknownOrder: () => new ExchangeError(-2011, "Unknown order sent."),
  cancelRestricted: () => new ExchangeError(-2011, "Order was not canceled due to cancel restrictions."),
  cancelMarketClosed: () => new ExchangeError(-2011, "Market is closed."),
  noSuchOrder: () => new ExchangeError(-2013, "Order does not exist."),
  amendRejected: (msg: string) => new ExchangeError(-2038, msg),
  clientOrderIdMismatch: () => new ExchangeError(-2039, "Client order ID is not correct for this order ID."),
  cancelReplaceFailed: () => "Order cancel-replace failed.",
  cancelReplacePartiallyFailed: () => "Order cancel-replace partially failed.",
  cancelReplaceNotAllowed: () => new ExchangeError(-1020, "This operation is not supported."),
} as const;
