/**
 * Wire shapes exactly as Binance sends them (decimals as strings, times as epoch ms numbers). Parsers in
 * parse.ts turn these into the domain values in types.ts; nothing outside this package should need them,
 * except the simulator, which builds its responses and events from them (packages/exchange-sim's
 * src/exchange/venue.ts): a field named here that it does not send is a compile error there. Add a field here
 * when the client starts to read it.
 */

export type * from "./raw-types/exchange-info";
export type * from "./raw-types/market";
export type * from "./raw-types/orders";
export type * from "./raw-types/streams";
