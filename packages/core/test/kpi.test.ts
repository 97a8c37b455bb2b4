import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dec } from "../src/money";
import {
  KpiTracker,
  LATENCY_BUCKET_BOUNDS_MS,
  histogramQuantile,
  latencyBucketIndex,
  rollUpBuckets,
  summariseKpis,
  sumBuckets,
  type KpiFact,
  type KpiMinuteBucket,
  type KpiSettings,
} from "../src/kpi";

const settings: KpiSettings = { band: { minSpread: 0.002, maxSpread: 0.004 }, minNotional: "10000", driftThreshold: 0.0006 };

const f = {
  running: (time: number, running = true): KpiFact => ({ type: "RUNNING", time, running }),
  ref: (time: number, price: string, bid?: string, ask?: string): KpiFact => ({
    type: "REFERENCE",
    time,
    price: dec(price),
    ...(bid && ask ? { targets: { BUY: [dec(bid)], SELL: [dec(ask)] } } : {}),
  }),
  event: (time: number): KpiFact => ({ type: "MARKET_EVENT", time }),
  acked: (time: number, id: string, side: "BUY" | "SELL", price: string, qty: string): KpiFact => ({
    type: "ORDER_ACKED",
    time,
    clientOrderId: id,
    side,
    price: dec(price),
    qty: dec(qty),
  }),
  filled: (time: number, id: string, price: string, qty: string): KpiFact => ({ type: "ORDER_FILLED", time, clientOrderId: id, price: dec(price), qty: dec(qty) }),
  canceled: (time: number, id: string): KpiFact => ({ type: "ORDER_CANCELED", time, clientOrderId: id }),
  expired: (time: number, id: string): KpiFact => ({ type: "ORDER_EXPIRED", time, clientOrderId: id }),
};

function run(facts: KpiFact[], end: number, s: KpiSettings = settings): KpiMinuteBucket[] {
  const tracker = new KpiTracker("bot-1", s);
  for (const fact of facts) tracker.record(fact);
  return tracker.drainAll(end);
}

describe("KpiTracker, a requote after the market moves", () => {
  // Hand-computed (see the interval table in the comments): R = 100, band 0.2%..0.4%, minNotional 10 000.
  const facts = [
    f.running(0),
    f.ref(0, "100"),
    f.acked(1_000, "b1", "BUY", "99.68", "105"), // 10 466.40, in band
    f.acked(2_000, "a1", "SELL", "100.32", "105"), // 10 533.60, in band
    f.ref(5_000, "99.8"), // b1 at 0.12%, a1 at 0.52%: both out
    f.event(5_000),
    f.event(5_010.4),
    f.acked(5_020, "b2", "BUY", "99.48", "106"), // 10 544.88 at 0.2004%
    f.acked(5_025, "a2", "SELL", "100.12", "105"), // 10 512.60 at 0.3206%
    f.canceled(5_030, "b1"),
    f.canceled(5_040, "a1"), // restores: latencies 40 and ceil(29.6) = 30
    f.filled(10_000, "b2", "99.48", "6"), // 596.88; b2 left with 9 948 < 10 000
    f.running(20_000, false),
  ];
  const buckets = run(facts, 30_000);

  it("puts everything in one minute bucket", () => {
    expect(buckets).toHaveLength(1);
    expect(buckets[0]).toMatchObject({ botKey: "bot-1", minute: 0 });
  });

  it("integrates time exactly", () => {
    // spread: [1000,5000) + [5040,20000) = 4000 + 14960; two-sided and depth: [2000,5000) + [5025,10000) = 3000 + 4975.
    expect(buckets[0]).toMatchObject({ runningMs: 20_000, spreadCompliantMs: 18_960, twoSidedMs: 7_975, depthMs: 7_975 });
  });

  it("counts orders, notionals and fills", () => {
    expect(buckets[0]).toMatchObject({
      ordersPlaced: 4,
      ordersDepthOk: 4,
      ordersFilled: 1,
      placedNotional: "42057.48",
      filledNotional: "596.88",
    });
  });

  it("measures response latency to the ack that restored the band", () => {
    const b = buckets[0]!;
    expect({ count: b.latencyCount, sum: b.latencySumMs, max: b.latencyMaxMs }).toEqual({ count: 2, sum: 70, max: 40 });
    expect(b.latencyHistogram[latencyBucketIndex(30)]).toBe(1);
    expect(b.latencyHistogram[latencyBucketIndex(40)]).toBe(1);
  });

  it("summarises to the report's fractions", () => {
    const s = summariseKpis(buckets);
    expect(s.spreadCompliance).toBeCloseTo(18_960 / 20_000, 12);
    expect(s.twoSided).toBeCloseTo(7_975 / 20_000, 12);
    expect(s.depthTime).toBeCloseTo(7_975 / 20_000, 12);
    expect(s.depthCompliance).toBe(1);
    expect(s.passiveFillRate).toBe(0.25);
    expect(s.filledNotionalRate).toBeCloseTo(596.88 / 42_057.48, 12);
    expect(s.responseLatencyMs).toEqual({ p50: 30, p99: 40, max: 40, count: 2 });
    expect(s.runningMs).toBe(20_000);
  });
});

