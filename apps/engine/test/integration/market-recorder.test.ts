// The market recorder: samples at the cadence and on change, one row per bot and second at most, the minute tier
// rolled up from them and both tiers pruned by retention (times injected), and the engine on the simulator
// recording a quoting bot's reference, band, touch and quotes.
import { createOrder, type BookTop, type Side } from "@bandkeeper/core";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineJournal } from "../../src/persistence/journal";
import { JournalSink } from "../../src/persistence/journal-sink";
import { MarketHistory } from "../../src/persistence/market-history";
import { marketSampleFields, type MarketView } from "../../src/persistence/market-recorder";
import { inProcessEngine, startWorld, until, type World } from "./harness";

let world: World;

beforeAll(async () => {
  world = await startWorld("bk_market_recorder", { runningSymbols: ["BTCUSDT"] });
});
afterAll(async () => world?.close());

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const BAND = { minSpread: 0.002, maxSpread: 0.004 };

const top = (bid: string, ask: string, time: number): BookTop => ({
  bidPrice: new Decimal(bid),
  bidQty: new Decimal(1),
  askPrice: new Decimal(ask),
  askQty: new Decimal(1),
  time,
});

const order = (side: Side, price: string) =>
  createOrder({ clientOrderId: `bk-${side}-${price}`, symbol: "BTCUSDT", side, price: new Decimal(price), qty: new Decimal("0.2"), time: T0 });

const view = (overrides: Partial<MarketView> = {}): MarketView => ({
  top: top("59999.99", "60000.01", T0),
  orders: [order("BUY", "59820"), order("SELL", "60180"), order("BUY", "59800")],
  band: BAND,
  ...overrides,
});

async function samplesOf(botId: string) {
  return world.db.prisma.botMarketSample.findMany({ where: { botId }, orderBy: { time: "asc" } });
}

