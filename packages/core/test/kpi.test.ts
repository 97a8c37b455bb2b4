import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dec } from "../src/money";
import {
  KpiTracker,
  LATENCY_BUCKET_BOUNDS_MS,
  downtimeBuckets,
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

  it("measures response latency per breach episode, however each ended", () => {
    // Episodes: [0, 2000) before both sides were valid (the start counts), [5000, 5040) from the move until the
    // last out-of-band order was cancelled (the new orders were valid from 5025, but a1 was still out), and
    // [10000, 20000) from the fill that left b2 under minNotional until the bot stopped. Lengths 2000, 40, 10000.
    const b = buckets[0]!;
    expect({ count: b.latencyCount, sum: b.latencySumMs, max: b.latencyMaxMs }).toEqual({ count: 3, sum: 12_040, max: 10_000 });
    expect(b.latencyHistogram[latencyBucketIndex(40)]).toBe(1);
    expect(b.latencyHistogram[latencyBucketIndex(2_000)]).toBe(1);
    expect(b.latencyHistogram[latencyBucketIndex(10_000)]).toBe(1);
  });

  it("summarises to the report's fractions", () => {
    const s = summariseKpis(buckets);
    expect(s.spreadCompliance).toBeCloseTo(18_960 / 20_000, 12);
    expect(s.twoSided).toBeCloseTo(7_975 / 20_000, 12);
    // Depth is time-based (the headline); the share of placed orders big enough is reported beside it.
    expect(s.depthCompliance).toBeCloseTo(7_975 / 20_000, 12);
    expect(s.depthOrderShare).toBe(1);
    expect(s.passiveFillRate).toBe(0.25);
    // 1 order filled in 20 s of running time: 180 an hour.
    expect(s.fillsPerHour).toBeCloseTo(180, 9);
    expect(s.filledNotionalRate).toBeCloseTo(596.88 / 42_057.48, 12);
    // Sorted 40, 2000, 10000: the 2nd is the median, the 3rd the p99 (bucket bounds 2000 and 10000).
    expect(s.responseLatencyMs).toEqual({ p50: 2_000, p99: 10_000, max: 10_000, count: 3, totalMs: 12_040 });
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

  it("opens an episode for drift from the target, not only for leaving the band", () => {
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
    // The start (both sides acked at 0) holds no time; the drift episode lasts 1000 -> 1025.
    expect(b).toMatchObject({ latencyCount: 1, latencySumMs: 25, latencyMaxMs: 25, spreadCompliantMs: 2_000 });
  });

  const resting = [f.running(0), f.ref(0, "100"), f.acked(0, "b", "BUY", "99.7", "110"), f.acked(0, "a", "SELL", "100.3", "110")];
  /** R moves to 99.75 at 1000: b sits 0.05% from it, out of the band. */
  const breach = f.ref(1_000, "99.75");

  it("counts an episode that ended without any order action (the reference moving back)", () => {
    const [b] = run([...resting, breach, f.ref(1_050, "100")], 2_000);
    expect(b).toMatchObject({ latencyCount: 1, latencySumMs: 50, latencyMaxMs: 50 });
  });

  it("counts an episode noticed by whatever fact: a reference change with no market event (a tick's)", () => {
    // No MARKET_EVENT at all: the episode starts with the REFERENCE fact and ends with the cancel.
    // After the move both orders are out (b 0.05%, a 0.55% from 99.75); the replacements sit at 0.25% and 0.30%.
    const replacements = [f.acked(1_020, "b2", "BUY", "99.5", "110"), f.acked(1_020, "a2", "SELL", "100.05", "110")];
    const [b] = run([...resting, breach, ...replacements, f.canceled(1_021, "b"), f.canceled(1_021, "a")], 2_000);
    expect(b).toMatchObject({ latencyCount: 1, latencySumMs: 21 });
  });

  it("ends an episode when the bot stops, and opens a new one when it runs again still in breach", () => {
    const tracker = new KpiTracker("bot-1", settings);
    for (const fact of [...resting, breach, f.running(1_050, false), f.running(1_060), f.canceled(1_100, "b")]) tracker.record(fact);
    // At 2000 the record ends with the bid still missing: finish counts the open episode, 1060 -> 2000.
    expect(tracker.openEpisodeMs(2_000)).toBe(940);
    tracker.finish(2_000);
    const [b] = tracker.drainAll(2_000);
    expect(b).toMatchObject({ latencyCount: 2, latencySumMs: 50 + 940, latencyMaxMs: 940 });
  });

  it("keeps a fill that took the order away inside the same episode (the side is still missing)", () => {
    const tracker = new KpiTracker("bot-1", settings);
    const tail = [f.filled(1_050, "b", "99.7", "110"), f.acked(1_070, "b2", "BUY", "99.5", "110"), f.acked(1_070, "a2", "SELL", "100.05", "110"), f.canceled(1_075, "a")];
    for (const fact of [...resting, breach, ...tail]) tracker.record(fact);
    const [b] = tracker.drainAll(2_000);
    expect(b).toMatchObject({ latencyCount: 1, latencySumMs: 75 });
  });

  it("tells each ended episode to its listener", () => {
    const tracker = new KpiTracker("bot-1", settings);
    const episodes: unknown[] = [];
    tracker.onEpisode = (episode) => episodes.push(episode);
    for (const fact of [...resting, breach, f.ref(1_050, "100")]) tracker.record(fact);
    expect(episodes).toEqual([{ start: 1_000, end: 1_050 }]);
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

describe("downtimeBuckets (a faulted bot the operator wants running)", () => {
  it("counts the gap as running, nothing compliant, one episode ended by the restart", () => {
    // 59 000 -> 125 500: 1 000 ms in minute 0, 60 000 in minute 1, 5 500 in minute 2; one 66 500 ms episode.
    const buckets = downtimeBuckets("bot-1", 59_000, 125_500.7);
    expect(buckets.map((b) => [b.minute, b.runningMs, b.spreadCompliantMs, b.twoSidedMs, b.depthMs, b.latencyCount])).toEqual([
      [0, 1_000, 0, 0, 0, 0],
      [60_000, 60_000, 0, 0, 0, 0],
      [120_000, 5_500, 0, 0, 0, 1],
    ]);
    const s = summariseKpis(buckets);
    expect(s.runningMs).toBe(66_500);
    expect(s.twoSided).toBe(0);
    expect(s.responseLatencyMs).toMatchObject({ count: 1, max: 66_500, totalMs: 66_500 });
  });

  it("is nothing for an empty gap", () => {
    expect(downtimeBuckets("bot-1", 5_000, 5_000)).toEqual([]);
  });
});