describe("KpiTracker rules", () => {
  it("splits intervals at minute boundaries", () => {
    const buckets = run(
      [f.running(59_500), f.ref(59_500, "100"), f.acked(59_500, "b", "BUY", "99.7", "110"), f.acked(59_500, "a", "SELL", "100.3", "110"), f.running(121_000, false)],
      200_000,
    );
    expect(buckets.map((b) => [b.minute, b.runningMs, b.spreadCompliantMs, b.twoSidedMs, b.depthMs])).toEqual([
      [0, 500, 500, 500, 500],
      [60_000, 60_000, 60_000, 60_000, 60_000],
      [120_000, 1_000, 1_000, 1_000, 1_000],
    ]);
  });

  it("counts no time while not running (an operator pause)", () => {
    const buckets = run([f.running(0), f.running(1_000, false), f.running(5_000), f.running(6_500, false)], 10_000);
    expect(sumBuckets(buckets).runningMs).toBe(2_500);
  });

  it.each([
    ["in band below minNotional: compliant, not valid, not depth-ok", [f.acked(0, "b", "BUY", "99.7", "100"), f.acked(0, "a", "SELL", "100.3", "110")], 1_000, 0, 1],
    ["exactly at the band edges: valid", [f.acked(0, "b", "BUY", "99.6", "110"), f.acked(0, "a", "SELL", "100.2", "110")], 1_000, 1_000, 2],
    ["just outside the band: not compliant", [f.acked(0, "b", "BUY", "99.59", "110"), f.acked(0, "a", "SELL", "100.3", "110")], 0, 0, 2],
    ["one side only: compliant, not two-sided", [f.acked(0, "b", "BUY", "99.7", "110")], 1_000, 0, 1],
  ])("%s", (_name, orders, spreadMs, twoSidedMs, depthOk) => {
    const [b] = run([f.running(0), f.ref(0, "100"), ...orders, f.running(1_000, false)], 1_000);
    expect(b).toMatchObject({ spreadCompliantMs: spreadMs, twoSidedMs, ordersDepthOk: depthOk });
  });

  it("ends an order's open time at full fill and expiry", () => {
    const [b] = run(
      [
        f.running(0),
        f.ref(0, "100"),
        f.acked(0, "b", "BUY", "99.7", "110"),
        f.acked(0, "a", "SELL", "100.3", "110"),
        f.filled(300, "b", "99.7", "60"),
        f.filled(400, "b", "99.7", "50"),
        f.expired(700, "a"),
        f.running(1_000, false),
      ],
      1_000,
    );
    // Two-sided until the first fill leaves b under minNotional; compliant while any order is open (until 700).
    expect(b).toMatchObject({ twoSidedMs: 300, spreadCompliantMs: 700, ordersFilled: 1, filledNotional: "10967" });
  });

  it("counts a late fill of a cancelled order once", () => {
    const [b] = run(
      [f.running(0), f.ref(0, "100"), f.acked(0, "b", "BUY", "99.7", "110"), f.canceled(100, "b"), f.filled(200, "b", "99.7", "1"), f.filled(250, "b", "99.7", "1")],
      1_000,
    );
    expect(b).toMatchObject({ ordersFilled: 1, filledNotional: "199.4" });
  });

  it("measures latency for drift from the target, not only for leaving the band", () => {
    const wide = { ...settings, band: { minSpread: 0.001, maxSpread: 0.01 } };
    const [b] = run(
      [
        f.running(0),
        f.ref(0, "100", "99.5", "100.5"),
        f.acked(0, "b", "BUY", "99.5", "110"),
        f.acked(0, "a", "SELL", "100.5", "110"),
        f.ref(1_000, "100.1", "99.6", "100.6"), // both drifted 0.1 / 100.1 = 0.1% > 0.06%, still in band
        f.event(1_000),
        f.acked(1_010, "b2", "BUY", "99.6", "110"),
        f.acked(1_012, "a2", "SELL", "100.6", "110"),
        f.canceled(1_020, "b"),
        f.canceled(1_025, "a"),
      ],
      2_000,
      wide,
    );
    expect(b).toMatchObject({ latencyCount: 1, latencySumMs: 25, latencyMaxMs: 25, spreadCompliantMs: 2_000 });
  });

  it.each([
    ["the market moving back", [f.ref(1_050, "100"), f.canceled(1_100, "b")]],
    ["the bot stopping", [f.running(1_050, false), f.running(1_060), f.canceled(1_100, "b")]],
    ["a fill taking the order away", [f.filled(1_050, "b", "99.7", "110")]],
  ])("drops latency samples ended by %s", (_name, tail) => {
    const [b] = run([f.running(0), f.ref(0, "100"), f.acked(0, "b", "BUY", "99.7", "110"), f.ref(1_000, "99.75"), f.event(1_000), ...tail], 2_000);
    expect(b?.latencyCount).toBe(0);
  });

  it("emits only completed minutes on drain", () => {
    const tracker = new KpiTracker("bot-1", settings);
    tracker.record(f.running(30_000));
    expect(tracker.drain(59_999)).toEqual([]);
    expect(tracker.drain(60_000).map((b) => [b.minute, b.runningMs])).toEqual([[0, 30_000]]);
    expect(tracker.drain(150_000).map((b) => [b.minute, b.runningMs])).toEqual([[60_000, 60_000]]);
    expect(tracker.drainAll(150_000).map((b) => [b.minute, b.runningMs])).toEqual([[120_000, 30_000]]);
  });
});

