import { describe, expect, it } from "vitest";
import {
  readRecordedBookTickers,
  readRecordedDepthUpdates,
  readRecordedTrades,
  readVisionAggTrades,
  readVisionTrades,
} from "../src/recordings/csv-trades";
import { epochDigitsToMs } from "../src/recordings/lines";
import { readStreamCapture, type CaptureRecord } from "../src/recordings/stream-capture";
import { fixturePath } from "./helpers";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("epoch unit detection", () => {
  it.each([
    ["1723161253937085768", 1723161253937.086],
    ["1680652800004107", 1680652800004.107],
    ["1723161255342", 1723161255342],
    ["1723161255", 1723161255000],
  ])("%s -> %d ms", (digits, ms) => {
    expect(epochDigitsToMs(digits)).toBeCloseTo(ms, 3);
  });

  it("converts ns to ms within a microsecond (the float resolution near 1.7e12 is 0.24 µs)", () => {
    expect(epochDigitsToMs("1723161253937085768") - 1723161253937).toBeCloseTo(0.085768, 3);
    expect(epochDigitsToMs("1723161253937999999") - 1723161253937).toBeCloseTo(1, 3);
  });

  it("rejects something that is not an epoch number", () => {
    expect(() => epochDigitsToMs("17e9")).toThrow();
    expect(() => epochDigitsToMs("12345")).toThrow();
  });
});

describe("raw stream captures", () => {
  it("reads the 2024 capture (ns timestamps) including the inline snapshot", async () => {
    const records = await collect(readStreamCapture(fixturePath("captures/btcusdt_20240808_first3000.gz")));
    expect(records).toHaveLength(3000);
    const count = (kind: CaptureRecord["kind"]) => records.filter((r) => r.kind === kind).length;
    expect(count("depthSnapshot")).toBe(1);
    expect(count("market")).toBe(2999);
    const first = records[0];
    expect(first?.localTimeMs).toBeCloseTo(1723161253937.086, 3);
    if (first?.kind !== "market" || first.event.eventType !== "depthUpdate") throw new Error("first line is a depth event");
    expect(first.event.finalUpdateId).toBe(50093239202);
    const snapshot = records.find((r) => r.kind === "depthSnapshot");
    if (snapshot?.kind !== "depthSnapshot") throw new Error("unreachable");
    expect(snapshot.snapshot.lastUpdateId).toBe(50093239218);
    expect(snapshot.snapshot.bids).toHaveLength(1000);
    for (let i = 1; i < records.length; i++) {
      expect((records[i] as CaptureRecord).localTimeMs).toBeGreaterThanOrEqual((records[i - 1] as CaptureRecord).localTimeMs);
    }
  });

  it("reads the 2023 capture (µs timestamps, trades with b/a ids)", async () => {
    const records = await collect(readStreamCapture(fixturePath("captures/btcusdt_20230405_first300.dat.gz")));
    expect(records).toHaveLength(300);
    const first = records[0];
    expect(first?.localTimeMs).toBeCloseTo(1680652800004.107, 3);
    expect(first).toMatchObject({ kind: "market", event: { eventType: "trade", tradeId: 3071245454 } });
  });
});

describe("trade CSV files", () => {
  it("reads data.binance.vision trades with header and ms times, or without header and µs times", async () => {
    const ms = await collect(readVisionTrades(fixturePath("csv/vision_trades_ms_header.csv")));
    const us = await collect(readVisionTrades(fixturePath("csv/vision_trades_us_noheader.csv")));
    expect(ms).toHaveLength(20);
    expect(us).toHaveLength(20);
    expect(ms[0]).toMatchObject({ id: 3735683259, timeMs: 1723161255342, isBuyerMaker: true, isBestMatch: true });
    expect(ms[0]?.quoteQty.toFixed()).toBe("1236.7526");
    expect(us[0]?.timeMs).toBeCloseTo(1723161255342.123, 3);
    expect(us.map((t) => t.price.toFixed())).toEqual(ms.map((t) => t.price.toFixed()));
  });

  it("reads data.binance.vision aggTrades in both layouts", async () => {
    const ms = await collect(readVisionAggTrades(fixturePath("csv/vision_aggTrades_ms_noheader.csv")));
    const us = await collect(readVisionAggTrades(fixturePath("csv/vision_aggTrades_us_header.csv")));
    expect(ms).toHaveLength(10);
    expect(us).toHaveLength(10);
    expect(ms[1]).toMatchObject({ aggTradeId: 2000001, firstTradeId: 3735683260, lastTradeId: 3735683260, timeMs: 1723161255617 });
    expect(us[1]?.timeMs).toBeCloseTo(1723161255617.456, 3);
  });

  it("reads the derived flat trades and bookTicker files", async () => {
    const trades = await collect(readRecordedTrades(fixturePath("csv/BTCUSDT_trades_first200.csv")));
    expect(trades).toHaveLength(200);
    expect(trades[0]).toMatchObject({ id: 3735683259, tradeTimeMs: 1723161255342, eventTimeMs: 1723161255343, isBuyerMaker: true });
    expect(trades[0]?.localTimeMs).toBeCloseTo(1723161254087.897, 3);
    const tickers = await collect(readRecordedBookTickers(fixturePath("csv/BTCUSDT_bookTicker_first200.csv.gz"), "BTCUSDT"));
    expect(tickers).toHaveLength(200);
    expect(tickers[0]?.event).toMatchObject({ updateId: 50093239212, symbol: "BTCUSDT" });
    expect(tickers[0]?.event.bidPrice.toFixed()).toBe("61837.63");
  });

  it("reads the derived depthUpdate JSON lines with contiguous update ids", async () => {
    const events = await collect(readRecordedDepthUpdates(fixturePath("csv/BTCUSDT_depthUpdate100ms_first50.jsonl.gz")));
    expect(events).toHaveLength(50);
    expect(events[0]).toMatchObject({ firstUpdateId: 50093239189, finalUpdateId: 50093239202 });
    for (let i = 1; i < events.length; i++) {
      expect(events[i]?.firstUpdateId).toBe((events[i - 1]?.finalUpdateId ?? 0) + 1);
    }
  });

  it("stops reading early without leaking the file", async () => {
    let n = 0;
    for await (const _trade of readRecordedTrades(fixturePath("csv/BTCUSDT_trades_first200.csv"))) {
      if (++n === 3) break;
    }
    expect(n).toBe(3);
  });
});

describe("a missing recording", () => {
  // Before the fix the file stream was opened first and its own error went unhandled, crashing the process.
  it("rejects with ENOENT and nothing else", async () => {
    await expect(collect(readStreamCapture(fixturePath("captures/no-such-capture.gz")))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(collect(readVisionTrades(fixturePath("csv/no-such-trades.csv")))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
