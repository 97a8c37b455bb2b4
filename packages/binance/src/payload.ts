import Decimal from "decimal.js";
import { BinancePayloadError } from "./errors";

/** Small checked accessors for raw JSON: every parse fails loudly with the field's path. */
export type JsonObject = Record<string, unknown>;

const DECIMAL_STRING = /^-?\d+(\.\d+)?$/;

export function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BinancePayloadError(path, "expected an object");
  }
  return value as JsonObject;
}

export function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new BinancePayloadError(path, "expected an array");
  return value;
}

/** Decimals arrive as strings and go straight into decimal.js; a JSON number here would already have lost digits. */
export function parseDecimal(value: unknown, path: string): Decimal {
  if (typeof value !== "string" || !DECIMAL_STRING.test(value)) {
    throw new BinancePayloadError(path, `expected a decimal string, got ${JSON.stringify(value)}`);
  }
  return new Decimal(value);
}

export function str(o: JsonObject, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== "string") throw new BinancePayloadError(`${path}.${key}`, "expected a string");
  return v;
}

export function num(o: JsonObject, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new BinancePayloadError(`${path}.${key}`, "expected a number");
  return v;
}

export function bool(o: JsonObject, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== "boolean") throw new BinancePayloadError(`${path}.${key}`, "expected a boolean");
  return v;
}

export function dec(o: JsonObject, key: string, path: string): Decimal {
  return parseDecimal(o[key], `${path}.${key}`);
}

export function optStr(o: JsonObject, key: string, path: string): string | undefined {
  return o[key] === undefined || o[key] === null ? undefined : str(o, key, path);
}

export function optNum(o: JsonObject, key: string, path: string): number | undefined {
  return o[key] === undefined || o[key] === null ? undefined : num(o, key, path);
}

export function optBool(o: JsonObject, key: string, path: string): boolean | undefined {
  return o[key] === undefined || o[key] === null ? undefined : bool(o, key, path);
}

export function optDec(o: JsonObject, key: string, path: string): Decimal | undefined {
  return o[key] === undefined || o[key] === null ? undefined : dec(o, key, path);
}

export function strArray(o: JsonObject, key: string, path: string): string[] {
  return asArray(o[key], `${path}.${key}`).map((v, i) => {
    if (typeof v !== "string") throw new BinancePayloadError(`${path}.${key}[${i}]`, "expected a string");
    return v;
  });
}