describe("market recorder (real Postgres, injected time)", () => {
  it("records at the cadence and on change, never twice in one second", async () => {
    const botId = world.botIds.ETHUSDT!;
    const journal = new EngineJournal(world.db.prisma);
    const sink = new JournalSink({ bot: { id: botId, exchangeAccountId: "-", symbol: "ETHUSDT" }, journal, marketSampleEveryMs: 5_000 });
    sink.log({ kind: "reference", time: T0, price: "60000" });

    sink.market(view(), T0 + 100); // the first look: a row
    sink.market(view({ top: top("59999.98", "60000.02", T0 + 600) }), T0 + 600); // a change in the same second: none
    sink.market(view({ top: top("59999.98", "60000.02", T0 + 600) }), T0 + 1_050); // the change, in the next second
    sink.market(view({ top: top("59999.98", "60000.02", T0 + 600) }), T0 + 2_000); // unchanged, cadence not due
    sink.market(view({ top: top("59999.98", "60000.02", T0 + 600) }), T0 + 5_900); // still not: 4.9 s
    sink.market(view({ top: top("59999.98", "60000.02", T0 + 600) }), T0 + 6_000); // 5 s since the last row: due
    sink.log({ kind: "reference", time: T0 + 6_500, price: "60010" });
    sink.market(view({ top: top("59999.98", "60000.02", T0 + 600) }), T0 + 7_000); // the reference moved
    sink.market(view({ top: top("59999.98", "60000.02", T0 + 600), orders: [order("BUY", "59830")] }), T0 + 8_000); // our ask went
    await journal.flush();

    const rows = await samplesOf(botId);
    expect(rows.map((row) => row.time.getTime() - T0)).toEqual([0, 1_000, 6_000, 7_000, 8_000]);
    const [first, changed, , moved, oneSided] = rows;
    const prices = (row: (typeof rows)[number], ...columns: (keyof typeof row)[]) => columns.map((column) => (row[column] as Decimal | null)?.toFixed() ?? null);
    expect(prices(first!, "bestBid", "bestAsk", "ourBid", "ourAsk")).toEqual(["59999.99", "60000.01", "59820", "60180"]);
    // The band in prices around R = 60000: bid band [59760, 59880], ask band [60120, 60240].
    expect(prices(first!, "bidBandLow", "bidBandHigh", "askBandLow", "askBandHigh")).toEqual(["59760", "59880", "60120", "60240"]);
    expect(prices(changed!, "bestBid", "bestAsk")).toEqual(["59999.98", "60000.02"]);
    expect(prices(moved!, "referencePrice", "bidBandLow", "askBandHigh")).toEqual(["60010", "59769.96", "60250.04"]);
    expect(prices(oneSided!, "ourBid", "ourAsk")).toEqual(["59830", null]);

    // A sample written again (a flush retried after a lost answer) replaces its row rather than failing the batch.
    journal.recordMarketSample({ ...marketSampleFields("60020", view()), botId, time: new Date(T0 + 8_000) });
    await journal.flush();
    const rewritten = await world.db.prisma.botMarketSample.findUniqueOrThrow({ where: { botId_time: { botId, time: new Date(T0 + 8_000) } } });
    expect(rewritten.referencePrice?.toFixed()).toBe("60020");
    expect(journal.getStats().setAside).toBe(0);
  });

  it("rolls each minute's last sample up into the minute tier and prunes both tiers by retention", async () => {
    const botId = world.botIds.BNBUSDT!;
    const journal = new EngineJournal(world.db.prisma);
    const sink = new JournalSink({ bot: { id: botId, exchangeAccountId: "-", symbol: "BNBUSDT" }, journal });
    const DAY = 86_400_000;
    const now = T0 + 40 * DAY;
    // Samples 31 days, 25 hours and 3 minutes old, one each 20 s for two minutes, the reference rising by 1 each.
    const starts = [now - 31 * DAY, now - 25 * 3_600_000, now - 3 * 60_000].map((t) => Math.floor(t / 60_000) * 60_000);
    let price = 500;
    for (const start of starts) {
      for (let t = start; t < start + 120_000; t += 20_000) {
        sink.log({ kind: "reference", time: t, price: String((price += 1)) });
        sink.market(view({ top: top(String(price - 0.01), String(price + 0.01), t) }), t);
      }
    }
    await journal.flush();
    expect(await world.db.prisma.botMarketSample.count({ where: { botId } })).toBe(18);

    const history = new MarketHistory(world.db.prisma, { secondsRetentionMs: DAY, minutesRetentionMs: 30 * DAY });
    // The first run rolls up from the oldest second kept (24 h): minutes older than that stay as they were.
    const result = await history.maintain(now);
    expect(result!.prunedSeconds).toBeGreaterThanOrEqual(12);
    const minutes = await world.db.prisma.botMarketMinute.findMany({ where: { botId }, orderBy: { minute: "asc" } });
    // Only the recent two minutes had seconds inside the window; each minute holds its last sample (+40 s).
    expect(minutes.map((m) => [m.minute.getTime() - starts[2]!, m.referencePrice?.toFixed()])).toEqual([
      [0, "515"],
      [60_000, "518"],
    ]);
    expect(await world.db.prisma.botMarketSample.count({ where: { botId } })).toBe(6);

    // A month on, the minute rows are older than 30 days and go too; the recent seconds have gone a day later.
    await world.db.prisma.botMarketMinute.create({ data: { botId, minute: new Date(now - 31 * DAY) } });
    const later = await history.maintain(now + 31 * DAY);
    expect(later!.prunedSeconds).toBeGreaterThanOrEqual(6);
    expect(later!.prunedMinutes).toBeGreaterThanOrEqual(3);
    expect(await world.db.prisma.botMarketSample.count({ where: { botId } })).toBe(0);
    expect(await world.db.prisma.botMarketMinute.count({ where: { botId } })).toBe(0);
  });
});

describe("market recorder in the engine (simulator)", () => {
  it("records a quoting bot's reference, band, touch and both quotes, one row per second at most", async () => {
    const botId = world.botIds.BTCUSDT!;
    const engine = inProcessEngine(world);
    await engine.start();
    try {
      const rows = await until(async () => {
        const found = await world.db.prisma.botMarketSample.findMany({
          where: { botId, ourBid: { not: null }, ourAsk: { not: null }, referencePrice: { not: null } },
          orderBy: { time: "asc" },
        });
        return found.length >= 3 ? found : undefined;
      }, 30_000, "three samples with both of our quotes");
      for (const row of rows) expect(row.time.getMilliseconds()).toBe(0);
      const latest = rows.at(-1)!;
      const reference = latest.referencePrice!;
      expect(latest.bidBandLow?.toFixed()).toBe(reference.times(1 - BAND.maxSpread).toDecimalPlaces(18).toFixed());
      expect(latest.askBandLow?.toFixed()).toBe(reference.times(1 + BAND.minSpread).toDecimalPlaces(18).toFixed());
      expect(latest.bestBid!.lt(latest.bestAsk!)).toBe(true);
      // The demo bot quotes inside its band on this calm market.
      expect(latest.ourBid!.gte(latest.bidBandLow!) && latest.ourBid!.lte(latest.bidBandHigh!)).toBe(true);
      expect(latest.ourAsk!.gte(latest.askBandLow!) && latest.ourAsk!.lte(latest.askBandHigh!)).toBe(true);
    } finally {
      await engine.stop();
    }
  });
});
