// The market tapes over real sockets: the feed of a live simulator records every frame it receives and the book's
// REST snapshot to a gzip capture of the symbol's UTC day, which `npm run replay` then plays as it plays the shared
// capture; a second engine run writes a file of its own, a file cut short by a kill is read up to its last flush,
// and days past the retention are deleted.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { createBinanceClient, simulatorBaseUrls } from "@bandkeeper/binance";
import { readStreamCapture } from "@bandkeeper/binance/recordings/stream-capture";
import { startExchangeSimulator } from "@bandkeeper/exchange-sim";
import { afterEach, describe, expect, it } from "vitest";
import { MarketFeed } from "../../src/exchange/market-feed";
import { MarketTapes } from "../../src/persistence/market-tapes";
import { wallClock } from "../../src/wall-clock";
import { runCli } from "../replay/cli-runner";
import { until } from "./harness";

const SYMBOL = "BTCUSDT";
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "bk-tapes-"));
  dirs.push(dir);
  return dir;
}

async function lines(file: string): Promise<{ kind: string; stream?: string }[]> {
  const records: { kind: string; stream?: string }[] = [];
  for await (const record of readStreamCapture(file)) records.push({ kind: record.kind, ...("stream" in record ? { stream: record.stream } : {}) });
  return records;
}

describe("market tapes", () => {
  it("records what the feed receives in replay's capture format, and npm run replay plays it", async () => {
    const dir = tempDir();
    const sim = await startExchangeSimulator({ port: 0, symbols: [SYMBOL], market: { seed: 3 } });
    const client = createBinanceClient({ baseUrls: simulatorBaseUrls(sim.baseUrl), clock: wallClock });
    const tapes = new MarketTapes({ dir, retentionDays: 7 }, "run1");
    const feed = MarketFeed.forClient(client, { clock: wallClock, tapes });
    let trades = 0;
    let tops = 0;
    feed.watch(SYMBOL, { onTrade: () => trades++, onBookTop: () => tops++ });
    try {
      await until(() => (trades >= 20 && tops >= 20 ? true : undefined), 30_000, "20 trades and 20 book tops");
    } finally {
      await feed.stop();
      await tapes.close();
      await sim.close();
    }

    const day = new Date().toISOString().slice(0, 10);
    expect(readdirSync(join(dir, SYMBOL))).toEqual([`${SYMBOL}-${day}-run1.capture.gz`]);
    const file = join(dir, SYMBOL, `${SYMBOL}-${day}-run1.capture.gz`);
    const records = await lines(file);
    // The book's start, then the three streams the feed subscribes, every frame once.
    expect(records.find((r) => r.kind === "depthSnapshot")).toBeDefined();
    const streams = new Set(records.filter((r) => r.kind === "market").map((r) => r.stream));
    expect([...streams].sort()).toEqual(["btcusdt@bookTicker", "btcusdt@depth@100ms", "btcusdt@trade"]);
    expect(records.filter((r) => r.stream === "btcusdt@trade").length).toBeGreaterThanOrEqual(trades);

    const run = await runCli(["--data", file, "--symbol", SYMBOL, "--json", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { runningMs: number; ordersPlaced: number };
    expect(report.runningMs).toBeGreaterThan(0);
    expect(report.ordersPlaced).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it("gives each run its own file, reads a file cut short up to its last flush, and deletes days past the retention", async () => {
    const dir = tempDir();
    const now = Date.UTC(2026, 11, 3, 12);
    const frame = (i: number) => JSON.stringify({ stream: "ethusdt@trade", data: { e: "trade", E: now + i, s: "ETHUSDT", t: i, p: "3000.00", q: "0.1", T: now + i, m: true, M: true } });
    // An old day's file and a stranger's file in the folder: the old one goes, the stranger stays.
    mkdirSync(join(dir, "ETHUSDT"), { recursive: true });
    writeFileSync(join(dir, "ETHUSDT", "ETHUSDT-2026-11-20-old.capture.gz"), gzipSync(""));
    writeFileSync(join(dir, "ETHUSDT", "notes.txt"), "kept");

    const first = new MarketTapes({ dir, retentionDays: 7 }, "a", () => now);
    for (let i = 0; i < 3; i++) first.frame("ethusdt@trade", frame(i), now + i);
    await first.close();
    const second = new MarketTapes({ dir, retentionDays: 7 }, "b", () => now);
    second.frame("ethusdt@trade", frame(3), now + 3);
    await second.close();
    expect(readdirSync(join(dir, "ETHUSDT")).sort()).toEqual(["ETHUSDT-2026-12-03-a.capture.gz", "ETHUSDT-2026-12-03-b.capture.gz", "notes.txt"]);
    expect((await lines(join(dir, "ETHUSDT", "ETHUSDT-2026-12-03-a.capture.gz"))).map((r) => r.kind)).toEqual(["market", "market", "market"]);
    const text = gunzipSync(readFileSync(join(dir, "ETHUSDT", "ETHUSDT-2026-12-03-b.capture.gz"))).toString();
    // Receive times in µs (16 digits), as the capture reader places them.
    expect(text).toBe(`${(now + 3) * 1_000} ${frame(3)}\n`);

    // A killed engine leaves a gzip stream without its end: what was flushed reads back, the reader does not fail.
    const complete = readFileSync(join(dir, "ETHUSDT", "ETHUSDT-2026-12-03-a.capture.gz"));
    const cut = join(dir, "ETHUSDT", "ETHUSDT-2026-12-03-cut.capture.gz");
    writeFileSync(cut, complete.subarray(0, complete.length - 8));
    expect((await lines(cut)).length).toBe(3);
  });
});
