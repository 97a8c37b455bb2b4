/**
 * Cost of core's share of one market event (reference price, fill signals, quotes, requote plan, KPI facts) on a
 * synthetic BTCUSDT-like market. Prints microseconds per event for each stage, the best of five runs.
 * Run: npm run bench (inside packages/core).
 */
import {
  FillSignals,
  KpiTracker,
  OrderLedger,
  QuotePolicy,
  ReferencePriceEngine,
  buildInstrument,
  dec,
  defaultBotConfig,
  kpiSettingsFrom,
  planRequotes,
} from "../src";

const EVENTS = 10_000;
const instrument = buildInstrument({
  symbol: "BTCUSDT",
  status: "TRADING",
  baseAsset: "BTC",
  quoteAsset: "USDT",
  filters: [
    { filterType: "PRICE_FILTER", minPrice: "0.01", maxPrice: "1000000", tickSize: "0.01" },
    { filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "9000", stepSize: "0.00001" },
    { filterType: "NOTIONAL", minNotional: "5", maxNotional: "9000000" },
  ],
});

type Stage = "reference" | "signals" | "quotes" | "plan" | "kpi";

function run(): Record<Stage, number> {
  const config = defaultBotConfig;
  const reference = new ReferencePriceEngine(config.reference);
  const signals = new FillSignals(config.fillAvoidance);
  const policy = new QuotePolicy(instrument, config);
  const kpi = new KpiTracker("bench", kpiSettingsFrom(config));
  const ledger = new OrderLedger();
  const spent: Record<Stage, number> = { reference: 0, signals: 0, quotes: 0, plan: 0, kpi: 0 };
  let time = 1_700_000_000_000;
  let mid = 65_000;
  kpi.record({ type: "RUNNING", time, running: true });
  for (let i = 0; i < EVENTS; i++) {
    time += 10;
    mid *= 1 + Math.sin(i) * 0.0001;
    const bid = dec(mid.toFixed(2));
    const book = { bidPrice: bid, bidQty: dec("1"), askPrice: bid.plus("0.01"), askQty: dec("1"), time };
    const trade = { price: bid, qty: dec("0.01"), time, isBuyerMaker: i % 2 === 0 };
    let start = performance.now();
    const lap = (stage: Stage) => {
      const end = performance.now();
      spent[stage] += end - start;
      start = end;
    };
    reference.onBookTop(book);
    reference.onTrade(trade);
    const ref = reference.reference(time);
    lap("reference");
    signals.onTrade(trade);
    const fill = signals.at(time);
    lap("signals");
    const desired = policy.desiredQuotes({ reference: ref, book, ...fill });
    lap("quotes");
    planRequotes(desired, ledger.workingViews(), config);
    lap("plan");
    kpi.record({ type: "REFERENCE", time, price: ref.ok ? ref.price : null });
    kpi.record({ type: "MARKET_EVENT", time });
    lap("kpi");
  }
  return spent;
}

const runs = Array.from({ length: 5 }, run);
const stages: Stage[] = ["reference", "signals", "quotes", "plan", "kpi"];
const best = Object.fromEntries(stages.map((s) => [s, Number(((Math.min(...runs.map((r) => r[s])) / EVENTS) * 1000).toFixed(1))]));
console.log(JSON.stringify({ unit: "µs per event", events: EVENTS, ...best }));
