// The HTML report: the collector's buckets from a hand-written audit trail (values worked out by hand), and the
// page the CLI writes for a real replay (self-contained, small, with the report's figures and the episodes).
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Script } from "node:vm";
import { defaultBotConfig, type BotLogEntry } from "@bandkeeper/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUCKETS, ReportCollector } from "../../src/replay/html-report/collector";
import { FIXTURES, runCli } from "./cli-runner";

const SAMPLE = resolve(FIXTURES, "BTCUSDT-trades-2024-08-08-sample.csv");

describe("ReportCollector", () => {
  it("splits KPI time into buckets, carries prices into quiet ones and keeps the bot's episodes", () => {
    // 1,200 buckets over 0..119,999 ms: 100 ms each. Band 0.2%..0.4% of 100 = 0.2..0.4 away; minNotional 10,000.
    const collector = new ReportCollector(0, BUCKETS * 100 - 1, defaultBotConfig);
    const entries: BotLogEntry[] = [
      { kind: "state", time: 0, from: "STARTING", to: "HALTED", reason: "waiting for market data" },
      { kind: "market", time: 10, event: "book", bid: "99.99", ask: "100.01" },
      { kind: "reference", time: 10, price: "100" },
      { kind: "state", time: 10, from: "HALTED", to: "QUOTING", reason: null },
      { kind: "place", time: 10, clientOrderId: "b", side: "BUY", price: "99.7", qty: "110", reason: "MISSING_LEVEL" },
      { kind: "place", time: 10, clientOrderId: "a", side: "SELL", price: "100.3", qty: "110", reason: "MISSING_LEVEL" },
      { kind: "ack", time: 30, clientOrderId: "b", exchangeOrderId: "1" },
      { kind: "ack", time: 50, clientOrderId: "a", exchangeOrderId: "2" },
      { kind: "episode", time: 50, start: 10, end: 50 },
      // At 250 the reference moves up a little (both quotes stay in the band); at 270 the ask's cancel for a
      // requote lands and the side is empty until its replacement is acked at 290.
      { kind: "reference", time: 250, price: "100.05" },
      { kind: "cancel", time: 250, clientOrderId: "a", reason: "DRIFT" },
      { kind: "canceled", time: 270, clientOrderId: "a" },
      { kind: "place", time: 270, clientOrderId: "a2", side: "SELL", price: "100.35", qty: "110", reason: "MISSING_LEVEL" },
      { kind: "ack", time: 290, clientOrderId: "a2", exchangeOrderId: "3" },
      { kind: "episode", time: 290, start: 270, end: 290 },
      { kind: "fill", time: 420, clientOrderId: "b", tradeId: "7", price: "99.7", qty: "10" },
    ];
    for (const entry of entries) collector.add(entry);
    const data = collector.finish(1_000);
    expect(data.bucketMs).toBe(100);
    expect(data.buckets).toHaveLength(11);
    const [first, second, third, , fifth] = data.buckets;
    // Bucket 0..100: running from 0 (HALTED counts); an in-band order open from 30; both sides from 50.
    expect(first).toMatchObject({ runningMs: 100, compliantMs: 70, twoSidedMs: 50, depthMs: 50, places: 2, bidHigh: 99.99, askLow: 100.01, reference: 100 });
    expect(first).toMatchObject({ ourBidLow: 99.7, ourBidHigh: 99.7, ourAskLow: 100.3, ourAskHigh: 100.3 });
    // Bucket 100..200: nothing happens; prices and quotes carry over.
    expect(second).toMatchObject({ runningMs: 100, compliantMs: 100, twoSidedMs: 100, depthMs: 100, places: 0, bidHigh: 99.99, reference: 100, ourAskLow: 100.3 });
    // Bucket 200..300: one-sided from 270 to 290, compliant all along (the bid alone is in the band).
    expect(third).toMatchObject({ runningMs: 100, compliantMs: 100, twoSidedMs: 80, depthMs: 80, places: 1, referenceLow: 100.05, referenceHigh: 100.05, reference: 100.05 });
    expect(third).toMatchObject({ ourAskLow: 100.3, ourAskHigh: 100.35 });
    // Distances are taken against the reference in force at the moment: -0.3% before the move, -0.35/100.05 after.
    expect(first?.ourBidDistance?.low).toBeCloseTo(-0.003, 12);
    expect(third?.ourBidDistance?.low).toBeCloseTo(-0.35 / 100.05, 12);
    expect(third?.ourBidDistance?.high).toBeCloseTo(-0.003, 12);
    expect(third?.askDistance?.low).toBeCloseTo(-0.04 / 100.05, 12);
    expect(third?.askDistance?.high).toBeCloseTo(0.01 / 100, 12);
    // Bucket 400..500: a fill of 10 leaves 100 x 99.7 = 9,970 < 10,000 on the bid: in band, but not a valid side.
    expect(fifth).toMatchObject({ fills: 1, compliantMs: 100, twoSidedMs: 20, depthMs: 20 });
    expect(data.fills).toEqual([{ time: 420, side: "BUY", price: 99.7 }]);
    expect(data.episodes).toEqual([
      { start: 10, end: 50 },
      { start: 270, end: 290 },
    ]);
    expect(data.episodeCount).toBe(2);
  });
});
describe("npm run replay -- --report FILE.html", () => {
  let dir: string;
  let html: string;
  let size: number;
  let report: Record<string, unknown>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-html-report-"));
    const file = join(dir, "report.html");
    const run = await runCli(["--data", SAMPLE, "--symbol", "BTCUSDT", "--json", "--report", file]);
    expect(run.code, run.stderr).toBe(0);
    report = JSON.parse(run.stdout) as Record<string, unknown>;
    html = await readFile(file, "utf8");
    size = (await stat(file)).size;
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is one self-contained page: inline SVG and one inline script, no external scripts, styles or images", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script [^>]*src|<link|<img|src=|url\(|fetch\(|XMLHttpRequest|import\(/);
    expect([...html.matchAll(/https?:\/\/[^"\s<]+/g)].map((m) => m[0])).toEqual(["http://www.w3.org/2000/svg", "http://www.w3.org/2000/svg", "http://www.w3.org/2000/svg"]);
    expect(size).toBeLessThan(2_000_000);
    // The readout script is valid JavaScript (a browser would otherwise drop it silently).
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    expect(script.length).toBeGreaterThan(100);
    expect(() => new Script(script)).not.toThrow();
  });

  it("shows the report's own figures, the breach episodes and the charts' parts", () => {
    expect(html).toContain(`${((report.spreadCompliance as number) * 100).toFixed(3)}%`);
    expect(html).toContain(`${((report.twoSided as number) * 100).toFixed(3)}%`);
    const episodes = (report.responseLatencyMs as { count: number }).count;
    expect(html).toContain(`breach episodes: ${episodes},`);
    for (const part of ["Prices and our quotes", "Distance from the reference", "KPI timeline", "market best bid", "our ask"]) expect(html).toContain(part);
  });
});
