// The simulator for the fleet benchmark's "pairs" scenario: N pairs (P000USDT, P001USDT, …) with BTCUSDT's rules,
// each replaying the recorded BTCUSDT capture at its real rate, pair k starting k x 37 ms after the first so that
// the pairs' messages do not arrive in lockstep. Accounts bench-0 … bench-(N-1) (secret bench-secret) hold
// USDT and BTC. Prints the REST base URL on stdout once listening.
import { parseArgs } from "node:util";
import { resolveSymbols, startExchangeSimulator } from "@bandkeeper/exchange-sim";
import { ReplayMarket, captureRecords, type ReplayRecord } from "@bandkeeper/exchange-sim/market/replay";
import { pairSymbol } from "./pairs";

const { values: args } = parseArgs({ options: { pairs: { type: "string", default: "100" }, capture: { type: "string", multiple: true } } });
const pairs = Number(args.pairs);
const capture = args.capture ?? [];
const STAGGER_MS = 37;

const btcusdt = resolveSymbols(["BTCUSDT"])?.[0];
if (!btcusdt) throw new Error("the simulator has no BTCUSDT");
const records: ReplayRecord[] = [];
for await (const record of captureRecords("BTCUSDT", capture)) records.push(record);

const startAt = Date.now() + 1_000;
const symbols = Array.from({ length: pairs }, (_, k) => ({ ...btcusdt, symbol: pairSymbol(k) }));
const models = Object.fromEntries(symbols.map((info, k) => [info.symbol, new ReplayMarket(info.symbol, records, { startAt: startAt + k * STAGGER_MS })]));
const unlimited = 1_000_000_000;
const simulator = await startExchangeSimulator({
  symbols,
  market: { models },
  // Markets advance every millisecond: with a hundred pairs, a coarser tick would deliver their messages in bursts.
  tickIntervalMs: 1,
  accounts: Array.from({ length: pairs }, (_, i) => ({ apiKey: `bench-${i}`, apiSecret: "bench-secret", balances: { USDT: "100000000", BTC: "1000" } })),
  rateLimits: {
    requestWeightPerMinute: unlimited,
    ordersPer10Seconds: unlimited,
    ordersPerDay: unlimited,
    rawRequestsPer5Minutes: unlimited,
    connectionsPer5Minutes: unlimited,
  },
});
process.stdout.write(`REST ${simulator.baseUrl}/api/v3\n`);
process.on("SIGTERM", () => void simulator.close().then(() => process.exit(0)));
