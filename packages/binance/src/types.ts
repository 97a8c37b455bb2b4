/** Domain values: decimals as Decimal, times as epoch ms numbers, names spelt out. */
export type * from "./types/exchange-info";
export type * from "./types/market";
export type * from "./types/orders";
export type * from "./types/streams";
