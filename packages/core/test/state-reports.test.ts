// State hysteresis: the reported state changes only on real changes; the true state (and KPI time) does not wait.
import { describe, expect, it } from "vitest";
import {
  Bot,
  Decimal,
  ManualClock,
  SequentialIdGenerator,
  defaultBotConfig,
  type BotPorts,
  type BotState,
  type PlaceRequest,
} from "../src";
import { HOLD_MS, SOFT_SPACING_MS, StateReporter, UNSETTLED_MS } from "../src/bot/state-reports";
import { btcusdt } from "./support/instruments";

type Report = { from: BotState; to: BotState; reason: string | null; time: number };

function reporter() {
  const reports: Report[] = [];
  const r = new StateReporter((from, to, reason, time) => reports.push({ from, to, reason, time }));
  return { r, reports };
}

describe("StateReporter", () => {
  it("reports hard states at once, and leaving one", () => {
    const { r, reports } = reporter();
    r.observe("STARTING", "reconciling", 0);
    r.observe("HALTED", "waiting for market data", 0);
    r.observe("PAUSED", "operator", 10);
    r.observe("HALTED", "resuming", 20);
    expect(reports.map((x) => [x.to, x.time])).toEqual([
      ["STARTING", 0],
      ["HALTED", 0],
      ["PAUSED", 10],
      ["HALTED", 20],
    ]);
  });

  it("reports a soft state once it has held, and not a blip", () => {
    const { r, reports } = reporter();
    r.observe("STARTING", null, 0);
    r.observe("QUOTING", null, 0);
    const before = reports.length;
    r.observe("DEGRADED", "ask not quoted", 1_000);
    r.observe("QUOTING", null, 1_047);
    for (let t = 1_100; t < 10_000; t += 100) r.flush(t);
    expect(reports).toHaveLength(before);

    r.observe("DEGRADED", "risk widened the quotes", 10_000);
    r.flush(10_000 + HOLD_MS - 100);
    expect(reports).toHaveLength(before);
    r.flush(10_000 + HOLD_MS);
    expect(reports.at(-1)).toEqual({ from: "QUOTING", to: "DEGRADED", reason: "risk widened the quotes", time: 10_000 + HOLD_MS });
  });

  it("reports a flapping bot once, in the worst state it passes through, and the calm once it holds", () => {
    const { r, reports } = reporter();
    r.observe("STARTING", null, 0);
    r.observe("QUOTING", null, 0);
    r.flush(HOLD_MS);
    const start = reports.length;
    let t = 10_000;
    for (; t < 70_000; t += 47) {
      r.observe(Math.floor(t / 47) % 2 === 0 ? "QUOTING" : "DEGRADED", Math.floor(t / 47) % 2 === 0 ? null : "risk widened the quotes", t);
      if (t % 100 < 47) r.flush(t);
    }
    const flapping = reports.slice(start);
    expect(flapping).toEqual([{ from: "QUOTING", to: "DEGRADED", reason: "risk widened the quotes", time: expect.any(Number) as number }]);
    expect(flapping[0]!.time - 10_000).toBeGreaterThanOrEqual(UNSETTLED_MS);
    expect(flapping[0]!.time - 10_000).toBeLessThan(UNSETTLED_MS + 200);
    r.observe("QUOTING", null, t);
    r.flush(t + HOLD_MS);
    expect(reports.slice(start).map((x) => x.to)).toEqual(["DEGRADED", "QUOTING"]);
  });

  it("spaces soft reports so that a minute of real changes makes at most eight rows", () => {
    const { r, reports } = reporter();
    r.observe("STARTING", null, 0);
    r.observe("QUOTING", null, 0);
    const start = reports.length;
    const states: [BotState, string | null][] = [
      ["DEGRADED", "bid not quoted: RISK_PAUSED: balance"],
      ["QUOTING", null],
      ["HALTED", "STALE_MARKET_DATA: no data for 5000 ms"],
    ];
    // A new state every 2.5 s, each holding long enough on its own.
    for (let t = 1_000; t <= 61_000; t += 100) {
      if ((t - 1_000) % 2_500 === 0) {
        const [state, reason] = states[((t - 1_000) / 2_500) % 3]!;
        r.observe(state, reason, t);
      }
      r.flush(t);
    }
    const soft = reports.slice(start);
    expect(soft.length).toBeGreaterThanOrEqual(6);
    expect(soft.length).toBeLessThanOrEqual(8);
    for (let i = 1; i < soft.length; i++) expect(soft[i]!.time - soft[i - 1]!.time).toBeGreaterThanOrEqual(SOFT_SPACING_MS);
  });
});

