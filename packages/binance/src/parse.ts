// Binance payloads (raw-types.ts) into the domain values of types.ts, each check naming the field it failed on.
export { isApiErrorBody, parseApiErrorBody, parsePriceLevels } from "./parse/shared";
export * from "./parse/market";
export * from "./parse/exchange-info";
export * from "./parse/orders";
export * from "./parse/streams";