describe("latency histogram", () => {
  it.each([
    [0.4, 0],
    [1, 0],
    [20, 19],
    [21, 20],
    [100, 35],
    [60_000, LATENCY_BUCKET_BOUNDS_MS.length - 1],
    [60_001, LATENCY_BUCKET_BOUNDS_MS.length],
  ])("puts %s ms in bucket %s", (ms, index) => {
    expect(latencyBucketIndex(ms)).toBe(index);
  });

  it("reports quantiles as bucket upper bounds, capped at the maximum", () => {
    const h = new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0);
    for (let i = 1; i <= 100; i++) h[latencyBucketIndex(i)]!++;
    expect(histogramQuantile(h, 0.5, 100)).toBe(50);
    expect(histogramQuantile(h, 0.99, 100)).toBe(100);
    // 97 lies in the (95, 100] bucket: reported as 100, the bucket's upper bound.
    expect(histogramQuantile(h, 0.97, 100)).toBe(100);
    expect(histogramQuantile(h, 0.99, 98)).toBe(98);
    expect(histogramQuantile(new Array<number>(h.length).fill(0), 0.99, 0)).toBeNull();
  });
});

describe("rollUpBuckets", () => {
  it("sums minutes into hours per bot", () => {
    const buckets = run([f.running(3_590_000), f.running(3_700_000, false)], 4_000_000);
    const hours = rollUpBuckets([...buckets, ...buckets.map((b) => ({ ...b, botKey: "bot-2" }))], 3_600_000);
    expect(hours.map((h) => [h.botKey, h.minute, h.runningMs])).toEqual([
      ["bot-1", 0, 10_000],
      ["bot-1", 3_600_000, 100_000],
      ["bot-2", 0, 10_000],
      ["bot-2", 3_600_000, 100_000],
    ]);
  });
});

describe("KpiTracker properties", () => {
  const factArb = fc.record({
    gap: fc.double({ min: 0, max: 90_000, noNaN: true }),
    kind: fc.integer({ min: 0, max: 6 }),
    side: fc.constantFrom("BUY" as const, "SELL" as const),
    bp: fc.integer({ min: -60, max: 60 }),
    qty: fc.integer({ min: 50, max: 150 }),
    pick: fc.nat(),
  });

  it("bucket sums equal the un-bucketed totals, and no bucket holds more than a minute", () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 60 }), (steps) => {
        const tracker = new KpiTracker("p", settings);
        let t = 1_000_000;
        let ids = 0;
        const open: string[] = [];
        const totals = { running: 0, spread: 0, two: 0, depth: 0 };
        let last: number | null = null;
        const feed = (fact: KpiFact) => {
          const now = Math.floor(fact.time);
          const flags = tracker.currentFlags();
          if (last !== null && flags.running) {
            const ms = now - last;
            totals.running += ms;
            if (flags.spreadCompliant) totals.spread += ms;
            if (flags.twoSided) totals.two += ms;
            if (flags.depth) totals.depth += ms;
          }
          last = now;
          tracker.record(fact);
        };
        for (const s of steps) {
          t += s.gap;
          const price = (100 + s.bp / 100).toFixed(2);
          switch (s.kind) {
            case 0:
              feed(f.running(t, s.pick % 2 === 0));
              break;
            case 1:
              feed(f.ref(t, price));
              break;
            case 2:
              feed(f.event(t));
              break;
            case 3: {
              const id = `o${ids++}`;
              open.push(id);
              feed(f.acked(t, id, s.side, price, String(s.qty)));
              break;
            }
            default: {
              const id = open[s.pick % Math.max(1, open.length)];
              if (id === undefined) break;
              if (s.kind === 4) feed(f.canceled(t, id));
              else feed(f.filled(t, id, price, String(Math.min(s.qty, 60))));
            }
          }
        }
        const end = Math.floor(t) + 1;
        feed(f.running(end, false));
        const buckets = tracker.drainAll(end);
        const sum = sumBuckets(buckets);
        expect([sum.runningMs, sum.spreadCompliantMs, sum.twoSidedMs, sum.depthMs]).toEqual([totals.running, totals.spread, totals.two, totals.depth]);
        for (const b of buckets) {
          expect(b.minute % 60_000).toBe(0);
          expect(b.runningMs).toBeLessThanOrEqual(60_000);
          expect(b.spreadCompliantMs).toBeLessThanOrEqual(b.runningMs);
          expect(b.twoSidedMs).toBeLessThanOrEqual(b.runningMs);
          expect(b.latencyHistogram.reduce((a, n) => a + n, 0)).toBe(b.latencyCount);
        }
      }),
      { numRuns: 300 },
    );
  });
});