/** A small deterministic generator, so the volatile minute is the same every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe("a bot in a volatile minute", () => {
  it("changes its true state many times but reports fewer than 10 states, and KPI running time is the whole minute", () => {
    const clock = new ManualClock(1_700_000_000_000);
    const reports: Report[] = [];
    const eventTypes: string[] = [];
    const pending: { at: number; run: () => void }[] = [];
    const later = (ms: number, run: () => void) => pending.push({ at: clock.now() + ms, run });
    const box: { bot?: Bot } = {};
    const linked = () => {
      if (!box.bot) throw new Error("no bot yet");
      return box.bot;
    };
    let exchangeIds = 0;
    const ports: BotPorts = {
      clock,
      ids: new SequentialIdGenerator("v-"),
      execution: {
        // 30 ms each way; every order is acknowledged and every cancel accepted.
        place: (request: PlaceRequest) => later(60, () => linked().onPlaceAcknowledged(request.clientOrderId, String(++exchangeIds))),
        cancel: (_symbol, clientOrderId) => later(60, () => linked().onCancelAcknowledged(clientOrderId)),
        query: () => undefined,
        fills: () => undefined,
      },
      balances: { balances: () => null },
      budget: { tryConsume: () => true },
      sink: {
        order: () => undefined,
        fill: () => undefined,
        state: (from, to, reason, time) => reports.push({ from, to, reason, time }),
        event: (type) => eventTypes.push(type),
        log: () => undefined,
      },
    };
    const bot = new Bot({ botId: "volatile", symbol: "BTCUSDT" }, ports, defaultBotConfig, btcusdt());
    box.bot = bot;
    const rnd = random(11);
    let mid = 60_000;
    const step = (price: number) => {
      const bid = new Decimal(price.toFixed(2));
      const ask = bid.plus("0.01");
      bot.onBookTop({ bidPrice: bid, bidQty: new Decimal(1), askPrice: ask, askQty: new Decimal(1), time: clock.now() });
      bot.onTrade({ price: bid, qty: new Decimal("0.05"), time: clock.now(), isBuyerMaker: rnd() < 0.5 });
    };
    bot.start([]);
    step(mid);
    const startAt = clock.now();
    const key = () => `${bot.currentState.state}: ${bot.currentState.reason ?? ""}`;
    const trueStates: string[] = [key()];
    const reportsBefore = reports.length;
    const eventsBefore = eventTypes.length;
    let nextTick = clock.now() + 100;
    while (clock.now() < startAt + 60_000) {
      // Every ~20 ms a move; now and then a jump of 0.3% to 1%, and a feed gap of 0.5 to 6 s.
      const jump = rnd() < 0.03;
      mid *= 1 + (jump ? (rnd() < 0.5 ? -1 : 1) * (0.003 + rnd() * 0.007) : (rnd() - 0.5) * 0.0004);
      const gap = rnd() < 0.003 ? 500 + rnd() * 5_500 : 10 + rnd() * 20;
      const until = clock.now() + gap;
      while (true) {
        pending.sort((a, b) => a.at - b.at);
        const next = Math.min(pending[0]?.at ?? Infinity, nextTick);
        if (next > until) break;
        clock.set(next);
        if (pending[0] && pending[0].at === next) pending.shift()!.run();
        else {
          bot.tick();
          nextTick += 100;
        }
        if (key() !== trueStates.at(-1)) trueStates.push(key());
      }
      clock.set(until);
      step(mid);
      if (key() !== trueStates.at(-1)) trueStates.push(key());
    }
    const inMinute = reports.slice(reportsBefore);
    // The true state (with its reason) changed hundreds of times; reporting every change of state, and of reason
    // within HALTED and DEGRADED, as the bot did before, would have written well over a hundred rows.
    const sampled = trueStates.map((k) => ({ state: k.slice(0, k.indexOf(":")), reason: k.slice(k.indexOf(":") + 2) }));
    const everyChange = sampled.filter((x, i) => i > 0 && (x.state !== sampled[i - 1]!.state || ((x.state === "HALTED" || x.state === "DEGRADED") && x.reason !== sampled[i - 1]!.reason)));
    expect(everyChange.length).toBeGreaterThan(100);
    // The event table (state rows and every other bot event) grows by fewer than 10 rows in the minute.
    expect(inMinute.length + eventTypes.length - eventsBefore).toBeLessThan(10);
    // KPI running time is not debounced: the whole minute counts (QUOTING, DEGRADED and HALTED all run).
    const runningMs = bot.takeKpis().reduce((total, b) => total + b.runningMs, 0);
    expect(runningMs).toBeGreaterThanOrEqual(60_000);
  }, 60_000);
});
