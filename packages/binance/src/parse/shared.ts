// What every parser shares: the enum values Binance sends, one-of checks, price levels and the error body.
import { BinancePayloadError } from "../errors";
import { asArray, asObject, type JsonObject, num, parseDecimal, str } from "../payload";
import type { ApiErrorBody, ExecutionType, OrderSide, OrderStatus, OrderType, PriceLevel } from "../types";

export const SIDES: readonly OrderSide[] = ["BUY", "SELL"];
export const ORDER_TYPES: readonly OrderType[] = [
  "LIMIT",
  "LIMIT_MAKER",
  "MARKET",
  "STOP_LOSS",
  "STOP_LOSS_LIMIT",
  "TAKE_PROFIT",
  "TAKE_PROFIT_LIMIT",
];
export const ORDER_STATUSES: readonly OrderStatus[] = [
  "NEW",
  "PENDING_NEW",
  "PARTIALLY_FILLED",
  "FILLED",
  "CANCELED",
  "PENDING_CANCEL",
  "REJECTED",
  "EXPIRED",
  "EXPIRED_IN_MATCH",
];
export const EXECUTION_TYPES: readonly ExecutionType[] = [
  "NEW",
  "CANCELED",
  "REPLACED",
  "REJECTED",
  "TRADE",
  "EXPIRED",
  "TRADE_PREVENTION",
];

export function oneOf<T extends string>(allowed: readonly T[], o: JsonObject, key: string, path: string): T {
  const v = str(o, key, path);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new BinancePayloadError(`${path}.${key}`, `unexpected value ${JSON.stringify(v)}`);
  }
  return v as T;
}

export function parsePriceLevels(value: unknown, path: string): PriceLevel[] {
  return asArray(value, path).map((level, i) => {
    const pair = asArray(level, `${path}[${i}]`);
    return { price: parseDecimal(pair[0], `${path}[${i}][0]`), qty: parseDecimal(pair[1], `${path}[${i}][1]`) };
  });
}

export function parseApiErrorBody(value: unknown, path = "error"): ApiErrorBody {
  const o = asObject(value, path);
  return { code: num(o, "code", path), msg: str(o, "msg", path) };
}

export function isApiErrorBody(value: unknown): value is { code: number; msg: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as JsonObject).code === "number" &&
    typeof (value as JsonObject).msg === "string"
  );
}
