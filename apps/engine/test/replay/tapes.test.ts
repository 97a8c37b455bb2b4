// The regime benchmark's tapes: each transform of the BTCUSDT capture does what its name says, and the synthetic
// thin pair is what it claims (a print every 10-60 s, now and then a sweep, a 0.2% book, the same tape from the same
// seed).
import { beforeAll, describe, expect, it } from "vitest";
import { loadRecording, type BotMarketEvent, type Recording } from "../../src/replay/recording";
import { syntheticThinTape } from "../../src/replay/tapes/synthetic-thin";
import { compressTape, mirrorTape, thinTape, tradeCount } from "../../src/replay/tapes/transforms";
import { CAPTURE } from "./cli-runner";

const timeOf = (event: BotMarketEvent) => (event.kind === "trade" ? event.trade.time : event.top.time);
const exchangeTrades = (recording: Recording) => recording.exchangeRecords.reduce((n, r) => n + r.step.trades.length, 0);

describe("tapes made from the BTCUSDT capture", () => {
  let capture: Recording;
  beforeAll(async () => {
    capture = await loadRecording(CAPTURE, "BTCUSDT", "0.01");
  }, 120_000);

  it("thinned to one trade in 100 keeps ~1% of the trades on both sides, the book changing only at prints", () => {
    const thin = thinTape(capture, 100);
    const trades = tradeCount(capture);
    expect(tradeCount(thin)).toBe(Math.ceil(trades / 100));
    expect(exchangeTrades(thin)).toBe(Math.ceil(exchangeTrades(capture) / 100));
    expect(thin.start).toBe(capture.start);
    expect(thin.end).toBe(capture.end);
    // Apart from the snapshot, every exchange change comes with a print; every book top after the first is at one.
    expect(thin.exchangeRecords.filter((record) => record.step.reset)).toHaveLength(1);
    expect(thin.exchangeRecords.every((record) => record.step.reset === true || record.step.trades.length === 1)).toBe(true);
    const printTimes = new Set(thin.botEvents.flatMap((e) => (e.kind === "trade" ? [e.trade.time] : [])));
    const books = thin.botEvents.filter((e) => e.kind === "book");
    expect(books.length).toBeGreaterThan(10);
    expect(books.slice(1).every((e) => printTimes.has(timeOf(e)))).toBe(true);
    // The book a kept print sees is the latest one the full tape had shown by then.
    const fullBooks = capture.botEvents.filter((e) => e.kind === "book");
    const lastThinBook = books[books.length - 1];
    const lastFullBefore = fullBooks.filter((e) => timeOf(e) <= timeOf(lastThinBook as BotMarketEvent)).pop();
    expect(lastThinBook?.kind === "book" && lastFullBefore?.kind === "book" && lastThinBook.top.bidPrice.eq(lastFullBefore.top.bidPrice)).toBe(true);
  });

  it("compressed 10x divides every span by 10", () => {
    const fast = compressTape(capture, 10);
    // Epoch ms in floating point: equal to a hundredth of a millisecond.
    expect(fast.end - fast.start).toBeCloseTo((capture.end - capture.start) / 10, 2);
    for (const i of [1, 1_000, capture.botEvents.length - 1]) {
      const offset = timeOf(capture.botEvents[i] as BotMarketEvent) - capture.start;
      expect(timeOf(fast.botEvents[i] as BotMarketEvent) - fast.start).toBeCloseTo(offset / 10, 2);
    }
    const lastRecord = capture.exchangeRecords.length - 1;
    expect((fast.exchangeRecords[lastRecord]?.time ?? 0) - fast.start).toBeCloseTo(((capture.exchangeRecords[lastRecord]?.time ?? 0) - capture.start) / 10, 2);
    expect(fast.botEvents).toHaveLength(capture.botEvents.length);
  });

  it("mirrored turns prices around the first trade, swaps bids and asks and flips the aggressor; twice is the original", () => {
    const mirrored = mirrorTape(capture);
    const firstTrade = capture.botEvents.find((e) => e.kind === "trade");
    const firstBook = capture.botEvents.find((e) => e.kind === "book");
    const mirroredBook = mirrored.botEvents.find((e) => e.kind === "book");
    const mirroredTrade = mirrored.botEvents.find((e) => e.kind === "trade");
    if (firstTrade?.kind !== "trade" || firstBook?.kind !== "book" || mirroredBook?.kind !== "book" || mirroredTrade?.kind !== "trade") throw new Error("the capture has trades and books");
    const p0 = firstTrade.trade.price;
    expect(mirroredTrade.trade.price.eq(p0)).toBe(true);
    expect(mirroredTrade.trade.isBuyerMaker).toBe(!firstTrade.trade.isBuyerMaker);
    expect(mirroredBook.top.bidPrice.eq(p0.times(2).minus(firstBook.top.askPrice))).toBe(true);
    expect(mirroredBook.top.askQty.eq(firstBook.top.bidQty)).toBe(true);
    expect(mirroredBook.top.bidPrice.lt(mirroredBook.top.askPrice)).toBe(true);
    const snapshot = mirrored.exchangeRecords.find((r) => r.step.reset);
    const original = capture.exchangeRecords.find((r) => r.step.reset);
    expect(snapshot?.step.levels.filter((l) => l.side === "ask")).toHaveLength(original?.step.levels.filter((l) => l.side === "bid").length ?? -1);

    // Twice is the original, less the two resting asks above 2 x P0 (at 123,692.73 and 200,000) that have no mirror.
    const twice = mirrorTape(mirrored);
    const within = capture.exchangeRecords.map((r) => ({ ...r, step: { ...r.step, levels: r.step.levels.filter((l) => p0.times(2).gt(l.price)) } }));
    expect(within.reduce((n, r) => n + r.step.levels.length, 0)).toBe(capture.exchangeRecords.reduce((n, r) => n + r.step.levels.length, 0) - 2);
    expect(JSON.stringify(twice.exchangeRecords)).toBe(JSON.stringify(within));
    expect(JSON.stringify(twice.botEvents)).toBe(JSON.stringify(capture.botEvents));
  }, 60_000);
});

