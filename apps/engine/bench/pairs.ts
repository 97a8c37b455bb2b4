/** The symbol of pair k in the fleet benchmark's "pairs" scenario: BTCUSDT's rules under another name. */
export function pairSymbol(k: number): string {
  return `P${String(k).padStart(3, "0")}USDT`;
}