describe("the synthetic thin pair", () => {
  const tape = syntheticThinTape({ seed: 3, hours: 6 });

  it("spans the hours asked for, with a print every 10 to 60 s", () => {
    expect(tape.end - tape.start).toBe(6 * 3_600_000);
    const times = [...new Set(tape.botEvents.flatMap((e) => (e.kind === "trade" ? [e.trade.time] : [])))];
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(10_000 - 1);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000);
    expect(times.length).toBeGreaterThan((6 * 3_600) / 60);
    expect(times.length).toBeLessThan((6 * 3_600) / 10);
    expect(exchangeTrades(tape)).toBe(tape.botEvents.filter((e) => e.kind === "trade").length);
  });

  it("shows a wide book, 0.2% between best bid and ask; prints at its touch, one in ~30 sweeping on through it", () => {
    const books = tape.botEvents.filter((e) => e.kind === "book");
    for (const event of books) {
      if (event.kind !== "book") continue;
      const mid = event.top.bidPrice.plus(event.top.askPrice).div(2);
      expect(event.top.askPrice.minus(event.top.bidPrice).div(mid).toNumber()).toBeCloseTo(0.002, 3);
    }
    let top: BotMarketEvent | undefined;
    const printsAt = new Map<number, { price: number; seller: boolean }[]>();
    for (const event of tape.botEvents) {
      if (event.kind === "book") {
        top = event;
        continue;
      }
      const print = printsAt.get(event.trade.time) ?? [];
      if (print.length === 0 && top?.kind === "book") expect(event.trade.price.eq(event.trade.isBuyerMaker ? top.top.bidPrice : top.top.askPrice)).toBe(true);
      print.push({ price: event.trade.price.toNumber(), seller: event.trade.isBuyerMaker === true });
      printsAt.set(event.trade.time, print);
    }
    const sweeps = [...printsAt.values()].filter((p) => p.length > 1);
    // One in 30 sweeps; those shallower than one 10-tick step print at the touch only.
    expect(sweeps.length).toBeGreaterThan(printsAt.size / 120);
    expect(sweeps.length).toBeLessThan(printsAt.size / 15);
    // A sweep walks away from the touch: down through the bids for a seller, up through the asks for a buyer.
    for (const sweep of sweeps) {
      const steps = sweep.slice(1).map((p, i) => p.price - (sweep[i] as { price: number }).price);
      expect(steps.every((step) => (sweep[0]?.seller ? step < 0 : step > 0))).toBe(true);
    }
  });

  it("is the same tape from the same seed, and another from another", () => {
    const again = syntheticThinTape({ seed: 3, hours: 6 });
    expect(JSON.stringify(again.botEvents)).toBe(JSON.stringify(tape.botEvents));
    expect(JSON.stringify(again.exchangeRecords)).toBe(JSON.stringify(tape.exchangeRecords));
    const other = syntheticThinTape({ seed: 4, hours: 6 });
    expect(JSON.stringify(other.botEvents)).not.toBe(JSON.stringify(tape.botEvents));
  }, 60_000);
});
